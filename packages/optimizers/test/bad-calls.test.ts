// The bad-call table of @ddopt/optimizers (issue #12): each call is wrong and must throw the
// stated error class, its message starting with the function called and naming the argument and
// the value — never a silent default, coercion or broadcast. Then properties: random options with
// one unknown key or one wrong value always throw.
import { tensor } from '@ddopt/tensor';
import { type OptionRow, describeOptionProperties, junk } from '@ddopt/vitest-config/options-property';
import { describe, expect, it } from 'vitest';
import * as O from '../src/index.js';

const b = (v: unknown) => v as never;
const w3 = { w: tensor([1, 2, 3], { dtype: 'float64' }) };
const g3 = { w: tensor([0.1, 0.2, 0.3], { dtype: 'float64' }) };
const x2 = tensor([3, 4], { dtype: 'float64' });

/** [call as written, the call, error class, the function named first, then what the message must contain]. */
type Row = [string, () => unknown, ErrorConstructor, string, ...string[]];

const PRESETS: [string, (o?: never) => unknown][] = [
  ['sgd', O.sgd],
  ['adam', O.adam],
  ['adamw', O.adamw],
  ['nadam', O.nadam],
  ['radam', O.radam],
  ['adamax', O.adamax],
  ['adagrad', O.adagrad],
  ['adadelta', O.adadelta],
  ['rmsprop', O.rmsprop],
  ['lion', O.lion],
];
const presetRows: Row[] = PRESETS.flatMap(([name, preset]): Row[] => {
  const make = preset as (o?: unknown) => unknown;
  return [
    [`${name}(0.1)`, () => make(0.1), TypeError, name, 'options', 'got 0.1', `${name}({ lr: 0.1 })`],
    [`${name}({ learningRate: 0.1 })`, () => make({ learningRate: 0.1 }), TypeError, name, 'learningRate', 'did you mean "lr"'],
    [`${name}({ weight_decay: 1e-4 })`, () => make({ weight_decay: 1e-4 }), TypeError, name, 'weight_decay', 'did you mean "weightDecay"'],
    [`${name}({ lr: '0.1' })`, () => make({ lr: '0.1' }), TypeError, name, 'lr', "got '0.1'"],
    [`${name}({ lr: -1 })`, () => make({ lr: -1 }), RangeError, name, 'lr', 'got -1'],
    [`${name}({ weightDecay: NaN })`, () => make({ weightDecay: Number.NaN }), RangeError, name, 'weightDecay', 'got NaN'],
  ];
});

const ROWS: Row[] = [
  ...presetRows,
  // Typos and truthiness.
  ['sgd({ momentun: 0.9 })', () => O.sgd(b({ momentun: 0.9 })), TypeError, 'sgd', 'momentun', 'did you mean "momentum"'],
  ["sgd({ maximize: 'yes' })", () => O.sgd(b({ maximize: 'yes' })), TypeError, 'sgd', 'maximize', "got 'yes'"],
  ['sgd({ nesterov: 1 })', () => O.sgd(b({ nesterov: 1 })), TypeError, 'sgd', 'nesterov', 'got 1'],
  ["adam({ amsgrad: 'true' })", () => O.adam(b({ amsgrad: 'true' })), TypeError, 'adam', 'amsgrad', "got 'true'"],
  ['adam({ betas: 0.9 })', () => O.adam(b({ betas: 0.9 })), TypeError, 'adam', 'betas', 'got 0.9'],
  ['adam({ betas: [0.9] })', () => O.adam(b({ betas: [0.9] })), RangeError, 'adam', 'betas', 'got 1'],
  ['adam({ betas: [0.9, 1] })', () => O.adam({ betas: [0.9, 1] }), RangeError, 'adam', 'betas[1]', 'got 1'],
  ['adam({ eps: 0 })', () => O.adam({ eps: 0 }), RangeError, 'adam', 'eps', 'got 0'],
  ['rmsprop({ centred: true })', () => O.rmsprop(b({ centred: true })), TypeError, 'rmsprop', 'centred', 'did you mean "centered"'],
  ['rmsprop({ alpha: 1.5 })', () => O.rmsprop({ alpha: 1.5 }), RangeError, 'rmsprop', 'alpha', 'got 1.5'],
  ['adagrad({ lr_decay: 0.1 })', () => O.adagrad(b({ lr_decay: 0.1 })), TypeError, 'adagrad', 'lr_decay', 'did you mean "lrDecay"'],
  ['nadam({ maximize: true })', () => O.nadam(b({ maximize: true })), TypeError, 'nadam', 'maximize', 'known options'],
  // Transforms.
  ['scaleByAdam({ beta1: 0.9 })', () => O.scaleByAdam(b({ beta1: 0.9 })), TypeError, 'scaleByAdam', 'beta1', 'did you mean "b1"'],
  ['scaleByAdam(0.9)', () => O.scaleByAdam(b(0.9)), TypeError, 'scaleByAdam', 'options', 'got 0.9'],
  ['traceMomentum({})', () => O.traceMomentum(b({})), TypeError, 'traceMomentum', 'decay', 'required'],
  ["traceMomentum({ decay: 0.9, nesterov: 'no' })", () => O.traceMomentum(b({ decay: 0.9, nesterov: 'no' })), TypeError, 'traceMomentum', 'nesterov', "got 'no'"],
  ["emaMoment({ decay: 0.9, init: 'ones' })", () => O.emaMoment(b({ decay: 0.9, init: 'ones' })), RangeError, 'emaMoment', 'init', "got 'ones'"],
  ['emaMoment({ decay: 1 })', () => O.emaMoment({ decay: 1 }), RangeError, 'emaMoment', 'decay', 'got 1'],
  ['addDecayedWeights(1e-4)', () => O.addDecayedWeights(b(1e-4)), TypeError, 'addDecayedWeights', 'options', 'addDecayedWeights({ weightDecay: 0.0001 })'],
  ['multiSteps(sgd(), 4)', () => O.multiSteps(O.sgd(), b(4)), TypeError, 'multiSteps', 'options', 'multiSteps(inner, { everyK: 4 })'],
  ['multiSteps(42, { everyK: 2 })', () => O.multiSteps(b(42), { everyK: 2 }), TypeError, 'multiSteps', 'inner', 'got 42'],
  ['applyIfFinite(sgd(), { maxErrors: 1 })', () => O.applyIfFinite(O.sgd(), b({ maxErrors: 1 })), TypeError, 'applyIfFinite', 'maxErrors'],
  ['quasiHyperbolic({ beta: 0.9, nu: 2 })', () => O.quasiHyperbolic({ beta: 0.9, nu: 2 }), RangeError, 'quasiHyperbolic', 'nu', 'got 2'],
  ['perturbedGd({ ..., key: 1 })', () => O.perturbedGd(b({ lr: 0.1, gThres: 1, radius: 0.1, tThres: 2, key: 1 })), TypeError, 'perturbedGd', 'key', 'got 1'],
  ['clipByGlobalNorm(0)', () => O.clipByGlobalNorm(0), RangeError, 'clipByGlobalNorm', 'maxNorm', 'got 0'],
  ["scale('2')", () => O.scale(b('2')), RangeError, 'scale', 'factor', '2'],
  ['masked(5, mask)', () => O.masked(b(5), { w: true }), TypeError, 'masked', 'inner', 'got 5'],
  ['injectHyperparams(sgd(), {})', () => O.injectHyperparams(b(O.sgd()), {}), TypeError, 'injectHyperparams', 'factory', 'an object'],
  ['uniformFramework({ lr: 0.1 })', () => O.uniformFramework(b({ lr: 0.1 })), TypeError, 'uniformFramework', 'firstMoment', 'required'],
  ['uniformFramework(0.1)', () => O.uniformFramework(b(0.1)), TypeError, 'uniformFramework', 'options', 'uniformFramework({ lr: 0.1 })'],
  ['adaptiveLookahead({ power: 2 })', () => O.adaptiveLookahead(b({ power: 2 })), RangeError, 'adaptiveLookahead', 'power', 'got 2'],
  ['seedAdam({ lr: 0.1, beta1: 1 })', () => O.seedAdam({ lr: 0.1, beta1: 1 }), RangeError, 'seedAdam', 'beta1', 'got 1'],
  ['seedSgd(0.1)', () => O.seedSgd(b(0.1)), TypeError, 'seedSgd', 'options', 'seedSgd({ lr: 0.1 })'],
  // Composition fails when built, not at the first update.
  ['chain(sgd, 42)', () => O.chain(b(O.sgd), b(42)), TypeError, 'chain', 'transforms[0]', 'sgd()'],
  ['chain(sgd(), 42)', () => O.chain(O.sgd(), b(42)), TypeError, 'chain', 'transforms[1]', 'got 42'],
  // Shapes never broadcast.
  ['applyUpdates({ w: [3] }, { w: [2, 3] })', () => O.applyUpdates(w3, { w: tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' }) }), RangeError, 'applyUpdates', '.w', '[2, 3]', '[3]'],
  ['applyUpdates(float64, float32)', () => O.applyUpdates(w3, { w: tensor([1, 2, 3]) }), TypeError, 'applyUpdates', '.w', 'float32'],
  ['applyUpdates({ w }, { v })', () => O.applyUpdates(w3, { v: g3.w }), TypeError, 'applyUpdates', 'keys'],
  ['sgd().update(grads [2, 3], state, params [3])', () => O.sgd().update({ w: tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' }) }, O.sgd().init(w3), w3), RangeError, 'chain', '[2, 3]', '[3]'],
  ['scale(2) in a chain with a wrong gradient', () => O.chain(O.scale(2)).update({ w: x2 }, [{}], w3), RangeError, 'chain', '[2]', '[3]'],
  ['l2Ball({ center: [3] })([2])', () => O.l2Ball({ radius: 1, center: tensor([0, 0, 0], { dtype: 'float64' }) })(x2), RangeError, 'l2Ball', 'center', '[3]', '[2]'],
  ['halfspace({ a: [3] })([2])', () => O.halfspace({ a: tensor([1, 0, 0], { dtype: 'float64' }), b: 0 })(x2), RangeError, 'halfspace', 'a', '[3]'],
  ['box({ lower: [3] })([2])', () => O.box({ lower: tensor([0, 0, 0], { dtype: 'float64' }), upper: 1 })(x2), RangeError, 'box', 'lower', '[3]'],
  ["l2Ball({ radius: '1' })", () => O.l2Ball(b({ radius: '1' })), TypeError, 'l2Ball', 'radius', "got '1'"],
  ['l1Ball({ r: 1 })', () => O.l1Ball(b({ r: 1 })), TypeError, 'l1Ball', '"r"'],
  // Schedules.
  ['stepDecay(...)(-1)', () => O.stepDecay({ init: 0.1, stepSize: 10 })(-1), RangeError, 'stepDecay', 'step', 'got -1'],
  ['exponentialDecay(...)(-1)', () => O.exponentialDecay({ init: 0.1, decayRate: 0.5 })(-1), RangeError, 'exponentialDecay', 'step', 'got -1'],
  ['cosineDecay(...)(2.5)', () => O.cosineDecay({ init: 0.1, decaySteps: 10 })(2.5), RangeError, 'cosineDecay', 'step', 'got 2.5'],
  ["warmupCosine(...)('3')", () => O.warmupCosine({ peak: 1, warmupSteps: 2, decaySteps: 10 })(b('3')), TypeError, 'warmupCosine', 'step', "got '3'"],
  ['stepDecay({ init: 0.1, step_size: 10 })', () => O.stepDecay(b({ init: 0.1, step_size: 10 })), TypeError, 'stepDecay', 'step_size', 'did you mean "stepSize"'],
  ["exponentialDecay({ ..., staircase: 'yes' })", () => O.exponentialDecay(b({ init: 1, decayRate: 0.5, staircase: 'yes' })), TypeError, 'exponentialDecay', 'staircase', "got 'yes'"],
  ['linear({ init: 1, end: 0 })', () => O.linear(b({ init: 1, end: 0 })), TypeError, 'linear', 'transitionSteps', 'required'],
  ['oneCycle({ maxLr: 1, totalSteps: 10, pctStart: 2 })', () => O.oneCycle({ maxLr: 1, totalSteps: 10, pctStart: 2 }), RangeError, 'oneCycle', 'pctStart', 'got 2'],
  ['piecewiseConstant({ init: 1, boundariesAndScales: { a: 0.1 } })', () => O.piecewiseConstant(b({ init: 1, boundariesAndScales: { a: 0.1 } })), RangeError, 'piecewiseConstant', 'boundariesAndScales', "'a'"],
  ['reduceOnPlateau({ patience: 2.5 })', () => O.reduceOnPlateau({ patience: 2.5 }), RangeError, 'reduceOnPlateau', 'patience', 'got 2.5'],
  ['demonDecay(0.9)', () => O.demonDecay(b(0.9)), TypeError, 'demonDecay', 'options', 'got 0.9'],
  // Training loops.
  ['fit(loss, sgd(), params, 10)', () => O.fit(() => x2, O.sgd(), w3, b(10)), TypeError, 'fit', 'options', 'fit(loss, tx, params, { steps: 10 })'],
  ['fit(..., { steps: 2, epochs: 1 })', () => O.fit(() => x2, O.sgd(), w3, b({ steps: 2, epochs: 1 })), TypeError, 'fit', 'epochs'],
  ["fit(..., { steps: '2' })", () => O.fit(() => x2, O.sgd(), w3, b({ steps: '2' })), TypeError, 'fit', 'steps', "got '2'"],
  ["fit(..., { onStep: 'log' })", () => O.fit(() => x2, O.sgd(), w3, b({ steps: 1, onStep: 'log' })), TypeError, 'fit', 'onStep', "got 'log'"],
  ["trainStep(..., { extra: 'x' })", () => O.trainStep(() => x2, O.sgd(), { params: w3, state: O.sgd().init(w3) }, b({ extra: 'x' })), TypeError, 'trainStep', 'extra', "got 'x'"],
  // States.
  ["fit with adam's state in nadam", () => O.fit(() => x2, O.nadam(), w3, { steps: 1, state: O.adam().init(w3) as never }), TypeError, 'fit', 'options.state', 'keys'],
  ['fit with a state for other params', () => O.fit(() => x2, O.adam(), w3, { steps: 1, state: O.adam().init({ w: x2 }) }), RangeError, 'fit', 'options.state', '[2]', '[3]'],
  ["fit with count: '5'", () => O.fit(() => x2, O.scaleByAdam(), w3, { steps: 1, state: { ...O.scaleByAdam().init(w3), count: '5' as never } }), TypeError, 'fit', 'options.state.count', "'5'"],
  ['fit with count: -1', () => O.fit(() => x2, O.scaleByAdam(), w3, { steps: 1, state: { ...O.scaleByAdam().init(w3), count: -1 } }), RangeError, 'fit', 'options.state.count', 'got -1'],
  ["stateFromJSON(adam's state, { optimizer: nadam })", () => O.stateFromJSON(roundTrip(O.stateToJSON(O.adam().init(w3), { optimizer: O.adam() })), { optimizer: O.nadam() }), TypeError, 'stateFromJSON', 'adam', 'nadam'],
  ['stateFromJSON(a state for [3], { optimizer, params: [2] })', () => O.stateFromJSON(roundTrip(O.stateToJSON(O.adam().init(w3))), { optimizer: O.adam(), params: { w: x2 } }), RangeError, 'stateFromJSON', 'state[1].mu.w', '[2]'],
  ['stateFromJSON(edited payload)', () => O.stateFromJSON(edit(O.stateToJSON({ count: 5 }), (j) => ((j.state as { count: number }).count = 6))), RangeError, 'stateFromJSON', 'checksum'],
  ['stateFromJSON(format version 2)', () => O.stateFromJSON(edit(O.stateToJSON({ count: 5 }), (j) => (j.$ddoptState = 2))), RangeError, 'stateFromJSON', 'format version 2'],
  ['stateFromJSON(raw payload)', () => O.stateFromJSON({ count: 5 }), TypeError, 'stateFromJSON', 'json', 'stateToJSON'],
  ["stateFromJSON(json, 'cpu')", () => O.stateFromJSON(O.stateToJSON({ count: 5 }), b('cpu')), TypeError, 'stateFromJSON', 'options', "got 'cpu'"],
  ['stateToJSON(state, { name })', () => O.stateToJSON({ count: 1 }, b({ name: 'adam' })), TypeError, 'stateToJSON', 'name', 'known options: optimizer'],
  ['stateToJSON({ f: () => 1 })', () => O.stateToJSON(b({ f: () => 1 })), TypeError, 'stateToJSON', 'a function'],
];

function roundTrip(j: O.StateJSON): O.StateJSON {
  return JSON.parse(JSON.stringify(j));
}

function edit(j: O.StateJSON, f: (j: Record<string, O.StateJSON>) => void): O.StateJSON {
  const c = roundTrip(j) as Record<string, O.StateJSON>;
  f(c);
  return c;
}

describe('bad calls to @ddopt/optimizers', () => {
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

  it('a state saved with its optimizer loads back into it bit for bit', () => {
    const tx = O.adam({ lr: 0.1 });
    const s = tx.update(g3, tx.init(w3), w3).state;
    const back = O.stateFromJSON(roundTrip(O.stateToJSON(s, { optimizer: tx })), { optimizer: tx, params: w3 });
    expect(O.stateToJSON(back)).toEqual(O.stateToJSON(s));
    expect((O.stateToJSON(s, { optimizer: tx }) as { optimizer: string }).optimizer).toBe('adam');
  });
});

// Values outside a kind, written independently of the checks under test.
const notRate = junk.filter((v) => !(typeof v === 'number' && Number.isFinite(v) && v >= 0));
const notUnit = junk.filter((v) => !(typeof v === 'number' && v >= 0 && v < 1));
const notPositive = junk.filter((v) => !(typeof v === 'number' && Number.isFinite(v) && v > 0));
const notBoolean = junk.filter((v) => typeof v !== 'boolean');
const notBetas = junk.filter((v) => !(Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && x >= 0 && x < 1)));

const OPTION_FUNCTIONS: OptionRow[] = [
  { fn: 'sgd', call: (o) => O.sgd(o), valid: { lr: 0.1, momentum: 0.9 }, wrong: { lr: notRate, momentum: notRate, dampening: notRate, nesterov: notBoolean, maximize: notBoolean, weightDecay: notRate } },
  { fn: 'adam', call: (o) => O.adam(o), valid: { lr: 0.1 }, wrong: { betas: notBetas, eps: notPositive, amsgrad: notBoolean, weightDecay: notRate } },
  { fn: 'rmsprop', call: (o) => O.rmsprop(o), valid: { lr: 0.1 }, wrong: { alpha: notUnit, eps: notPositive, centered: notBoolean, momentum: notRate } },
  { fn: 'lion', call: (o) => O.lion(o), valid: { lr: 0.1 }, wrong: { betas: notBetas, weightDecay: notRate } },
  { fn: 'scaleByNadam', call: (o) => O.scaleByNadam(o), valid: { b1: 0.9 }, wrong: { b1: notUnit, b2: notUnit, eps: notPositive, momentumDecay: notRate } },
  { fn: 'reduceOnPlateau', call: (o) => O.reduceOnPlateau(o), valid: { factor: 0.5 }, wrong: { factor: notUnit, patience: junk.filter((v) => !(Number.isInteger(v) && (v as number) >= 0)), threshold: notRate } },
  { fn: 'cosineDecay', call: (o) => O.cosineDecay(o as never), valid: { init: 0.1, decaySteps: 10 }, wrong: { init: notRate, alpha: junk.filter((v) => !(typeof v === 'number' && v >= 0 && v <= 1)) } },
];

describeOptionProperties(OPTION_FUNCTIONS, { known: ['lr', 'momentum', 'dampening', 'nesterov', 'maximize', 'weightDecay', 'betas', 'eps', 'amsgrad', 'alpha', 'centered', 'b1', 'b2', 'momentumDecay', 'factor', 'patience', 'threshold', 'cooldown', 'minScale', 'init', 'decaySteps'], numRuns: 60 });

