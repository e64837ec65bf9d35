import { type ExperimentRecord, type ExperimentResult, type Table, renderFigure } from '@ddopt/experiments';
import { parseHTML } from 'linkedom';
import type { RunReport } from '../runner.js';

const escapeMap: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => escapeMap[c]!);
}

/** Formats a number compactly for tables (4 significant digits, exponent when tiny or huge). */
export function fmtNum(v: number | string | boolean): string {
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}

function table(t: Table, cls = ''): string {
  const head = t.headers.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(fmtNum(c))}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function keyValues(obj: Record<string, string | number | boolean>): string {
  return table({ headers: ['', ''], rows: Object.entries(obj).map(([k, v]) => [k, fmtNum(v)]) }, 'kv');
}

/** A figure as a self-contained SVG string: Observable Plot drawing into linkedom's document. */
function figureHtml(spec: ExperimentResult['figures'][number]): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  return renderFigure(spec, document as unknown as Document).outerHTML;
}

function resultBody(rec: ExperimentRecord, r: ExperimentResult): string {
  const figures = r.figures
    .map(
      (f) => `<figure class="fig" data-figure-id="${esc(f.id)}">
<h4>${esc(f.title)}</h4>
${figureHtml(f)}
<figcaption>${esc(f.caption)}</figcaption>
</figure>`,
    )
    .join('\n');
  const notes = r.notes.length ? `<h3>Notes</h3><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  return `<p class="verdict ${r.verdict.status}"><strong>${r.verdict.status === 'matches' ? 'matches' : 'differs'}</strong>: ${esc(r.verdict.text)}</p>
<h3>Setup</h3>
${keyValues({ ...r.setup, backend: r.backendUsed, seed: rec.seed, 'wall time (s)': Number(rec.seconds.toFixed(2)), 'tensors left on the backend': rec.leakedTensors })}
<h3>Figures</h3>
${figures}
<h3>Paper vs this run</h3>
${table(r.comparison, 'cmp')}
<h3>Headline numbers</h3>
${keyValues(r.headline)}
${notes}`;
}

function section(rec: ExperimentRecord): string {
  const body = rec.result
    ? resultBody(rec, rec.result)
    : `<p class="verdict crashed"><strong>crashed</strong> after ${rec.seconds.toFixed(2)} s</p><pre>${esc(rec.error ?? '')}</pre>`;
  return `<section class="experiment" id="${esc(rec.id)}" data-status="${esc(rec.status)}">
<h2>${esc(rec.title)} <small>${esc(rec.id)}</small></h2>
<p class="ref">Seed document ${esc(rec.seedDoc)}; reference: ${esc(rec.reference)}</p>
${body}
</section>`;
}

const css = `body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222;background:#fff}
h1{margin-bottom:.2em}h2{border-top:2px solid #ddd;padding-top:.8em}h2 small{color:#888;font-weight:normal;font-size:.6em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#f4f4f4}table.kv thead{display:none}.verdict{padding:.5em .8em;border-radius:4px}
.matches{background:#e6f4e6}.differs{background:#fff4dc}.crashed{background:#fbe3e3}
figure.fig{margin:1em 0;border:1px solid #eee;padding:.5em}figcaption{color:#555;font-size:.9em}
.ref{color:#555}pre{white-space:pre-wrap;font-size:.85em}nav li{margin:.15em 0}`;

/** Builds the self-contained report page (inline CSS and SVG, no scripts, no network). */
export function renderReport(report: RunReport): string {
  const nav = report.experiments
    .map((e) => `<li><a href="#${esc(e.id)}">${esc(e.title)}</a> — ${esc(e.result?.verdict.status ?? e.status)}</li>`)
    .join('');
  const summary = table({
    headers: ['experiment', 'status', 'verdict', 'seconds'],
    rows: report.experiments.map((e) => [e.id, e.status, e.result ? `${e.result.verdict.status}: ${e.result.verdict.text}` : (e.error ?? '').split('\n')[0]!, Number(e.seconds.toFixed(2))]),
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ddopt reproduce — ${esc(report.createdAt)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${css}</style></head>
<body>
<h1>ddopt reproduce</h1>
<p>Run ${esc(report.createdAt)}, mode <strong>${esc(report.mode)}</strong>, seed <strong>${report.seed}</strong>, requested backend <strong>${esc(report.backend)}</strong>, total ${report.seconds.toFixed(1)} s.</p>
<h3>Versions and machine</h3>
${keyValues(report.versions)}
<h3>Summary</h3>
${summary}
<nav><ul>${nav}</ul></nav>
${report.experiments.map(section).join('\n')}
</body></html>
`;
}
