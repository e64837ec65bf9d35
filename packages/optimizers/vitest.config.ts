import { defineProject } from 'vitest/config';

// Vite 7 resolves Node-side imports with `ssr.resolve.conditions`, so 'source' goes there too.
export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { name: '@ddopt/optimizers', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
