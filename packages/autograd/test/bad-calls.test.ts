// The bad-call table of @ddopt/autograd (issue #12): each call is wrong and must throw the stated
// error class, its message starting with the transformation called (hvp, not the jvp inside it)
// and naming the argument and the value. Then properties: random options with one unknown key or
// one wrong value always throw.
import { type Tensor, mul, sum, tanh, tensor } from '@ddopt/tensor';
import { type OptionRow, describeOptionProperties, junk } from '@ddopt/vitest-config/options-property';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGrad, checkHvp, customJvp, customVjp, grad, hessian, hvp, jacfwd, jacrev, jvp, linearize, valueAndGrad, vhp, vjp, vmap } from '../src/index.js';

const b = (v: unknown) => v as never;
const x = tensor([0.1, 0.2, 0.3], { dtype: 'float64' });
const y = tensor([1, 2], { dtype: 'float64' });
const f = (t: Tensor) => sum(tanh(t));
const f2 = (t: Tensor, u: Tensor) => sum(mul(tanh(t), sum(u)));

/** [call as written, the call, error class, the function named first, then what the message must contain]. */
type Row = [string, () => unknown, ErrorConstructor, string, ...string[]];

const ROWS: Row[] = [
  // Positional habits and non-objects.
  ['grad(f, 1)', () => grad(f, b(1)), TypeError, 'grad', 'options', 'got 1', 'grad(f, { argnums: 1 })'],
  ['grad(f, [0, 1])', () => grad(f2, b([0, 1])), TypeError, 'grad', 'options', 'grad(f, { argnums: [0, 1] })'],
  ['grad(f, true)', () => grad(f, b(true)), TypeError, 'grad', 'options', 'grad(f, { hasAux: true })'],
  ['valueAndGrad(f, 1)', () => valueAndGrad(f, b(1)), TypeError, 'valueAndGrad', 'options', 'valueAndGrad(f, { argnums: 1 })'],
  ["grad('f')", () => grad(b('f')), TypeError, 'grad', 'f', "got 'f'"],
  ['valueAndGrad(null)', () => valueAndGrad(b(null)), TypeError, 'valueAndGrad', 'f', 'got null'],
  ['vjp(42, x)', () => vjp(b(42), x), TypeError, 'vjp', 'f', 'got 42'],
  ['jvp(42, [x], [x])', () => jvp(b(42), [x], [x]), TypeError, 'jvp', 'f', 'got 42'],
  ['jvp(f, x, x)', () => jvp(f, b(x), b(x)), TypeError, 'jvp', 'primals', 'a Tensor'],
  ['linearize(null, x)', () => linearize(b(null), x), TypeError, 'linearize', 'f', 'got null'],
  ['hvp(42, x, x)', () => hvp(b(42), x, x), TypeError, 'hvp', 'f', 'got 42'],
  ['checkGrad(f, x, 1e-3)', () => checkGrad(f, x, b(1e-3)), TypeError, 'checkGrad', 'options', 'got 0.001'],
  ['customVjp(f, fwd, 3)', () => customVjp(f, (t: Tensor) => [f(t), t], b(3)), TypeError, 'customVjp', 'bwd', 'got 3'],
  ['customJvp(f, null)', () => customJvp(f, b(null)), TypeError, 'customJvp', 'jvpFn', 'got null'],
  // Unknown and misspelled keys.
  ['grad(f, { argnum: 1 })', () => grad(f, b({ argnum: 1 })), TypeError, 'grad', 'argnum', 'did you mean "argnums"'],
  ['grad(f, { has_aux: true })', () => grad(f, b({ has_aux: true })), TypeError, 'grad', 'has_aux', 'did you mean "hasAux"'],
  ['valueAndGrad(f, { aux: true })', () => valueAndGrad(f, b({ aux: true })), TypeError, 'valueAndGrad', 'aux', 'known options: argnums, hasAux'],
  ['checkGrad(f, x, { rel: 1e-3 })', () => checkGrad(f, x, b({ rel: 1e-3 })), TypeError, 'checkGrad', 'rel', 'known options: eps, rtol, atol'],
  ['checkGrad(f, x, { tol: 1e-3 })', () => checkGrad(f, x, b({ tol: 1e-3 })), TypeError, 'checkGrad', '"tol"'],
  ['checkHvp(f, x, x, { epsilon: 1e-3 })', () => checkHvp(f, x, x, b({ epsilon: 1e-3 })), TypeError, 'checkHvp', 'epsilon', 'did you mean "eps"'],
  ['jacrev(f, { argnum: 0 })', () => jacrev(f, b({ argnum: 0 })), TypeError, 'jacrev', 'argnum'],
  ['jacfwd(f, 0)', () => jacfwd(f, b(0)), TypeError, 'jacfwd', 'options', 'got 0'],
  ['hessian(f, { argnums: "0" })', () => hessian(f, b({ argnums: '0' })), TypeError, 'hessian', 'argnums', "'0'"],
  ['vmap(f, { in_axes: 0 })', () => vmap(f, b({ in_axes: 0 })), TypeError, 'vmap', 'in_axes'],
  // Wrong types and out-of-domain values.
  ["grad(f, { hasAux: 'yes' })", () => grad(f, b({ hasAux: 'yes' })), TypeError, 'grad', 'hasAux', "got 'yes'"],
  ['grad(f, { argnums: 1.5 })', () => grad(f, { argnums: 1.5 }), RangeError, 'grad', 'argnums', 'got 1.5'],
  ['grad(f, { argnums: -1 })', () => grad(f, { argnums: -1 }), RangeError, 'grad', 'argnums', 'got -1'],
  ["grad(f, { argnums: '1' })", () => grad(f, b({ argnums: '1' })), TypeError, 'grad', 'argnums', "got '1'"],
  ['grad(f, { argnums: 1 })(x)', () => grad(f, { argnums: 1 })(x), RangeError, 'grad', 'argnums', 'called with 1 argument'],
  ['checkGrad(f, x, { rtol: -1 })', () => checkGrad(f, x, { rtol: -1 }), RangeError, 'checkGrad', 'rtol', 'got -1'],
  ['checkGrad(f, x, { atol: NaN })', () => checkGrad(f, x, { atol: Number.NaN }), RangeError, 'checkGrad', 'atol', 'got NaN'],
  ['checkGrad(f, x, { eps: 0 })', () => checkGrad(f, x, { eps: 0 }), RangeError, 'checkGrad', 'eps', 'got 0'],
  ["checkGrad(f, x, { eps: '1e-6' })", () => checkGrad(f, x, b({ eps: '1e-6' })), TypeError, 'checkGrad', 'eps', "'1e-6'"],
  ['checkGrad(f, x, { rtol: 0, atol: 0 })', () => checkGrad(f, x, { rtol: 0, atol: 0 }), RangeError, 'checkGrad', 'rtol', 'atol'],
  ['checkHvp(f, x, x, { rtol: -1 })', () => checkHvp(f, x, x, { rtol: -1 }), RangeError, 'checkHvp', 'rtol', 'got -1'],
  // Shapes never broadcast; errors name the transformation called.
  ['hvp(f, x [3], v [2])', () => hvp(f, x, y), TypeError, 'hvp', 'v', '[2]', '[3]'],
  ['hvp(f, x, v float32)', () => hvp(f, x, tensor([1, 2, 3])), TypeError, 'hvp', 'float32', 'float64'],
  ['hvp(f, { a: x }, { b: x })', () => hvp((p: { a: Tensor }) => f(p.a), { a: x }, b({ b: x })), TypeError, 'hvp', 'v', 'params'],
  ['vhp(f, x [3], v [2])', () => vhp(f, x, y), TypeError, 'vhp', '[2]', '[3]'],
  ['hvp of a non-scalar f', () => hvp((t: Tensor) => tanh(t), x, x), RangeError, 'hvp', 'scalar', '[3]'],
  ['jvp(f, [x], [y])', () => jvp(f, [x], [y]), TypeError, 'jvp', 'tangent', '[2]', '[3]'],
  ['linearize tangent [1] for [3]', () => linearize(f, x)[1](tensor([1], { dtype: 'float64' })), TypeError, 'linearize', 'tangents[0]', '[1]', '[3]'],
  ['linearize tangent float32', () => linearize(f, x)[1](tensor([1, 2, 3])), TypeError, 'linearize', 'float32', 'float64'],
  ['vjp cotangent [2] for a scalar', () => vjp(f, x)[1](b(y)), TypeError, 'vjp', 'cotangent', '[2]'],
  ['customVjp bwd of the wrong shape', () => grad(customVjp(f, (t: Tensor) => [f(t), t], () => [y]))(x), TypeError, 'customVjp(f)', 'cotangent', '[2]', '[3]'],
  ['customJvp jvpFn of the wrong shape', () => jvp(customJvp((t: Tensor) => tanh(t), (p: [Tensor], _t: [Tensor]) => [tanh(p[0]), y]), [x], [x]), TypeError, 'customJvp', 'tangent', '[2]', '[3]'],
  ['customJvp jvpFn of the wrong dtype', () => jvp(customJvp((t: Tensor) => tanh(t), (p: [Tensor], _t: [Tensor]) => [tanh(p[0]), tensor([1, 2, 3])]), [x], [x]), TypeError, 'customJvp', 'float32', 'float64'],
];

describe('bad calls to @ddopt/autograd', () => {
  it.each(ROWS)('%s throws, naming the function, the argument and the value', (_, call, Err, fn, ...mentions) => {
    let returned: unknown;
    let error: unknown;
    try {
      returned = call();
    } catch (e) {
      error = e;
    }
    expect(error, `returned ${String(returned)} instead of throwing`).toBeInstanceOf(Err);
    const message = (error as Error).message;
    expect(message.startsWith(`${fn}: `), message).toBe(true);
    for (const m of mentions) expect(message).toContain(m);
  });

  it('checkGrad finds a gradient wrong by 6 with the default tolerances (the case a negative rtol used to pass)', () => {
    // The true gradient of Σt² at x is 2x = [0.2, 0.4, 0.6]; this bwd returns it plus 6.
    const bad = customVjp(
      (t: Tensor) => sum(mul(t, t)),
      (t: Tensor) => [sum(mul(t, t)), t] as [Tensor, Tensor],
      (_t: Tensor, ct: Tensor) => [mul(ct, tensor([6.2, 6.4, 6.6], { dtype: 'float64' }))],
    );
    const r = checkGrad(bad, x);
    expect(r.ok).toBe(false);
    expect(r.maxAbsErr).toBeCloseTo(6, 6);
  });
});

const notArgnums = fc.oneof(junk, fc.integer({ max: -1 })).filter((v) => !(Number.isInteger(v) && (v as number) >= 0));
const notBoolean = fc.oneof(junk, fc.integer()).filter((v) => typeof v !== 'boolean');
const notTolerance = fc.oneof(junk, fc.double({ max: -Number.MIN_VALUE })).filter((v) => !(typeof v === 'number' && Number.isFinite(v) && v >= 0));

const OPTION_FUNCTIONS: OptionRow[] = [
  { fn: 'grad', call: (o) => grad(f, o), valid: { argnums: 0 }, wrong: { argnums: notArgnums, hasAux: notBoolean } },
  { fn: 'valueAndGrad', call: (o) => valueAndGrad(f, o), valid: { hasAux: false }, wrong: { argnums: notArgnums, hasAux: notBoolean } },
  { fn: 'checkGrad', call: (o) => checkGrad(f, x, o), valid: { rtol: 1e-6 }, wrong: { rtol: notTolerance, atol: notTolerance, eps: notTolerance } },
];

describeOptionProperties(OPTION_FUNCTIONS, { known: ['argnums', 'hasAux', 'eps', 'rtol', 'atol'] });
