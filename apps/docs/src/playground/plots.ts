// Figures of the playgrounds, drawn with Observable Plot (the library @ddopt/experiments draws
// its figures with): contours of a surface with trajectories over them, and curves.
import * as Plot from '@observablehq/plot';

export interface Grid {
  x: [number, number];
  y: [number, number];
  size: number;
  /** size × size values, row j at y = y₀ + (j + ½)·Δy, column i at x = x₀ + (i + ½)·Δx. */
  values: Float64Array;
}

/** Grid coordinates at the cell centres, as the contour mark maps them. */
export function gridPoints(x: [number, number], y: [number, number], size: number): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(size * size);
  const ys = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      xs[j * size + i] = x[0] + ((i + 0.5) * (x[1] - x[0])) / size;
      ys[j * size + i] = y[0] + ((j + 0.5) * (y[1] - y[0])) / size;
    }
  }
  return { xs, ys };
}

export interface Path {
  name: string;
  points: { x: number; y: number }[];
}

/** Contours of log(1 + f − min f) (so steep and flat regions both show), with paths over them. */
export function contourPlot(grid: Grid, paths: Path[], marks: { start?: [number, number]; extra?: Plot.Markish[] } = {}): SVGSVGElement | HTMLElement {
  let lo = Number.POSITIVE_INFINITY;
  for (const v of grid.values) if (Number.isFinite(v) && v < lo) lo = v;
  const shown = Array.from(grid.values, (v) => (Number.isFinite(v) ? Math.log1p(v - lo) : Number.NaN));
  const rows = paths.flatMap((p) => p.points.filter((q) => Number.isFinite(q.x) && Number.isFinite(q.y)).map((q, i) => ({ ...q, i, name: p.name })));
  const ends = paths.map((p) => ({ ...p.points.at(-1)!, name: p.name })).filter((q) => Number.isFinite(q.x) && Number.isFinite(q.y));
  return Plot.plot({
    width: 520,
    height: 520,
    x: { domain: grid.x, label: 'x' },
    y: { domain: grid.y, label: 'y' },
    color: { type: 'categorical', legend: paths.length > 0 },
    style: { background: 'white' },
    marks: [
      Plot.contour(shown, { width: grid.size, height: grid.size, x1: grid.x[0], x2: grid.x[1], y1: grid.y[0], y2: grid.y[1], stroke: '#8a94a6', thresholds: 24, strokeOpacity: 0.7, clip: true }),
      Plot.line(rows, { x: 'x', y: 'y', z: 'name', stroke: 'name', strokeWidth: 1.8, clip: true }),
      Plot.dot(ends, { x: 'x', y: 'y', fill: 'name', r: 4, clip: true }),
      ...(marks.start ? [Plot.dot([marks.start], { x: (d: number[]) => d[0], y: (d: number[]) => d[1], r: 5, stroke: 'black', fill: 'white' })] : []),
      ...(marks.extra ?? []),
    ],
  });
}

/** Loss (or any value) against the step, one line per series; symlog keeps negative losses drawable. */
export function curvePlot(series: { name: string; values: number[] }[], o: { y: string; x?: string; type?: 'linear' | 'log' | 'symlog'; width?: number; height?: number }): SVGSVGElement | HTMLElement {
  const rows = series.flatMap((s) => s.values.map((v, i) => ({ i, v, name: s.name })).filter((r) => Number.isFinite(r.v)));
  return Plot.plot({
    width: o.width ?? 520,
    height: o.height ?? 300,
    x: { label: o.x ?? 'step' },
    // Log axes get 1e-3-style labels (SI prefixes read badly for tiny values).
    y: { label: o.y, type: o.type ?? 'symlog', grid: true, ...(o.type === 'log' ? { tickFormat: '~e' } : {}) },
    color: { type: 'categorical', legend: series.length > 1 },
    style: { background: 'white' },
    marks: [Plot.line(rows, { x: 'i', y: 'v', z: 'name', stroke: 'name', strokeWidth: 1.6 })],
  });
}

/** Data coordinates of a click on a plot made by Plot.plot (its svg may be drawn scaled). */
export function clickToData(plot: Element, event: MouseEvent): [number, number] | undefined {
  // With a legend, Plot returns a <figure>: the plot is its own <svg> child (the swatches are nested deeper).
  const svg = plot instanceof SVGSVGElement ? plot : plot.querySelector(':scope > svg');
  const withScale = plot as Element & { scale(name: string): { invert?(v: number): number } | undefined };
  if (!svg || typeof withScale.scale !== 'function') return undefined;
  const rect = svg.getBoundingClientRect();
  const width = Number(svg.getAttribute('width')) || rect.width;
  const height = Number(svg.getAttribute('height')) || rect.height;
  const px = ((event.clientX - rect.left) * width) / rect.width;
  const py = ((event.clientY - rect.top) * height) / rect.height;
  const x = withScale.scale('x')?.invert?.(px);
  const y = withScale.scale('y')?.invert?.(py);
  return x === undefined || y === undefined ? undefined : [x, y];
}
