// conv/pool/softmax forwards against PyTorch 1.13 outputs recorded by
// test/fixtures/record_torch_ops.py (float64 inputs stored in the fixture), on cpu in float64.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/creation.js';
import * as T from '../../src/ops/index.js';
import type { Tensor } from '../../src/tensor.js';

interface Arr {
  shape: number[];
  data: number[];
}
interface Case {
  op: string;
  name: string;
  options: Record<string, any>;
  inputs: Record<string, Arr>;
  output: Arr;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch_ops.json', import.meta.url), 'utf8')) as { cases: Case[] };

const OPS: Record<string, (inputs: Record<string, Tensor>, options: Record<string, any>) => Tensor> = {
  conv2d: (i, o) => T.conv2d(i.x!, i.w!, o),
  conv1d: (i, o) => T.conv1d(i.x!, i.w!, o),
  convTranspose2d: (i, o) => T.convTranspose2d(i.x!, i.w!, o),
  maxPool2d: (i, o) => T.maxPool2d(i.x!, o as T.Pool2dOptions),
  avgPool2d: (i, o) => T.avgPool2d(i.x!, o as T.Pool2dOptions),
  softmax: (i, o) => T.softmax(i.x!, o.axis),
  logSoftmax: (i, o) => T.logSoftmax(i.x!, o.axis),
};

describe('PyTorch 1.13 fixtures (cpu, float64, tol 1e-12)', () => {
  it('covers every recorded op', () => {
    expect(new Set(fixture.cases.map((c) => c.op))).toEqual(new Set(Object.keys(OPS)));
  });
  for (const c of fixture.cases) {
    it(`${c.op} ${c.name}`, () => {
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, tensor(v.data, { shape: v.shape, dtype: 'float64', backend: 'cpu' })]));
      const y = OPS[c.op]!(inputs, c.options);
      expect([...y.shape]).toEqual(c.output.shape);
      const got = y.dataSync();
      let worst = 0;
      c.output.data.forEach((e, i) => {
        worst = Math.max(worst, Math.abs(got[i]! - e) / Math.max(1, Math.abs(e)));
      });
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }
});
