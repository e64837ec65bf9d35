import { beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentResult, hessianSpectrum } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(hessianSpectrum);
}, 120_000);

describe('hessian-spectrum --quick (MLP 196-16-10 on 300 digits, 120 GD steps)', () => {
  it("power iteration (PyHessian's) and Lanczos agree on the top eigenvalue, Lanczos in fewer products", () => {
    const h = result.headline;
    // PyHessian's tolerance 1e-3 on the Rayleigh quotient's change, with the eigenvalue ratio at init, bounds the gap at a few 1e-3
    expect(h.powerLanczosGapStart as number).toBeLessThan(1e-2);
    expect(h.productsLanczosStart as number).toBeLessThan(h.productsPowerStart as number);
  });

  it('SLQ gives a probability measure whose nodes stay inside the spectrum (Ritz values never exceed λ_max)', () => {
    const h = result.headline;
    expect(Math.abs((h.densityWeightSumStart as number) - 1)).toBeLessThan(1e-12);
    expect(h.densityMaxNodeStart as number).toBeLessThanOrEqual((h.topStartLanczos as number) * (1 + 1e-3));
    // the trace of a Hessian with top eigenvalue λ₁ and 3322 dimensions is at most 3322·λ₁ in absolute value
    expect(Math.abs(h.traceStart as number)).toBeLessThan((h.size as number) * (h.topStartLanczos as number));
  });

  it('GD trains, and the sharpness is compared with 2/α', () => {
    const h = result.headline;
    // ten balanced-ish classes: cross-entropy at a PyTorch-default init is near ln 10
    expect(Math.abs((h.lossStart as number) - Math.log(10))).toBeLessThan(0.3);
    expect(h.lossEnd as number).toBeLessThan(0.5 * (h.lossStart as number));
    expect(h.twoOverAlpha).toBe(2 / (h.alpha as number));
    expect(typeof h.monotone).toBe('boolean');
    expectDrawable(result);
  });
});
