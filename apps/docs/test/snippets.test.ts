import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript (scripts/ is run by node directly)
import { extractSnippets } from '../scripts/check-snippets.mjs';

const script = fileURLToPath(new URL('../scripts/check-snippets.mjs', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ddopt-snippets-'));
const bad = join(dir, 'bad.md');
let report: { snippets: string[]; failures: string[] };

describe('code blocks of the guides', () => {
  beforeAll(async () => {
    // One compiler run over every guide plus a deliberately wrong page; in a child process, so
    // the long synchronous type-check does not stall the test worker.
    writeFileSync(bad, ['# bad', '', '```ts', "import { adam } from '@ddopt/optimizers';", "const o = adam({ lr: 'fast' });", '```', ''].join('\n'));
    const { stdout } = await promisify(execFile)(process.execPath, [script, bad], { maxBuffer: 1 << 24 });
    report = JSON.parse(stdout);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('extracts ts blocks with their line, and skips ```ts fragment', () => {
    const md = ['# t', '```sh', 'echo no', '```', '```ts', 'const a: number = 1;', '```', '  ````typescript', '  let b = 2;', '  ````', '```ts fragment', 'interface X { y: Y }', '```'].join('\n');
    expect(extractSnippets(md, 'x.md')).toEqual([
      { file: 'x.md', line: 5, code: 'const a: number = 1;' },
      { file: 'x.md', line: 8, code: 'let b = 2;' },
    ]);
  });

  it('reports a block that does not type-check, with its file and line', () => {
    const where = relative(repoRoot, bad);
    expect(report.failures.filter((f) => f.startsWith(where))).toEqual([expect.stringMatching(new RegExp(`^${where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: .*'string'`))]);
  });

  it('every ts block of the guides and package READMEs type-checks under strict', () => {
    expect(report.snippets.length).toBeGreaterThan(15);
    expect(report.snippets.some((s) => s.startsWith('apps/docs/site/guide/getting-started.md'))).toBe(true);
    expect(report.failures.filter((f) => !f.startsWith(relative(repoRoot, bad)))).toEqual([]);
  });
});
