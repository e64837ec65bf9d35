// Builds dist/index.html from the root README and every package README, so the docs a user
// reads on the site are the ones tested beside the code. marked renders the markdown.
import { mkdirSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';

const root = new URL('../..', import.meta.url).pathname;
const sections = [{ id: 'ddopt', label: 'overview', md: readFileSync(join(root, 'README.md'), 'utf8') }];
for (const group of ['packages', 'apps']) {
  for (const dir of readdirSync(join(root, group)).sort()) {
    const file = join(root, group, dir, 'README.md');
    // Packages are labelled by their package name (`ddopt`, `@ddopt/tensor`), apps by their folder.
    const label = group === 'packages' ? JSON.parse(readFileSync(join(root, group, dir, 'package.json'), 'utf8')).name : `apps/${dir}`;
    if (existsSync(file)) sections.push({ id: `${group}-${dir}`, label, md: readFileSync(file, 'utf8') });
  }
}
const nav = sections.map((s) => `<a href="#${s.id}">${s.label}</a>`).join('');
const body = sections.map((s) => `<section id="${s.id}">${marked.parse(s.md)}</section>`).join('\n');
const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ddopt docs</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;display:flex}nav{position:sticky;top:0;height:100vh;overflow:auto;padding:1rem;background:#f4f4f6;min-width:13rem}nav a{display:block;color:#224;text-decoration:none;margin:.2rem 0}main{padding:1rem 2rem;max-width:60rem}pre{background:#f6f8fa;padding:.8rem;overflow:auto}table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:.2rem .5rem}section{border-bottom:1px solid #dde;padding-bottom:1rem}</style>
</head><body><nav>${nav}</nav><main>${body}</main></body></html>`;
mkdirSync(join(import.meta.dirname, 'dist'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'dist', 'index.html'), html);
console.log(`docs: wrote apps/docs/dist/index.html (${sections.length} sections)`);
