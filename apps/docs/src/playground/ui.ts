// Small DOM helpers shared by the playgrounds (no framework: each playground is a plain module).

type Attrs = Record<string, string | number | boolean | undefined>;

/** Creates an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...children);
  return el;
}

/** A labelled range slider with its value shown; `onInput` gets the number. */
export function slider(label: string, o: { min: number; max: number; step: number; value: number; log?: boolean; testid?: string }, onInput: (v: number) => void): HTMLLabelElement {
  // Log sliders move along log10(value) so learning rates spanning decades are reachable.
  const toPos = (v: number) => (o.log ? Math.log10(v) : v);
  const fromPos = (p: number) => (o.log ? Number((10 ** p).toPrecision(3)) : p);
  const input = h('input', { type: 'range', min: toPos(o.min), max: toPos(o.max), step: o.log ? 0.01 : o.step, value: toPos(o.value), 'data-testid': o.testid });
  const shown = h('output', {}, String(o.value));
  input.addEventListener('input', () => {
    const v = fromPos(Number(input.value));
    shown.textContent = String(v);
    onInput(v);
  });
  return h('label', { class: 'pg-slider' }, h('span', {}, label), input, shown);
}

/** A select box; `onChange` gets the chosen value. */
export function select(label: string, options: readonly { value: string; text: string }[], value: string, onChange: (v: string) => void, testid?: string): HTMLLabelElement {
  const sel = h('select', { 'data-testid': testid });
  for (const o of options) sel.append(h('option', { value: o.value, selected: o.value === value }, o.text));
  sel.addEventListener('change', () => onChange(sel.value));
  return h('label', { class: 'pg-select' }, h('span', {}, label), sel);
}

/** A text field checked against a pattern; a value that does not match is shown as invalid, not applied. */
export function textField(label: string, value: string, pattern: RegExp, hint: string, onChange: (v: string) => void, testid?: string): HTMLLabelElement {
  const input = h('input', { type: 'text', value, size: 10, title: hint, 'data-testid': testid, class: 'pg-text' });
  const note = h('small', { class: 'pg-invalid' });
  input.addEventListener('change', () => {
    const ok = pattern.test(input.value.trim());
    note.textContent = ok ? '' : `expected ${hint}`;
    if (ok) onChange(input.value.trim());
  });
  return h('label', { class: 'pg-select' }, h('span', {}, label), input, note);
}

/** A checkbox. */
export function checkbox(label: string, checked: boolean, onChange: (v: boolean) => void, testid?: string): HTMLLabelElement {
  const box = h('input', { type: 'checkbox', checked, 'data-testid': testid });
  box.addEventListener('change', () => onChange(box.checked));
  return h('label', { class: 'pg-check' }, box, h('span', {}, label));
}

/** A button. */
export function button(text: string, onClick: () => void, testid?: string): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'pg-button', 'data-testid': testid }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** Shows the problems found while reading the URL (unknown keys, bad values) above a playground. */
export function problemsBox(problems: string[]): HTMLElement {
  const box = h('div', { class: 'pg-problems', 'data-testid': 'url-problems', hidden: problems.length === 0 });
  if (problems.length) box.append(h('strong', {}, 'The link had settings this page could not use: '), problems.join('; '), '.');
  return box;
}

/** Yields to the browser so the page redraws between chunks of work. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** Formats a number for tables: 4 significant digits, exponent form for tiny or huge values. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}
