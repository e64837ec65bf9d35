import { defineProject } from 'vitest/config';

// Vite 7 resolves Node-side (SSR) imports with `ssr.resolve.conditions`, so the `source`
// condition goes there too: workspace packages load from their TypeScript sources, no build.
export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { name: '@ddopt/bench', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 120_000 },
});
