import { describe, expect, it } from 'vitest';

describe('README example (examples/quickstart.ts)', () => {
  it('runs, and its numbers are the ones the README states', { timeout: 60_000 }, async () => {
    const ex = await import('../examples/quickstart.js');
    expect(ex.satnetOut.dSShape).toEqual([7, 8]);
    // Exact assignment of the 2×3 cost: row 0 → column 1 (0.1), row 1 → column 0 (0.2).
    expect(ex.assignment.exact).toEqual([
      [0, 1, 0],
      [1, 0, 0],
    ]);
    // min ½‖x‖² − 2x₀ − x₁ s.t. x₀ + x₁ ≤ 1: x = (1, 0) (projection of (2, 1) onto the half-plane); dΣx/dp = 0 on the active face.
    const [x0, x1] = ex.qpOut.x as number[];
    expect(Math.abs(x0! - 1) + Math.abs(x1!)).toBeLessThan(1e-8);
    for (const g of ex.qpOut.dxdp as number[]) expect(Math.abs(g)).toBeLessThan(1e-8);
    expect(ex.otOut.converged).toBe(true);
    // Penalising X₀₁ with λ = 10 moves the costs to [[0.9, 10.1, 0.5], [0.2, 0.8, 0.7]], whose best
    // assignment is 0 → 2, 1 → 0 (0.7 against 1.3, 1.6, 1.7): gradient (X' − X)/λ.
    expect(ex.blackboxOut.dW).toEqual([
      [0, -0.1, 0.1],
      [0, 0, 0],
    ]);
    const p = ex.blackboxOut.softmax as number[];
    (ex.blackboxOut.perturbedArgmax as number[]).forEach((v, i) => {
      expect(Math.abs(v - p[i]!)).toBeLessThan(0.05);
    });
  });
});
