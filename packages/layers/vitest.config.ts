import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  test: { name: '@ddopt/layers', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
