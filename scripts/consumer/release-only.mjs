// Runs only the release test (scripts/consumer/release.mjs): node scripts/consumer/release-only.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Steps, ensureTools } from './lib.mjs';
import { releaseTest } from './release.mjs';

const steps = new Steps();
const work = mkdtempSync(join(tmpdir(), 'ddopt-release-'));
let tools;
await steps.step('test tools installed (cached)', async () => {
  tools = await ensureTools();
});
await steps.step('release: changeset version and publish to a local Verdaccio, install from it', () => releaseTest({ tools, work }));
if (process.env.DDOPT_CONSUMER_KEEP !== '1') rmSync(work, { recursive: true, force: true });
process.exit(steps.summary('release'));
