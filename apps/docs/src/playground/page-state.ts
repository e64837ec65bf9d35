// The state skeleton every playground page shares: the state read from the URL hash against the
// page's schema, written back on each change, replaced by a preset or by a hash the visitor edits,
// and a run generation so that a run outdated by a newer one (or by unmounting) stops.
import { select } from './ui.js';
import { type Schema, type StateOf, formatState, parseState } from './url-state.js';

/** What replaced the state: a control of the page (`set`), the preset box, or an edited hash. */
export type ChangeSource = 'set' | 'preset' | 'hash';

/** A page's state, kept in the URL hash. */
export interface PageState<S extends Schema> {
  /** Problems found reading the hash the page was opened with (for `problemsBox`). */
  readonly problems: string[];
  /** The current state. */
  get(): StateOf<S>;
  /** Merges `patch` into the state and writes the URL; then calls `onChange` unless `quiet`. */
  set(patch: Partial<StateOf<S>>, opts?: { quiet?: boolean }): void;
  /** The preset box: choosing one replaces the state by the preset's hash (written to the URL as the preset has it with `asWritten`, else in full) and calls `onChange`. */
  presetSelect(presets: readonly { name: string; hash: string }[], testid: string, opts?: { asWritten?: boolean }): HTMLLabelElement;
  /** Starts a run; the returned check stays true until the next `begin` or `dispose`. */
  begin(): () => boolean;
  /** Stops listening to the hash and outdates the running run. */
  dispose(): void;
}

/** The URL-hash state of a playground page; `onChange` redraws or reruns after every change. */
export function pageState<S extends Schema>(schema: S, o: { onChange: (next: StateOf<S>, prev: StateOf<S>, source: ChangeSource) => void }): PageState<S> {
  const parsed = parseState(schema, location.hash);
  let state = parsed.state;
  let generation = 0;
  /** Replaces the state, writes `url` (none for a hash the visitor edited) and tells the page unless `quiet`. */
  const replace = (next: StateOf<S>, source: ChangeSource, url: string | undefined, quiet = false) => {
    const prev = state;
    state = next;
    if (url !== undefined) history.replaceState(null, '', url);
    if (!quiet) o.onChange(next, prev, source);
  };
  const onHash = () => replace(parseState(schema, location.hash).state, 'hash', undefined);
  window.addEventListener('hashchange', onHash);
  return {
    problems: parsed.problems,
    get: () => state,
    set(patch, opts = {}) {
      const next = { ...state, ...patch };
      replace(next, 'set', formatState(schema, next), opts.quiet);
    },
    presetSelect(presets, testid, opts = {}) {
      return select('preset', [{ value: '', text: '— presets —' }, ...presets.map((p) => ({ value: p.hash, text: p.name }))], '', (hash) => {
        if (!hash) return;
        const next = parseState(schema, hash).state;
        replace(next, 'preset', opts.asWritten ? hash : formatState(schema, next));
      }, testid);
    },
    begin() {
      const my = ++generation;
      return () => my === generation;
    },
    dispose() {
      generation++;
      window.removeEventListener('hashchange', onHash);
    },
  };
}
