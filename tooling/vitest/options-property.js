// The property every library package's bad-calls test states about options declared with
// `checkOptions`: one unknown key, or one wrong value, in otherwise valid options always throws,
// and the message names the function and the key. One definition; each test lists its rows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Values of every plain kind (strings, null, NaN, numbers, booleans, small arrays and objects); wrong-value arbitraries filter it. */
export const junk = fc.oneof(
  fc.string(),
  fc.constant(null),
  fc.constant(Number.NaN),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.double(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

function thrown(call) {
  try {
    call();
  } catch (e) {
    return e;
  }
  return undefined;
}

/**
 * One describe block: for each row, an unknown key (a random name outside `known` and the row's
 * own keys) throws a TypeError `<fn>: unknown option "<key>"`, and each wrong value throws an error
 * starting with `<fn>: ` that names its key.
 * @param {import('./options-property').OptionRow[]} rows
 * @param {{ known?: string[]; numRuns?: number; seed?: number }} [settings]
 */
export function describeOptionProperties(rows, { known = [], numRuns = 50, seed = 12 } = {}) {
  describe('property: one wrong key or value in otherwise valid options always throws', () => {
    for (const { fn, call, valid, wrong } of rows) {
      const names = new Set([...known, ...Object.keys(valid), ...Object.keys(wrong), '__proto__']);
      it(`${fn}: an unknown key throws a TypeError naming ${fn} and the key`, () => {
        const unknownKey = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !names.has(k));
        fc.assert(
          fc.property(unknownKey, fc.anything(), (k, value) => {
            const error = thrown(() => call({ ...valid, [k]: value }));
            expect(error).toBeInstanceOf(TypeError);
            expect(error.message.startsWith(`${fn}: unknown option "${k}"`), error.message).toBe(true);
          }),
          { seed, numRuns },
        );
      });
      for (const [k, arb] of Object.entries(wrong)) {
        it(`${fn}: a wrong ${k} throws naming ${fn} and ${k}`, () => {
          fc.assert(
            fc.property(arb, (value) => {
              const error = thrown(() => call({ ...valid, [k]: value }));
              expect(error).toBeInstanceOf(Error);
              expect(error.message).toMatch(new RegExp(`^${fn}: .*${k}`));
            }),
            { seed, numRuns },
          );
        });
      }
    }
  });
}
