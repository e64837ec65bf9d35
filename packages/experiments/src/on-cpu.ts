// Experiments whose closed forms and checks need float64 run on the cpu backend whatever
// `--backend` asks for; they say so in `backendUsed`.
import { getBackend, setBackend } from '@ddopt/tensor';

/**
 * Runs `fn` with cpu as the current backend and restores the previous one afterwards (also when
 * `fn` throws). Experiments run one at a time, so the switch holds across `fn`'s awaits.
 */
export async function runOnCpu<T>(fn: () => Promise<T>): Promise<T> {
  const previous = getBackend();
  await setBackend('cpu');
  try {
    return await fn();
  } finally {
    await setBackend(previous);
  }
}
