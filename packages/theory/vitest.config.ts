import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { name: '@ddopt/theory', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
