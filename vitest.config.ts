import { defineConfig } from 'vitest/config';

// One run over the whole workspace; each package is its own project named after it.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
  },
});
