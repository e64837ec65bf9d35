import { describe, expect, it } from 'vitest';
import { sweepNets, sweepsSuite } from '../src/bench/sweeps-suite.js';

describe('bench sweeps (quick)', () => {
  it('times a training step of every sweep network on the cpu backend, and PyTorch builds the same networks', async () => {
    const result = await sweepsSuite({ quick: true });
    const m = result.measurements as {
      samplesPerSecond: Record<string, Record<string, number>>;
      params: Record<string, number>;
      torch: { sweeps?: { id: string; dtype: string; params: number; stepMs: number }[]; skipped?: string };
    };
    const nets = sweepNets(true);
    expect(Object.keys(m.samplesPerSecond)).toEqual(nets.map((n) => n.id));
    for (const n of nets) for (const c of ['ddopt cpu float32', 'ddopt cpu float64']) expect(m.samplesPerSecond[n.id]![c]).toBeGreaterThan(0);
    // mlp 196-10-10: (196 + 1)·10 + (10 + 1)·10 weights and biases (deep-double-descent's fcParams).
    expect(m.params.fc).toBe(197 * 10 + 11 * 10);
    if (m.torch.sweeps) {
      // torch.nn's count of the same architectures, independently built in torch_peer.py.
      for (const r of m.torch.sweeps) expect(r.params, r.id).toBe(m.params[r.id]);
      expect(result.notes.join('\n')).toContain('OpenBLAS');
    }
  }, 120_000);
});
