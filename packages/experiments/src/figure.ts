import * as Plot from '@observablehq/plot';
import type { FigureSpec } from './contract.js';

interface Row {
  x: number;
  y: number;
  series: string;
}

function rowsOf(spec: FigureSpec, keep: (mark: string) => boolean, dashed: boolean): Row[] {
  const rows: Row[] = [];
  for (const s of spec.series) {
    if (!keep(s.mark) || Boolean(s.dashed) !== dashed) continue;
    for (const p of s.points) {
      // Log axes cannot show non-positive or non-finite values; drop them rather than distort the scale.
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
      if (spec.x.type === 'log' && p.x <= 0) continue;
      if (spec.y.type === 'log' && p.y <= 0) continue;
      rows.push({ x: p.x, y: p.y, series: s.name });
    }
  }
  return rows;
}

/** Log y axes get 1e-3-style labels instead of SI prefixes (µ, n, y read badly for tiny values). */
function logTicks(type: string | undefined): { tickFormat?: string } {
  return type === 'log' ? { tickFormat: '~e' } : {};
}

/**
 * Draws a figure with Observable Plot into `document` — the page's own, or a server-side one such
 * as linkedom's `parseHTML(...).document` — and returns the element (an SVG inside a <figure> with
 * its legend), not yet attached; `.outerHTML` gives a self-contained HTML string.
 */
export function renderFigure(spec: FigureSpec, document: Document): Element {
  const isLine = (m: string) => m === 'line' || m === 'line+dot';
  const isDot = (m: string) => m === 'dot' || m === 'line+dot';
  const domain = spec.series.map((s) => s.name);
  const marks: Plot.Markish[] = [];
  for (const dashed of [false, true]) {
    const dash = dashed ? '6,4' : undefined;
    marks.push(Plot.line(rowsOf(spec, isLine, dashed), { x: 'x', y: 'y', z: 'series', stroke: 'series', strokeWidth: 1.6, strokeDasharray: dash }));
    marks.push(Plot.dot(rowsOf(spec, isDot, dashed), { x: 'x', y: 'y', stroke: 'series', r: 2.5 }));
  }
  for (const r of spec.rulesX ?? []) {
    marks.push(Plot.ruleX([r.value], { stroke: '#888', strokeDasharray: '3,3' }));
    marks.push(Plot.text([r.value], { x: (d: number) => d, frameAnchor: 'top', dy: 4, dx: 4, textAnchor: 'start', text: () => r.label, fill: '#555' }));
  }
  for (const r of spec.rulesY ?? []) {
    marks.push(Plot.ruleY([r.value], { stroke: '#888', strokeDasharray: '3,3' }));
    marks.push(Plot.text([r.value], { y: (d: number) => d, frameAnchor: 'right', dy: -6, textAnchor: 'end', text: () => r.label, fill: '#555' }));
  }
  const figure = Plot.plot({
    document,
    width: 640,
    height: 360,
    marginLeft: 60,
    marginRight: 20,
    style: { fontSize: '11px', background: 'white' },
    x: { label: spec.x.label, type: spec.x.type ?? 'linear', domain: spec.x.domain, grid: true },
    y: { label: spec.y.label, type: spec.y.type ?? 'linear', domain: spec.y.domain, grid: true, ...logTicks(spec.y.type) },
    color: { legend: true, domain },
    marks,
  });
  return figure;
}
