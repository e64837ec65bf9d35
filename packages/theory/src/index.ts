// @ddopt/theory — closed forms and checks from deep-learning theory (plain numbers or tensors in, out).
export { minNormRisk, minNormRiskExact, type MinNormRisk, type MinNormRiskAsymptotic, type MinNormRiskOptions } from './double-descent.js';
