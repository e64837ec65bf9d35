import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend.js';
import '../../src/wasm.js';
import { CASES, compareResults, runCase } from './cases.js';

// Every primitive on 'wasm' against the cpu backend (itself tested against closed forms).
describe('wasm backend primitives agree with cpu', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const want = runCase(c, 'cpu');
    const got = runCase(c, 'wasm');
    expect(compareResults(got, want, c.tol, c.relTol)).toBeUndefined();
  });
});
