import { setBackend } from '@ddopt/tensor';

/** Registers (for wasm, by importing its subpath) and starts a backend, making it current. */
export async function useBackend(name: string): Promise<void> {
  if (name === 'wasm') await import('@ddopt/tensor/wasm');
  await setBackend(name);
}
