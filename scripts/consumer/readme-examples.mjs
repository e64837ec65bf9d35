// Extracts the TypeScript examples of the repository's READMEs: every ```ts fence at the start of a
// line. A fence whose info string says `fragment` (```ts fragment) is a signature or an excerpt
// that is not a program on its own and is left out; everything else must type-check under strict
// and run in a project that installs the packages. A fence that says `redis` (```ts redis) talks to
// a Redis server at 127.0.0.1:6379 with the password written in it: the runner starts one on a free
// port and points the example there.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib.mjs';

/** The READMEs whose examples are checked: the root one and every package's and app's. */
export function readmes() {
  const out = ['README.md'];
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(root, group)).sort()) {
      if (existsSync(join(root, group, dir, 'README.md'))) out.push(`${group}/${dir}/README.md`);
    }
  }
  return out;
}

/** `{ file, line, name, redis, code }` for each example, `name` a file-name-safe id, `redis` whether it needs a Redis server. */
export function examples() {
  const out = [];
  for (const file of readmes()) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^```ts(?:\s+(.*))?$/.exec(lines[i]);
      if (!m) continue;
      const info = (m[1] ?? '').trim();
      const start = i + 1;
      let end = start;
      while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
      if (!/\bfragment\b/.test(info)) {
        const name = `${file.replace(/\/README\.md$|README\.md$/, '').replace(/[/.]/g, '-') || 'root'}-L${i + 1}`;
        out.push({ file, line: i + 1, name, redis: /\bredis\b/.test(info), code: `${lines.slice(start, end).join('\n')}\n` });
      }
      i = end;
    }
  }
  return out;
}
