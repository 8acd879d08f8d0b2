import { agreement, quadraticWeightedKappa } from './agreement';

describe('agreement statistics (hand-computed)', () => {
  it('quadratic weighted kappa of a small table', () => {
    // a = [0,1,2,2], b = [0,2,2,1] on 0..2: Σw·O = 0.25 + 0.25 = 0.5; marginals a (1,1,2), b (1,1,2):
    // Σw·E = (0.25·1 + 1·2 + 0.25·1 + 0.25·2 + 1·2 + 0.25·2) / 4 = 1.375 -> κ = 1 - 0.5 / 1.375 = 7/11
    expect(quadraticWeightedKappa([0, 1, 2, 2], [0, 2, 2, 1], 0, 2)).toBeCloseTo(7 / 11, 12);
  });

  it('is 1 for perfect agreement and -1 for a perfect reversal of the extremes', () => {
    expect(quadraticWeightedKappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 4], 0, 4)).toBe(1);
    // O at (0,2) and (2,0): Σw·O = 2; E = 0.5 in each corner cell: Σw·E = 1 -> κ = -1
    expect(quadraticWeightedKappa([0, 2], [2, 0], 0, 2)).toBe(-1);
  });

  it('is undefined with no answers, one category, or no spread', () => {
    expect(quadraticWeightedKappa([], [], 0, 4)).toBeNull();
    expect(quadraticWeightedKappa([1, 1], [1, 1], 1, 1)).toBeNull();
    expect(quadraticWeightedKappa([2, 2], [2, 2], 0, 4)).toBeNull();
  });

  it('rounds half points and reports exact and adjacent agreement', () => {
    // judge means 3.5 -> 4 and 0.4 -> 0: pairs (4,4) (0,2) (2,3) (1,1): exact 2/4, adjacent 3/4
    const r = agreement([3.5, 0.4, 2, 1], [4, 2, 3, 1], 0, 4);
    expect(r).toMatchObject({ n: 4, exact: 0.5, adjacent: 0.75 });
    // O: (4,4) (0,2) (2,3) (1,1), w = d²/16: Σw·O = (4 + 1) / 16 = 0.3125
    // marginals a {0,1,2,4}, b {1,2,3,4}, each once: E = 1/4 per cell; Σ d² over the 16 cells = 30 + 14 + 6 + 14 = 64
    // Σw·E = 64 / 16 / 4 = 1 -> κ = 1 - 0.3125 = 0.6875
    expect(r.qwk).toBeCloseTo(0.6875, 12);
  });
});
