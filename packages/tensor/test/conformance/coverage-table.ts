// Prints the op × backend conformance table as markdown.
//   node_modules/.bin/tsx packages/tensor/test/conformance/coverage-table.ts [--readme FILE] [test files...]
// Runs every test file under packages/tensor/test that calls `conformanceSuite(` (or the given
// files) with vitest's JSON reporter, then counts passed tests per `conformance <backend>` › <op>.
// With --readme, replaces the text between `<!-- coverage:start -->` and `<!-- coverage:end -->`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Assertion {
  ancestorTitles: string[];
  status: string;
}
interface Report {
  testResults: { name: string; assertionResults: Assertion[] }[];
}

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function findVitest(from: string): string {
  for (let d = from; d !== dirname(d); d = dirname(d)) {
    const bin = join(d, 'node_modules/.bin/vitest');
    if (existsSync(bin)) return bin;
  }
  throw new Error(`coverage-table: no node_modules/.bin/vitest above ${from}; install the workspace first`);
}

function suiteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return suiteFiles(p);
    return name.endsWith('.test.ts') && readFileSync(p, 'utf8').includes('conformanceSuite(') ? [p] : [];
  });
}

/** Runs the suites and returns passed/total per backend per op. */
function collect(files: string[]): Map<string, Map<string, { passed: number; total: number }>> {
  const out = join(mkdtempSync(join(tmpdir(), 'ddopt-coverage-')), 'report.json');
  spawnSync(findVitest(pkgDir), ['run', ...files.map((f) => relative(pkgDir, f)), '--reporter=json', `--outputFile=${out}`], {
    cwd: pkgDir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(out)) throw new Error('coverage-table: vitest wrote no JSON report');
  const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
  const table = new Map<string, Map<string, { passed: number; total: number }>>();
  for (const file of report.testResults) {
    for (const a of file.assertionResults) {
      const backend = /^conformance (\S+)$/.exec(a.ancestorTitles[0] ?? '')?.[1];
      const op = a.ancestorTitles[1];
      if (!backend || !op || a.status === 'skipped' || a.status === 'pending') continue;
      if (!table.has(backend)) table.set(backend, new Map());
      const row = table.get(backend)!;
      const cell = row.get(op) ?? { passed: 0, total: 0 };
      cell.total++;
      if (a.status === 'passed') cell.passed++;
      row.set(op, cell);
    }
  }
  return table;
}

function markdown(table: Map<string, Map<string, { passed: number; total: number }>>): string {
  const backends = [...table.keys()];
  const ops = [...new Set(backends.flatMap((b) => [...table.get(b)!.keys()]))];
  const lines = [`| op | ${backends.join(' | ')} |`, `|---|${backends.map(() => '---').join('|')}|`];
  for (const op of ops) {
    const cells = backends.map((b) => {
      const c = table.get(b)!.get(op);
      if (!c) return '—';
      return `${c.passed === c.total ? '✅' : '❌'} ${c.passed}/${c.total}`;
    });
    lines.push(`| ${op} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const args = process.argv.slice(2);
const readmeAt = args.indexOf('--readme');
const readme = readmeAt >= 0 ? args.splice(readmeAt, 2)[1] : undefined;
const files = args.length ? args.map((f) => resolve(f)) : suiteFiles(join(pkgDir, 'test'));
const md = markdown(collect(files));
console.log(md);
if (readme) {
  const text = readFileSync(readme, 'utf8');
  const re = /(<!-- coverage:start -->)[\s\S]*?(<!-- coverage:end -->)/;
  if (!re.test(text)) throw new Error(`coverage-table: ${readme} has no <!-- coverage:start --> … <!-- coverage:end --> markers`);
  writeFileSync(readme, text.replace(re, `$1\n${md}\n$2`));
}
