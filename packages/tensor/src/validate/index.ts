// @ddopt/tensor/validate — the argument checks and message formats every ddopt package shares.
// Each error names the function, the argument, the value seen and what was expected.
export { fmtShape } from '../shape.js';
export { assertInt } from './int.js';
export { assertTensor, assertFloat } from './tensor.js';
export { type Pair, pair, pairOption } from './pair.js';
export { type ConvPadding, type PaddingSides, type WindowGeometry, convPadding, convOutputSize, paddingOption } from './conv.js';
export { fmtValue } from './value.js';
export {
  type Check,
  type CheckedOptions,
  type CheckOptionsHow,
  type NumberDomain,
  type OptionSpec,
  checkArg,
  checkOptions,
  describeNumber,
  describeOptions,
  didYouMean,
  option,
} from './options.js';
