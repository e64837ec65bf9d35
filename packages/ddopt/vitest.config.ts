import { vitestProject } from '@ddopt/vitest-config';

export default vitestProject('ddopt');
