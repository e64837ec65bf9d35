/** Writes a tiny CIFAR-10 binary folder (five training batches and a test batch of eight records) into `dir`; returns `dir`. */
export function writeFakeCifar10(dir: string): string;
