import { conformanceSuite } from './suite.js';

// The cpu backend holds every dtype; float32 results are compared at float32 precision.
conformanceSuite('cpu', {
  dtypes: ['float32', 'float64', 'int32', 'bool'],
  tol: { float32: 2e-5, float64: 1e-12, int32: 0, bool: 0 },
});
