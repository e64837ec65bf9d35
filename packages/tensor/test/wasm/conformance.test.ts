import '../../src/wasm.js';
import { conformanceSuite } from '../conformance/suite.js';

// tfjs-wasm holds float32, int32 and bool; its float32 kernels (vectorised sums, XNNPACK
// matmul/conv) round differently from the cpu backend's double accumulation.
conformanceSuite('wasm', {
  dtypes: ['float32', 'int32', 'bool'],
  tol: { float32: 1e-4, float64: 0, int32: 0, bool: 0 },
});
