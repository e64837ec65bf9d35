import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  test: { name: '@ddopt/autograd', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
