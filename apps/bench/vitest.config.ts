import { vitestProject } from '@ddopt/vitest-config';

export default vitestProject('@ddopt/bench', { testTimeout: 120_000 });
