// @ddopt/autograd — derivatives of any order over @ddopt/tensor: grad, vjp, jvp, hvp, Jacobians, custom rules, checks.
export { grad, valueAndGrad, vjp, type GradOptions } from './grad.js';
export { jvp, linearize } from './jvp.js';
export { hvp, vhp, jacobian, jacrev, jacfwd, hessian } from './hessian.js';
export { customVjp, customJvp, stopGradient } from './custom.js';
export { checkGrad, checkHvp, type CheckOptions, type CheckResult } from './check.js';
export { NoJvpRuleError } from './errors.js';
export { vjpRules, jvpRules, type VjpRule, type JvpRule, type MaybeTensor } from './rules/index.js';
