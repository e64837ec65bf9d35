// `pnpm run docs`: generate the parts that come from the code (scripts/generate.mjs), then build
// the static site with VitePress into apps/docs/dist/. The root script builds the packages this
// app depends on first (pnpm's `@ddopt/docs...` filter), so the playground bundles their
// published entry points (dist/), as a user's bundler would.
import { join } from 'node:path';
import { build } from 'vitepress';
import { docsDir, generate, siteDir } from './generate.mjs';

const t0 = performance.now();
await generate();
await build(siteDir);
console.log(`docs: built ${join(docsDir, 'dist')} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
