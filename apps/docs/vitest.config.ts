import { vitestProject } from '@ddopt/vitest-config';

// The unit tests and the code-block check; the browser test of the built site runs separately
// (vitest.browser.config.ts, after `pnpm run docs`; .ci/run calls it).
export default vitestProject('@ddopt/docs', { include: ['test/*.test.ts'], testTimeout: 120_000 });
