// Runs from the TypeScript sources only (tests, the `ddopt` CLI through tsx): a worker thread does
// not inherit `--import tsx`, so this plain-JS entry registers tsx, then loads the real worker.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./sweep-worker.ts');

export default worker.default;
