// @ddopt/autograd — derivatives of any order over @ddopt/tensor: grad, vjp, jvp, hvp, vmap, Jacobians, custom rules, checks.
export { grad, valueAndGrad, vjp, type GradOptions } from './grad.js';
export { jvp, linearize } from './jvp.js';
export { hvp, vhp } from './hessian.js';
export { jacobian, jacrev, jacfwd, hessian, type JacobianOptions } from './jacobian.js';
export { vmap, type AxisSpec, type VmapOptions } from './vmap.js';
export { perExampleGrads, jvpBatch, vjpBatch } from './per-example.js';
export { customVjp, customJvp, stopGradient, type CustomOptions } from './custom.js';
export { checkGrad, checkHvp, type CheckOptions, type CheckResult } from './check.js';
export { NoJvpRuleError } from './errors.js';
export { vjpRules, jvpRules, batchRules, type VjpRule, type JvpRule, type BatchRule, type BatchDim, type MaybeTensor } from './rules/index.js';
