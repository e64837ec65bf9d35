import { vitestProject } from '@ddopt/vitest-config';

// The built site (apps/docs/dist, from `pnpm run docs`) in Debian's headless Chromium.
// `pnpm --filter @ddopt/docs test:browser`; .ci/run calls it after building the site.
export default vitestProject('@ddopt/docs-browser', { include: ['test/browser/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 });
