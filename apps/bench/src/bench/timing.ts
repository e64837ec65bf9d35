/** Options of `timeIt`. */
export interface TimeOptions {
  /** Keep repeating until this much time has been spent (after warm-up). */
  minSeconds?: number;
  minReps?: number;
  maxReps?: number;
  warmup?: number;
}

/** Median wall time of `fn` in milliseconds, over repeated calls after warm-up. */
export function timeIt(fn: () => void, options: TimeOptions = {}): { ms: number; reps: number } {
  const { minSeconds = 0.4, minReps = 3, maxReps = 200, warmup = 1 } = options;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minReps || (times.length < maxReps && performance.now() - start < minSeconds * 1000)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, reps: times.length };
}

/**
 * Wall times in milliseconds of several functions called in turn, one round after another
 * (after one warm-up round), so that a machine getting busier or quieter mid-run shifts all of
 * them alike. Returns each function's samples, one per round.
 */
export function timeInterleaved<K extends string>(fns: Record<K, () => void>, options: TimeOptions = {}): Record<K, number[]> {
  const { minSeconds = 0.4, minReps = 3, maxReps = 200, warmup = 1 } = options;
  const names = Object.keys(fns) as K[];
  const samples = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < warmup; i++) for (const k of names) fns[k]();
  const start = performance.now();
  for (let round = 0; round < minReps || (round < maxReps && performance.now() - start < minSeconds * 1000); round++) {
    for (const k of names) {
      const t0 = performance.now();
      fns[k]();
      samples[k].push(performance.now() - t0);
    }
  }
  return samples;
}

/** The median of `xs` (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
