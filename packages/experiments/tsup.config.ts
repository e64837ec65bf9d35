import { packageConfig } from '@ddopt/tsup-config';
import { defineConfig } from 'tsup';

// `node` is the Node-only subpath; `sweep-worker` is the file its thread pool loads. `shims` gives
// the CJS build an `import.meta.url`, from which `runSweep` finds the worker next to it.
export default defineConfig({ ...packageConfig({ index: 'src/index.ts', node: 'src/node/index.ts', 'sweep-worker': 'src/node/sweep-worker.ts' }), shims: true });
