/** Thrown when forward mode meets an operation that has no JVP rule (hvp then falls back to reverse-over-reverse). */
export class NoJvpRuleError extends Error {
  override name = 'NoJvpRuleError';
}
