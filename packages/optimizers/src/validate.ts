// Option checks shared by every transform and preset; each error names the option and its value.

/** Throws unless `value` is a finite number ≥ 0. */
export function nonNegative(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RangeError(`${where}: ${name} must be a finite number ≥ 0, got ${String(value)}`);
  return value;
}

/** Throws unless `value` is a finite number > 0. */
export function positive(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`${where}: ${name} must be a finite number > 0, got ${String(value)}`);
  return value;
}

/** Throws unless `value` is a number in [0, 1). */
export function unitInterval(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new RangeError(`${where}: ${name} must be in [0, 1), got ${String(value)}`);
  return value;
}

/** Throws unless `value` is a number in [0, 1]. */
export function closedUnitInterval(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new RangeError(`${where}: ${name} must be in [0, 1], got ${String(value)}`);
  return value;
}

/** Throws unless `value` is a boolean. */
export function bool(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${where}: ${name} must be a boolean, got ${String(value)}`);
  return value;
}

/** Throws unless `value` is a finite number ≥ 0 or a function (a schedule). */
export function rateOrSchedule<T>(where: string, name: string, value: T): T {
  if (typeof value !== 'function') nonNegative(where, name, value);
  return value;
}

/** Throws unless `betas` is a pair of numbers in [0, 1). */
export function betaPair(where: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) throw new TypeError(`${where}: betas must be a pair [beta1, beta2], got ${JSON.stringify(value)}`);
  return [unitInterval(where, 'betas[0]', value[0]), unitInterval(where, 'betas[1]', value[1])];
}

/**
 * Throws unless `options` is an object whose every key is one of `keys` (a record listing each
 * key of the options type, so the compiler keeps the list complete), naming the first unknown key.
 */
export function knownKeys<T extends object>(where: string, options: T, keys: { readonly [K in keyof Required<T>]: true }): T {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const k of Object.keys(options)) {
    if (!Object.hasOwn(keys, k)) throw new TypeError(`${where}: unknown option "${k}" (known: ${Object.keys(keys).join(', ')})`);
  }
  return options;
}
