// @ddopt/autograd/testing — the gradient test table and its checker, for ddopt's own tests and for new backends.
export { gradCases, sampleInputs, type GradCase, type InputSpec, type Domain } from './cases.js';
export { checkCase, FLOAT32_TOLERANCE, FLOAT64_TOLERANCE, type CaseReport, type CaseTolerance } from './check-case.js';
export { checkBatching, FLOAT32_BATCH_TOLERANCE, FLOAT64_BATCH_TOLERANCE, type BatchColumn, type BatchReport, type BatchTolerance } from './check-batching.js';
