import { scoreBoundingBoxes, validateBoxAnswer, type LabelledBox } from './bounding-boxes';
import { iou } from './iou';

const box = (x: number, y: number, width: number, height: number, label = 'car'): LabelledBox => ({ x, y, width, height, label });

describe('iou', () => {
  it.each([
    [box(0, 0, 10, 10), box(0, 0, 10, 10), 1],
    [box(0, 0, 10, 10), box(0, 0, 10, 5), 0.5], // 50 / (100 + 50 - 50)
    [box(0, 0, 10, 10), box(5, 0, 10, 10), 50 / 150],
    [box(0, 0, 10, 10), box(10, 0, 10, 10), 0], // touching edges
    [box(0, 0, 0, 10), box(0, 0, 0, 10), 0], // zero area, even with itself
    [box(0, 0, 10, 0), box(0, 0, 10, 10), 0],
  ])('%j vs %j = %p', (a, b, expected) => expect(iou(a, b)).toBe(expected));
});

describe('scoreBoundingBoxes', () => {
  it('optimal one-to-one matching where greedy (highest IoU first) is wrong', () => {
    const g1 = box(0, 0, 10, 10);
    const g2 = box(4, 0, 10, 10);
    const a1 = box(1, 0, 10, 10); // IoU(a1,g1) = 90/110 = 0.818; IoU(a1,g2) = 70/130 = 0.538
    const a2 = box(-2, 0, 10, 10); // IoU(a2,g1) = 80/120 = 0.667; IoU(a2,g2) = 40/160 = 0.25
    // Greedy takes a1-g1 (0.818) first; then a2 can only go to g1 (taken) -> 1 TP.
    // Optimal: a1-g2 (0.538) + a2-g1 (0.667) -> 2 TP, P = R = F1 = 1.
    expect(greedyMatches([g1, g2], [a1, a2])).toBe(1);
    const r = scoreBoundingBoxes([{ itemId: 'img', boxes: [g1, g2] }], [{ itemId: 'img', boxes: [a1, a2] }]);
    expect(r.metrics).toMatchObject({ tp: 2, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1 });
    expect(r.score).toBe(1);
    expect(r.metrics.meanMatchedIou).toBeCloseTo((70 / 130 + 80 / 120) / 2, 12);
  });

  it('with equal counts, the larger total IoU wins', () => {
    const g1 = box(0, 0, 10, 10), g2 = box(1, 0, 10, 10);
    // Either pairing matches 2; straight pairing has IoU 1 + 1, crossed 0.818 + 0.818
    const r = scoreBoundingBoxes([{ itemId: 'i', boxes: [g1, g2] }], [{ itemId: 'i', boxes: [box(1, 0, 10, 10), box(0, 0, 10, 10)] }]);
    expect(r.metrics.meanMatchedIou).toBe(1);
  });

  it('right place, wrong label: FP + FN, feedback reason "label"', () => {
    const r = scoreBoundingBoxes([{ itemId: 'i', boxes: [box(0, 0, 10, 10, 'cat')] }], [{ itemId: 'i', boxes: [box(0, 0, 10, 10, 'dog')] }]);
    expect(r.metrics).toMatchObject({ tp: 0, fp: 1, fn: 1, f1: 0 });
    expect(r.items[0]).toEqual({
      itemId: 'i',
      correct: false,
      score: 0,
      missed: [],
      wrong: [{ expected: box(0, 0, 10, 10, 'cat'), got: box(0, 0, 10, 10, 'dog'), iou: 1, reason: 'label' }],
      extra: [],
    });
  });

  it('IoU exactly at the threshold matches; just above it does not', () => {
    const gold = [{ itemId: 'i', boxes: [box(0, 0, 10, 10)] }];
    const answers = [{ itemId: 'i', boxes: [box(0, 0, 10, 5)] }]; // IoU 0.5
    expect(scoreBoundingBoxes(gold, answers).score).toBe(1);
    const r = scoreBoundingBoxes(gold, answers, { iouThreshold: 0.51 });
    expect(r.score).toBe(0);
    expect(r.items[0].wrong[0].reason).toBe('position');
  });

  it('fractional (percent) coordinates at exactly IoU 0.5 still match', () => {
    // a box of half the height has IoU 1/2 on paper, but in binary floating point it comes out 0.49999999999999994;
    // IOU_EPSILON absorbs that
    const g = box(0.1, 0.1, 0.1, 0.15), a = box(0.1, 0.1, 0.1, 0.075);
    expect(iou(g, a)).toBeLessThan(0.5);
    expect(0.5 - iou(g, a)).toBeLessThan(1e-12);
    expect(scoreBoundingBoxes([{ itemId: 'i', boxes: [g] }], [{ itemId: 'i', boxes: [a] }]).score).toBe(1);
  });

  it('zero-area boxes never match, not even an identical zero-area gold box', () => {
    const zero = box(5, 5, 0, 10);
    const r = scoreBoundingBoxes([{ itemId: 'i', boxes: [zero] }], [{ itemId: 'i', boxes: [zero] }]);
    expect(r.metrics).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(r.items[0]).toMatchObject({ missed: [zero], wrong: [], extra: [zero] });
  });

  it('micro F1 over images: img1 tp 2; img2 gold 2, no answer -> tp 2, fp 0, fn 2 -> F1 = 4/6', () => {
    const two = [box(0, 0, 10, 10), box(50, 50, 10, 10)];
    const r = scoreBoundingBoxes(
      [
        { itemId: '1', boxes: two },
        { itemId: '2', boxes: two },
      ],
      [{ itemId: '1', boxes: two }],
    );
    expect(r.metrics).toMatchObject({ tp: 2, fp: 0, fn: 2, precision: 1, recall: 0.5 });
    expect(r.score).toBeCloseTo(2 / 3, 12);
    expect(r.items.map((i) => i.score)).toEqual([1, 0]);
    expect(r.items[1].missed).toEqual(two);
  });

  it('empty gold and empty answer: score 1; boxes on an empty image: 0', () => {
    expect(scoreBoundingBoxes([{ itemId: 'i', boxes: [] }], [{ itemId: 'i', boxes: [] }]).score).toBe(1);
    expect(scoreBoundingBoxes([{ itemId: 'i', boxes: [] }], [{ itemId: 'i', boxes: [box(0, 0, 1, 1)] }]).score).toBe(0);
  });

  it('a duplicated answer box: one matches, the copy is a false positive', () => {
    const r = scoreBoundingBoxes([{ itemId: 'i', boxes: [box(0, 0, 10, 10)] }], [{ itemId: 'i', boxes: [box(0, 0, 10, 10), box(0, 0, 10, 10)] }]);
    expect(r.metrics).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    expect(r.score).toBeCloseTo(2 / 3, 12); // 2 / (2 + 1)
  });

  it('per-label table', () => {
    const r = scoreBoundingBoxes(
      [{ itemId: 'i', boxes: [box(0, 0, 10, 10, 'car'), box(50, 0, 10, 10, 'person')] }],
      [{ itemId: 'i', boxes: [box(0, 0, 10, 10, 'car'), box(50, 0, 10, 10, 'car')] }],
      { labels: ['person', 'car'] },
    );
    expect(r.metrics.perLabel.map(({ label, tp, fp, fn }) => ({ label, tp, fp, fn }))).toEqual([
      { label: 'person', tp: 0, fp: 0, fn: 1 },
      { label: 'car', tp: 1, fp: 1, fn: 0 },
    ]);
  });

  it.each([0, -0.1, 1.5, NaN])('refuses iouThreshold %p', (t) => {
    expect(() => scoreBoundingBoxes([{ itemId: 'i', boxes: [] }], [], { iouThreshold: t })).toThrow('iouThreshold');
  });
});

describe('validateBoxAnswer', () => {
  const item = { id: 'i', imageUrl: 'x.jpg', width: 100, height: 100, labels: ['car'] };
  it('accepts a zero-area box (it is scored as unmatched) and names bad fields', () => {
    expect(validateBoxAnswer({ itemId: 'i', boxes: [box(0, 0, 0, 5)] }, item)).toEqual([]);
    expect(validateBoxAnswer({ itemId: 'i', boxes: [{ x: 'a', y: 0, width: -1, height: 5, label: 'bus' }] }, item)).toEqual([
      { path: 'boxes[0].label', problem: '"bus" is not one of: car', code: 'VALUE_NOT_ONE_OF', params: { value: 'bus', allowed: 'car' } },
      { path: 'boxes[0].x', problem: 'must be a number', code: 'NOT_A_NUMBER' },
      { path: 'boxes[0].width', problem: 'must be at least 0', code: 'TOO_SMALL', params: { min: 0 } },
    ]);
  });
});

/** The tempting wrong algorithm, for contrast: take pairs by descending IoU. */
function greedyMatches(gold: LabelledBox[], answer: LabelledBox[]): number {
  const pairs: Array<[number, number, number]> = [];
  gold.forEach((g, i) => answer.forEach((a, j) => pairs.push([iou(g, a), i, j])));
  pairs.sort((x, y) => y[0] - x[0]);
  const usedG = new Set<number>(), usedA = new Set<number>();
  let n = 0;
  for (const [v, i, j] of pairs) {
    if (v < 0.5 || usedG.has(i) || usedA.has(j)) continue;
    usedG.add(i);
    usedA.add(j);
    n++;
  }
  return n;
}
