import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

// generated.json is written by scripts/generate.mjs (package list, versions, API sidebar) before
// every build, so the navigation follows the packages as they change.
interface Generated {
  packages: { dir: string; name: string; version: string; entries: { specifier: string }[] }[];
  apiSidebar: DefaultTheme.SidebarItem[];
}
const generated = JSON.parse(readFileSync(new URL('./generated.json', import.meta.url), 'utf8')) as Generated;
const umbrella = generated.packages.find((p) => p.name === 'ddopt');

const guide: DefaultTheme.SidebarItem[] = [
  { text: 'Guide', items: [
    { text: 'Getting started', link: '/guide/getting-started' },
    { text: 'How ddopt compares', link: '/guide/compare' },
  ] },
  { text: 'Packages', items: generated.packages.map((p) => ({ text: p.name, link: `/packages/${p.dir}` })) },
  { text: 'Seed documents', items: [
    { text: '000 · survey: convergence of DNNs', link: '/seeds/000-survey' },
    { text: '001 · lecture: optimization of neural networks', link: '/seeds/001-lecture' },
    { text: '003 · six reports', link: '/seeds/003-reports' },
    { text: '004 · SGD on a two-layer network', link: '/seeds/004-two-layer' },
  ] },
  { text: 'About this build', items: [
    { text: 'Versions', link: '/versions' },
    { text: 'Changelog', link: '/changelog' },
  ] },
];

const playground: DefaultTheme.SidebarItem[] = [
  { text: 'Playground', items: [
    { text: 'Overview', link: '/playground/' },
    { text: 'Optimizer race on 2-D surfaces', link: '/playground/race' },
    { text: 'Momentum on a quadratic', link: '/playground/momentum' },
    { text: 'Train a network in the page', link: '/playground/train' },
    { text: 'Double descent', link: '/playground/double-descent' },
    { text: 'Run an experiment', link: '/playground/experiments' },
    { text: 'Curvature viewer', link: '/playground/curvature' },
    { text: 'Sudoku with SATNet', link: '/playground/sudoku' },
  ] },
];

export default defineConfig({
  title: 'ddopt',
  description: 'Optimization in deep learning, in TypeScript: float64 tensors, autograd to any order, optimizers that match torch.optim, and the literature’s experiments in your browser.',
  lang: 'en',
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  outDir: '../dist',
  cleanUrls: false,
  lastUpdated: false,
  // Hand-written pages link to generated ones; a dead link fails the build.
  ignoreDeadLinks: false,
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Playground', link: '/playground/' },
      { text: 'API', link: '/api/' },
      { text: `v${umbrella?.version ?? '0.0.0'}`, items: [
        { text: 'Versions', link: '/versions' },
        { text: 'Changelog', link: '/changelog' },
      ] },
    ],
    sidebar: {
      '/playground/': playground,
      '/api/': [{ text: 'API reference', link: '/api/', items: generated.apiSidebar }],
      '/': guide,
    },
    search: { provider: 'local' },
    outline: { level: [2, 3] },
    footer: { message: 'MIT licensed. Built from the package versions listed under Versions.' },
  },
  vite: {
    // The playground imports the packages by name, so Vite takes their published entry points
    // (dist/, through the exports map's import condition), as a user's bundler would.
    build: { chunkSizeWarningLimit: 4096, target: 'es2022' },
    worker: { format: 'es' },
    // The `mnist` package's digits are 20 MB of JSON in JavaScript; bundling them cost a minute of
    // build. The page gets the same values (exactly: a 256-entry value table and one byte per
    // pixel, written by scripts/generate.mjs) from public/data/, through a module that looks like
    // the package to @ddopt/datasets.
    resolve: { alias: { mnist: fileURLToPath(new URL('../../src/mnist-browser.ts', import.meta.url)) } },
  },
});
