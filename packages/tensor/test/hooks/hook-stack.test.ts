// The dispatcher's hook stack: the innermost hook receives each bind and forwards with `next`;
// a bind made while a hook runs goes to that hook and below; hooks are popped on return and throw.
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/creation.js';
import { type BindHook, bind, withBindHook } from '../../src/dispatch.js';
import { cos, exp, sin } from '../../src/ops/index.js';

const x = tensor([0.5, -1], { dtype: 'float64' });
const values = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync());

/** A hook that logs `name:primitive` and forwards. */
const logging =
  (log: string[], name: string): BindHook =>
  (p, inputs, attrs, next) => {
    log.push(`${name}:${p}`);
    return next(p, inputs, attrs);
  };

describe('withBindHook', () => {
  it('the innermost hook sees a bind first and forwards it down to execute', () => {
    const log: string[] = [];
    const y = withBindHook(logging(log, 'outer'), () => withBindHook(logging(log, 'inner'), () => exp(x)));
    expect(log).toEqual(['inner:exp', 'outer:exp']);
    expect(values(y)).toEqual(values(exp(x)));
  });

  it('returns what fn returns, and a hook that does not forward replaces the result', () => {
    const log: string[] = [];
    const seven: BindHook = (p) => {
      log.push(`seven:${p}`);
      return tensor([7, 7], { dtype: 'float64' });
    };
    const y = withBindHook(logging(log, 'outer'), () => withBindHook(seven, () => sin(x)));
    expect(values(y)).toEqual([7, 7]);
    expect(log).toEqual(['seven:sin']);
  });

  it('pops the hook when fn returns and when it throws', () => {
    const log: string[] = [];
    withBindHook(logging(log, 'outer'), () => {
      withBindHook(logging(log, 'inner'), () => exp(x));
      expect(() =>
        withBindHook(logging(log, 'thrower'), () => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      sin(x);
    });
    cos(x);
    expect(log).toEqual(['inner:exp', 'outer:exp', 'outer:sin']);
  });

  it('a bind made by a hook goes to that hook and below, never to the hooks above it', () => {
    const log: string[] = [];
    // The lower hook computes sin as cos(x − π/2) by binding itself; the upper one only sees sin.
    const rewrite: BindHook = (p, inputs, attrs, next) => {
      log.push(`rewrite:${p}`);
      if (p !== 'sin') return next(p, inputs, attrs);
      return cos(bind('sub', [inputs[0]!, tensor([Math.PI / 2, Math.PI / 2], { dtype: 'float64' })], {}));
    };
    const y = withBindHook(logging(log, 'bottom'), () => withBindHook(rewrite, () => withBindHook(logging(log, 'top'), () => sin(x))));
    expect(log).toEqual(['top:sin', 'rewrite:sin', 'rewrite:sub', 'bottom:sub', 'rewrite:cos', 'bottom:cos']);
    const want = values(sin(x));
    values(y).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 15);
    });
  });

  it('a hook pushed while a lower hook runs sits above that one only', () => {
    const log: string[] = [];
    const nesting: BindHook = (p, inputs, attrs, next) => {
      log.push(`nesting:${p}`);
      if (p !== 'exp') return next(p, inputs, attrs);
      return withBindHook(logging(log, 'pushed'), () => sin(inputs[0]!));
    };
    withBindHook(nesting, () => withBindHook(logging(log, 'top'), () => exp(x)));
    expect(log).toEqual(['top:exp', 'nesting:exp', 'pushed:sin', 'nesting:sin']);
  });

  it('refuses a hook that is not a function, naming the value seen', () => {
    expect(() => withBindHook(undefined as unknown as BindHook, () => 1)).toThrow('withBindHook: hook must be a function, got undefined');
  });
});
