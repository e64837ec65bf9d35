// Type-checks every ```ts block of the guides — the hand-written pages under site/ and the package
// READMEs that become the package pages — each as a module of its own, under the workspace's
// strict options, against the packages' sources (the `source` export condition), so an example
// cannot rot. A block whose fence says ```ts fragment (a signature, a piece of a larger example)
// is skipped: the word is visible in the source, so the exception is a decision, not an accident.
//
//   node scripts/check-snippets.mjs [extra.md ...]   prints { snippets, failures } as JSON
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const docsDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(docsDir, '..', '..');

/** The ```ts / ```typescript blocks of a markdown text, with the line each fence opens on. */
export function extractSnippets(markdown, file) {
  const out = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\b(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, , info] = open;
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trimStart().startsWith(fence)) body.push(lines[j++].slice(indent.length));
    if (j === lines.length) throw new Error(`${file}:${i + 1}: code block never closed`);
    if (!/\bfragment\b/.test(info)) out.push({ file, line: i + 1, code: body.join('\n') });
    i = j;
  }
  return out;
}

function markdownFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    // Generated folders (api/, packages/) come from TypeDoc and the READMEs, which are read directly.
    if (name === 'node_modules' || name === 'api' || name === 'packages' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...markdownFiles(p));
    else if (name.endsWith('.md') && name !== 'versions.md' && name !== 'changelog.md') out.push(p);
  }
  return out;
}

/** The guides: site/**.md written by hand and every package README. */
export function guideFiles() {
  const readmes = readdirSync(join(repoRoot, 'packages'))
    .map((d) => join(repoRoot, 'packages', d, 'README.md'))
    .filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile());
  return [...markdownFiles(join(docsDir, 'site')), ...readmes].sort();
}

/** Type-checks the snippets in one program; returns one message per diagnostic, `file:line: text`. */
export function typeCheck(snippets) {
  const base = ts.readConfigFile(join(repoRoot, 'tooling', 'tsconfig', 'base.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(base.config, ts.sys, join(repoRoot, 'tooling', 'tsconfig'));
  const options = { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false, typeRoots: [join(repoRoot, 'node_modules', '@types')] };
  // The snippets live virtually in apps/docs/.snippets/, so `@ddopt/*` resolves as from this app.
  const files = new Map(snippets.map((s, i) => [join(docsDir, '.snippets', `snippet-${i}.ts`), s]));
  const source = (name) => (files.has(name) ? `${files.get(name).code}\nexport {};\n` : undefined);
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => {
    const text = source(name);
    return text !== undefined ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => source(name) ?? readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const failures = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const s = d.file && files.get(d.file.fileName);
    if (!s) continue;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    failures.push(`${s.file}:${s.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  return failures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = [...guideFiles(), ...process.argv.slice(2).map((f) => resolve(f))];
  const snippets = files.flatMap((f) => extractSnippets(readFileSync(f, 'utf8'), relative(repoRoot, f)));
  const failures = typeCheck(snippets);
  console.log(JSON.stringify({ snippets: snippets.map((s) => `${s.file}:${s.line}`), failures }, null, 1));
}
