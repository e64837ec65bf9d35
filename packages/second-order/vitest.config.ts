import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  test: { name: '@ddopt/second-order', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
