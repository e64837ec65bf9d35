import { vitestProject } from '@ddopt/vitest-config';

// Importing every package's entry (and reading every manifest) takes seconds under load.
export default vitestProject('ddopt', { testTimeout: 60_000 });
