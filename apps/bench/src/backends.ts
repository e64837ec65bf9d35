import { initBackend, setBackend } from '@ddopt/tensor';

/** Registers (for wasm, by importing its subpath) and starts a backend, making it current. */
export async function useBackend(name: string): Promise<void> {
  if (name === 'wasm') await import('@ddopt/tensor/wasm');
  await setBackend(name);
}

/** Registers and starts the wasm backend without making it current; the error message when it cannot start, else null. */
export async function startWasm(): Promise<string | null> {
  try {
    await import('@ddopt/tensor/wasm');
    await initBackend('wasm');
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
