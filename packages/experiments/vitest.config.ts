import { vitestProject } from '@ddopt/vitest-config';

// Each test file runs one experiment's quick configuration once, in its beforeAll.
export default vitestProject('@ddopt/experiments', { testTimeout: 300_000, hookTimeout: 300_000 });
