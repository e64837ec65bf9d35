import { defineProject } from 'vitest/config';

// Vite 6+ resolves SSR (Node) imports with `ssr.resolve.conditions`, not `resolve.conditions`,
// so the `source` condition is given to both to load workspace packages from their sources.
export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { name: '@ddopt/datasets', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
