import { describe, expect, it } from 'vitest';
import { initBackend, listBackends } from '../../src/backend.js';
import '../../src/webgl.js';

describe('webgl backend outside a browser', () => {
  it('registers on import but refuses to start in Node, saying why and listing the backends', async () => {
    expect(listBackends()).toContain('webgl');
    await expect(initBackend('webgl')).rejects.toThrow(/backend "webgl" could not start: webgl needs a browser .*use "wasm" or "cpu"; registered: cpu/);
  });
});
