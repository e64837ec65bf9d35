// Generates the parts of the site that come from the code, so they cannot drift from it:
//   site/api/**          the API reference, by TypeDoc (+ typedoc-plugin-markdown, typedoc-vitepress-theme)
//                        from the TSDoc of every package entry and subpath listed in its exports map
//   site/packages/*.md   one page per package: its README (examples type-checked by test/snippets.test.ts)
//   site/versions.md     the version of every package the site was built from (package.json)
//   site/changelog.md    each package's CHANGELOG.md (changesets' output) and the pending changesets
//   site/.vitepress/generated.json   sidebar and version data read by the VitePress config
//   site/public/data/mnist-digits.bin   the `mnist` package's digits for the training playground
// Everything written here is ignored by git (apps/docs/.gitignore).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const docsDir = fileURLToPath(new URL('..', import.meta.url));
export const root = join(docsDir, '..', '..');
export const siteDir = join(docsDir, 'site');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Library packages under packages/, in the architecture's order (imports only go down). */
export function workspacePackages() {
  const order = ['tensor', 'autograd', 'layers', 'optimizers', 'second-order', 'diff-solvers', 'theory', 'datasets', 'experiments', 'ddopt'];
  const dirs = readdirSync(join(root, 'packages')).filter((d) => existsSync(join(root, 'packages', d, 'package.json')));
  dirs.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
  return dirs.map((dir) => {
    const pkg = readJson(join(root, 'packages', dir, 'package.json'));
    // Entry points: every subpath of the exports map that names its TypeScript source.
    // (`source` may itself be conditional, e.g. { browser, default }: the default one is documented.)
    const sourceOf = (v) => (typeof v?.source === 'string' ? v.source : typeof v?.source?.default === 'string' ? v.source.default : undefined);
    const entries = Object.entries(pkg.exports ?? {})
      .filter(([, v]) => v && typeof v === 'object' && sourceOf(v))
      .map(([subpath, v]) => ({ subpath, specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, file: join(root, 'packages', dir, sourceOf(v)) }));
    return { dir, name: pkg.name, version: pkg.version, description: pkg.description ?? '', private: Boolean(pkg.private), entries };
  });
}

/** A URL-safe slug for a module specifier: @ddopt/tensor/validate → tensor-validate. */
export const slug = (specifier) => specifier.replace(/^@ddopt\//, '').replace(/\//g, '-');

// Relative links in READMEs point into the repository; on the site they point to the package pages.
function rewriteReadme(md, pkgs, fromDir) {
  return md.replace(/\]\(((?:\.\.\/|\.\/)[^)#\s]*)(#[^)]*)?\)/g, (_whole, target, hash = '') => {
    const abs = join(fromDir, target).replace(/\/$/, '');
    const hit = pkgs.find((p) => abs === join(root, 'packages', p.dir) || abs === join(root, 'packages', p.dir, 'README.md'));
    if (hit) return `](/packages/${hit.dir}${hash})`;
    const rel = relative(root, abs);
    return `](https://github.com/ddopt/ddopt/tree/main/${rel}${hash})`;
  });
}

function writeFile(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function packagePages(pkgs, apiLinks) {
  rmSync(join(siteDir, 'packages'), { recursive: true, force: true });
  for (const p of pkgs) {
    const readme = join(root, 'packages', p.dir, 'README.md');
    const md = existsSync(readme) ? readFileSync(readme, 'utf8') : `# ${p.name}\n\n${p.description}\n`;
    const api = p.entries.length && p.name !== 'ddopt' ? `\n\n---\n\nAPI reference: ${p.entries.map((e) => `[\`${e.specifier}\`](${apiLinks.get(e.specifier) ?? '/api/'})`).join(', ')} · version ${p.version}\n` : '';
    writeFile(join(siteDir, 'packages', `${p.dir}.md`), `---\ntitle: ${JSON.stringify(p.name)}\n---\n\n${rewriteReadme(md, pkgs, join(root, 'packages', p.dir))}${api}`);
  }
}

function versionsPage(pkgs) {
  const rows = pkgs.map((p) => `| [\`${p.name}\`](/packages/${p.dir}) | ${p.version} | ${p.description.replace(/\|/g, '\\|')} |`).join('\n');
  writeFile(
    join(siteDir, 'versions.md'),
    `# Versions\n\nThis site was built from these package versions (each package's \`package.json\`). The API reference and the playground run exactly this code.\n\n| package | version | description |\n|---|---|---|\n${rows}\n`,
  );
}

/** Pending changesets: front matter `"@ddopt/x": minor` lines, then the summary. */
export function readChangesets(dir = join(root, '.changeset')) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      const m = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
      const releases = m ? [...m[1].matchAll(/^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)].map((r) => ({ name: r[1].trim(), type: r[2] })) : [];
      return { file: f, releases, summary: (m ? m[2] : text).trim() };
    });
}

function changelogPage(pkgs) {
  const parts = ['# Changelog\n', 'Released versions come from each package\'s `CHANGELOG.md`, written by [changesets](https://github.com/changesets/changesets) at release time; changes merged since the last release are the pending changesets in `.changeset/`.\n'];
  const pending = readChangesets();
  parts.push(`## Unreleased (${pending.length} pending changesets)\n`);
  for (const p of pkgs) {
    const mine = pending.filter((c) => c.releases.some((r) => r.name === p.name));
    if (!mine.length) continue;
    parts.push(`### ${p.name}\n`);
    for (const c of mine) {
      const type = c.releases.find((r) => r.name === p.name).type;
      // One bullet per changeset; its first paragraph is the summary.
      const first = c.summary.split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, ' ');
      parts.push(`- **${type}** ${first} <small>(\`${c.file}\`)</small>`);
    }
    parts.push('');
  }
  for (const p of pkgs) {
    const file = join(root, 'packages', p.dir, 'CHANGELOG.md');
    if (!existsSync(file)) continue;
    // Demote the changelog's headings by one so the page keeps one h1.
    parts.push(readFileSync(file, 'utf8').replace(/^(#+) /gm, '#$1 '));
  }
  writeFile(join(siteDir, 'changelog.md'), `${parts.join('\n')}\n`);
  return pending.length;
}

/** The API reference, one page per entry point, from the packages' TSDoc. */
async function apiReference(pkgs) {
  const { Application, Converter, ReflectionKind } = await import('typedoc');
  const entries = pkgs.filter((p) => p.name !== 'ddopt').flatMap((p) => p.entries);
  const bySource = new Map(entries.map((e) => [e.file, e.specifier]));
  const out = join(siteDir, 'api');
  rmSync(out, { recursive: true, force: true });
  const app = await Application.bootstrapWithPlugins({
    entryPoints: entries.map((e) => e.file),
    entryPointStrategy: 'resolve',
    tsconfig: join(docsDir, 'tsconfig.typedoc.json'),
    plugin: ['typedoc-plugin-markdown', 'typedoc-vitepress-theme'],
    out,
    docsRoot: siteDir,
    readme: 'none',
    disableGit: true,
    basePath: root,
    sourceLinkTemplate: 'https://github.com/ddopt/ddopt/blob/main/packages/{path}#L{line}',
    name: 'API reference',
    outputFileStrategy: 'modules',
    entryFileName: 'index',
    hidePageHeader: true,
    hideBreadcrumbs: true,
    useCodeBlocks: true,
    // TSDoc prose may contain <tags>; VitePress compiles markdown as Vue templates.
    sanitizeComments: true,
    parametersFormat: 'table',
    excludePrivate: true,
    excludeInternal: true,
    // Other packages' work in progress must not stop the docs: TypeDoc documents what the types say.
    skipErrorChecking: true,
    sort: ['kind', 'alphabetical'],
    logLevel: 'Warn',
    validation: { notExported: false, invalidLink: false, rewrittenLink: false },
    sidebar: { autoConfiguration: true, pretty: true, collapsed: true },
  });
  // Modules are named after the package specifier a user imports (TypeDoc would use paths).
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const file = mod.sources?.[0]?.fullFileName;
      const spec = file && bySource.get(file);
      if (spec) mod.name = spec;
      if (process.env.DDOPT_DOCS_DEBUG) console.log(mod.name, file);
    }
  });
  const project = await app.convert();
  if (!project) throw new Error('docs: TypeDoc could not convert the packages (see the messages above)');
  await app.generateOutputs(project);
  // Which exported names each entry documents: the browser test checks every one has its anchor.
  const names = {};
  for (const mod of project.children ?? []) names[mod.name] = (mod.children ?? []).map((c) => ({ name: c.name, kind: ReflectionKind[c.kind] }));
  return { names, sidebar: readJson(join(out, 'typedoc-sidebar.json')) };
}

/**
 * The `mnist` package's digits (`[{ id, length, raw }]`, values with three decimals) as bytes:
 * "DDMN", the digit count (u32), a 256-entry float64 table of the distinct values, the count of
 * each digit (u32), then one table index per pixel. src/mnist-format.ts decodes it.
 */
export function encodeDigits(digits) {
  const values = [...new Set(digits.flatMap((d) => [...new Set(d.raw)]))].sort((a, b) => a - b);
  if (values.length > 256) throw new RangeError(`encodeDigits: ${values.length} distinct pixel values, at most 256 fit a byte`);
  const index = new Map(values.map((v, i) => [v, i]));
  const pixels = digits.reduce((s, d) => s + d.raw.length, 0);
  const out = new Uint8Array(8 + 256 * 8 + 4 * digits.length + pixels);
  const view = new DataView(out.buffer);
  out.set([0x44, 0x44, 0x4d, 0x4e], 0);
  view.setUint32(4, digits.length, true);
  for (const [i, v] of values.entries()) view.setFloat64(8 + 8 * i, v, true);
  let at = 8 + 256 * 8;
  digits.forEach((d, i) => {
    if (d.id !== i || d.raw.length !== d.length * 784) throw new RangeError(`encodeDigits: digit ${i} has id ${d.id} and ${d.raw.length} values for ${d.length} images`);
    view.setUint32(at, d.length, true);
    at += 4;
  });
  for (const d of digits) for (const v of d.raw) out[at++] = index.get(v);
  return out;
}

/** The digits of the `mnist` package that @ddopt/datasets depends on. */
export function packageDigits() {
  return createRequire(join(root, 'packages', 'datasets', 'package.json'))('mnist');
}

function digitsFile() {
  writeFile(join(siteDir, 'public', 'data', 'mnist-digits.bin'), encodeDigits(packageDigits()));
}

/** Runs every generator; returns what the VitePress config and the tests read. */
export async function generate() {
  const t0 = performance.now();
  const pkgs = workspacePackages();
  const api = await apiReference(pkgs);
  // The API page of each entry point, as TypeDoc laid them out (a module with namespaces gets a folder).
  const apiLinks = new Map();
  const walk = (items) => { for (const i of items ?? []) { if (i.link && i.text?.startsWith('@ddopt/')) apiLinks.set(i.text, i.link); walk(i.items); } };
  walk(api.sidebar);
  packagePages(pkgs, apiLinks);
  versionsPage(pkgs);
  const pending = changelogPage(pkgs);
  digitsFile();
  const generated = {
    builtAt: new Date().toISOString(),
    packages: pkgs.map(({ dir, name, version, description, entries }) => ({ dir, name, version, description, entries: entries.map((e) => ({ specifier: e.specifier, slug: slug(e.specifier) })) })),
    pendingChangesets: pending,
    apiNames: api.names,
    apiSidebar: api.sidebar,
  };
  writeFile(join(siteDir, '.vitepress', 'generated.json'), `${JSON.stringify(generated, null, 1)}\n`);
  console.log(`docs: generated ${pkgs.length} package pages, the API reference (${Object.keys(api.names).length} entry points) and the changelog (${pending} pending changesets) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return generated;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await generate();
