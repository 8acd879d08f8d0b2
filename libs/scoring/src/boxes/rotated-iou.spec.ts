import { scoreBoundingBoxes } from './bounding-boxes';
import { boxCorners, clipConvex, polygonArea, rotatedIou } from './rotated-iou';
import { itemAgreement, meanAgreement } from '../agreement';

const R2 = Math.SQRT2;

describe('boxCorners', () => {
  it('rotates clockwise on screen about the top-left corner (Label Studio)', () => {
    const c = boxCorners({ x: 0, y: 0, width: 10, height: 10, rotation: 90 });
    // width now runs down the y axis, height to the left
    [[0, 0], [0, 10], [-10, 10], [-10, 0]].forEach(([x, y], i) => {
      expect(c[i][0]).toBeCloseTo(x, 12);
      expect(c[i][1]).toBeCloseTo(y, 12);
    });
  });

  it('rotates in pixels: a 50×50 px square on a 200×100 image stays square', () => {
    // x 50 % = 100 px, width 25 % = 50 px, height 50 % = 50 px; turned 90° it covers x 50..100 px = 25..50 %
    const c = boxCorners({ x: 50, y: 0, width: 25, height: 50, rotation: 90 }, 200, 100);
    [[50, 0], [50, 50], [25, 50], [25, 0]].forEach(([x, y], i) => {
      expect(c[i][0]).toBeCloseTo(x, 12);
      expect(c[i][1]).toBeCloseTo(y, 12);
    });
  });
});

describe('rotatedIou against hand-computed polygons', () => {
  it('square vs the same square turned 45° about its top-left corner: a quadrilateral of area 50(2√2−2)', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    const b = { x: 0, y: 0, width: 10, height: 10, rotation: 45 };
    // b is the diamond (0,0) (5√2,5√2) (0,10√2) (−5√2,5√2); inside a it is cut at y = 10:
    // the polygon (0,0) (5√2,5√2) (10√2−10,10) (0,10)
    const inter = clipConvex(boxCorners(a), boxCorners(b));
    const expected = [[0, 0], [5 * R2, 5 * R2], [10 * R2 - 10, 10], [0, 10]];
    expect(inter).toHaveLength(4);
    for (const [x, y] of expected) expect(inter.some(([px, py]) => Math.abs(px - x) < 1e-9 && Math.abs(py - y) < 1e-9)).toBe(true);
    const area = 50 - 0.5 * (10 * R2 - 10) ** 2; // half the diamond minus the corner above y = 10
    expect(polygonArea(inter)).toBeCloseTo(area, 10);
    expect(rotatedIou(a, b)).toBeCloseTo(area / (200 - area), 12); // ≈ 0.2612
    expect(rotatedIou(a, b)).toBeCloseTo(0.26120, 4);
  });

  it('same centre, one turned 45°: a regular octagon, IoU = 1/√2', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    // centre (5,5): top-left corner of the turned square is (5, 5 − 5√2)
    const b = { x: 5, y: 5 - 5 * R2, width: 10, height: 10, rotation: 45 };
    const octagon = 100 * (2 * R2 - 2);
    expect(polygonArea(clipConvex(boxCorners(a), boxCorners(b)))).toBeCloseTo(octagon, 10);
    expect(rotatedIou(a, b)).toBeCloseTo(1 / R2, 12);
  });

  it('the same region described two ways (turned 180° about the opposite corner) has IoU 1; turned away it has 0', () => {
    const a = { x: 0, y: 0, width: 4, height: 2 };
    expect(rotatedIou(a, { x: 4, y: 2, width: 4, height: 2, rotation: 180 })).toBeCloseTo(1, 12);
    expect(rotatedIou(a, { x: 0, y: 0, width: 4, height: 2, rotation: 180 })).toBe(0);
    expect(rotatedIou(a, { x: 0, y: 0, width: 10, height: 10, rotation: 90 })).toBe(0); // only an edge in common
  });

  it('aspect ratio matters: on a 200×100 image a 90° turn of a 50 px square lands on the axis-aligned box', () => {
    expect(rotatedIou({ x: 50, y: 0, width: 25, height: 50, rotation: 90 }, { x: 25, y: 0, width: 25, height: 50 }, 200, 100)).toBeCloseTo(1, 12);
    // taken as a square image, the same numbers do not overlap fully
    expect(rotatedIou({ x: 50, y: 0, width: 25, height: 50, rotation: 90 }, { x: 25, y: 0, width: 25, height: 50 })).toBeLessThan(0.9);
  });

  it('without rotation it equals the axis-aligned IoU', () => {
    expect(rotatedIou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10, rotation: 0 })).toBe(50 / 150);
  });
});

describe('scoreBoundingBoxes with rotated boxes', () => {
  it('matches a rotated answer to rotated gold by polygon IoU and uses the item image size', () => {
    const gold = [{ itemId: 'i', boxes: [{ x: 50, y: 0, width: 25, height: 50, rotation: 90, label: 'car' }] }];
    const answer = [{ itemId: 'i', boxes: [{ x: 25, y: 0, width: 25, height: 50, label: 'car' }] }];
    expect(scoreBoundingBoxes(gold, answer, { imageSizes: { i: { width: 200, height: 100 } } }).score).toBe(1);
    // with the 45° octagon case, IoU 0.707 passes at 0.7 and fails at 0.75
    const g2 = [{ itemId: 'j', boxes: [{ x: 0, y: 0, width: 10, height: 10, label: 'car' }] }];
    const a2 = [{ itemId: 'j', boxes: [{ x: 5, y: 5 - 5 * R2, width: 10, height: 10, rotation: 45, label: 'car' }] }];
    expect(scoreBoundingBoxes(g2, a2, { iouThreshold: 0.7 }).score).toBe(1);
    expect(scoreBoundingBoxes(g2, a2, { iouThreshold: 0.75 }).score).toBe(0);
  });
});

describe('itemAgreement', () => {
  it('averages the symmetric pair scores of three annotators', () => {
    const r = itemAgreement('multi_label_classification', 't1', [
      { annotator: 'a', value: { labels: ['x', 'y'] } },
      { annotator: 'b', value: { labels: ['x', 'y'] } },
      { annotator: 'c', value: { labels: ['x'] } },
    ]);
    // the multi-label scorer's score is the Jaccard index: a-b 1; a-c and b-c |{x}| / |{x, y}| = 1/2 either way round
    expect(r).toEqual({ itemId: 't1', annotators: 3, pairs: 3, agreement: expect.closeTo((1 + 1 / 2 + 1 / 2) / 3, 12) });
  });

  it('is null for one annotator and ignored by the mean', () => {
    const one = itemAgreement('text_classification', 't', [{ annotator: 'a', value: { label: 'pos' } }]);
    expect(one.agreement).toBeNull();
    const two = itemAgreement('text_classification', 'u', [
      { annotator: 'a', value: { label: 'pos' } },
      { annotator: 'b', value: { label: 'neg' } },
    ]);
    expect(two.agreement).toBe(0);
    expect(meanAgreement([one, two])).toBe(0);
    expect(meanAgreement([one])).toBeNull();
  });
});
