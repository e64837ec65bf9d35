import { packageConfig } from '@ddopt/tsup-config';
import { defineConfig } from 'tsup';

export default defineConfig({
  ...packageConfig({ index: 'src/index.ts', testing: 'src/testing/index.ts' }),
  // Shared chunks in CJS too, so '@ddopt/autograd/testing' uses the same level stack as '@ddopt/autograd'.
  splitting: true,
});
