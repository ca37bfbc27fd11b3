// The dashboard's (and the sidebar's) state: a pure reducer. What must happen outside (call an
// action, quit) is queued in `effects`; the store in hooks.ts drains and performs them.
import { AGENT_NAME_RE } from '../layout/schema.js';
import { sortRows } from './format.js';
import type { AgentRow, Snapshot } from './model.js';

export const NAME_PATTERN = AGENT_NAME_RE;
/** how many log lines the log view asks for */
export const LOG_LINES = 200;

export type TextEdit = { kind: 'insert'; text: string } | { kind: 'backspace' } | { kind: 'clear' };

export type Dialog =
  | { kind: 'none' }
  | { kind: 'help' }
  | { kind: 'send'; target: string; value: string }
  | { kind: 'sendAll'; value: string }
  | { kind: 'new'; step: 'name' | 'task'; name: string; task: string; error: string | null }
  /** checking: waiting for removalBlocker; confirm: a plain y/N; force: type `y` + Enter to lose `blocker` */
  | { kind: 'remove'; target: string; phase: 'checking' | 'confirm' | 'force'; blocker: string | null; value: string }
  /** lines: null while loading; fromEnd: how many lines the view is scrolled up from the newest */
  | { kind: 'log'; target: string; lines: string[] | null; fromEnd: number };

export type Effect =
  | { kind: 'jump'; name: string }
  | { kind: 'send'; name: string; text: string }
  | { kind: 'sendAll'; text: string }
  | { kind: 'add'; name: string; task: string }
  | { kind: 'checkRemoval'; name: string }
  | { kind: 'remove'; name: string; force: boolean }
  | { kind: 'restart'; name: string }
  | { kind: 'loadLog'; name: string; lines: number }
  | { kind: 'quit' };

export interface DashState {
  project: string;
  /** display order: waiting first, then layout order */
  rows: AgentRow[];
  /** the selected agent, by name (the selection follows the agent when rows reorder) */
  selected: string | null;
  dialog: Dialog;
  /** the selected agent's screen is shown (p); where and how big is the layout's (layout.ts) */
  preview: boolean;
  message: { text: string; seq: number } | null;
  seq: number;
  /** side effects queued by the last action, for the store to perform */
  effects: Effect[];
}

export type DashAction =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'selectNext' }
  | { type: 'selectPrev' }
  | { type: 'selectName'; name: string }
  | { type: 'jumpSelected' }
  | { type: 'jumpIndex'; index: number }
  | { type: 'openHelp' }
  | { type: 'closeHelp' }
  | { type: 'startInput'; purpose: 'send' | 'sendAll' | 'new' }
  | { type: 'editInput'; edit: TextEdit }
  | { type: 'submitInput' }
  | { type: 'cancelInput' }
  | { type: 'startRemove' }
  | { type: 'removalChecked'; name: string; blocker: string | null }
  | { type: 'confirmRemove' }
  | { type: 'openLog' }
  | { type: 'togglePreview' }
  | { type: 'logLoaded'; name: string; lines: string[] }
  /** delta > 0 scrolls towards newer lines; height: the lines the view shows */
  | { type: 'scrollLog'; delta: number; height: number }
  | { type: 'closeLog' }
  | { type: 'restartSelected' }
  | { type: 'quit' }
  | { type: 'setMessage'; text: string }
  | { type: 'clearMessage'; seq: number }
  | { type: 'effectsTaken' };

const NONE: Dialog = { kind: 'none' };

export function initialDashState(snapshot?: Snapshot, selected: string | null = null): DashState {
  const rows = sortRows(snapshot?.agents ?? []);
  const keep = selected !== null && rows.some((r) => r.name === selected) ? selected : (rows[0]?.name ?? null);
  return { project: snapshot?.project ?? '', rows, selected: keep, dialog: NONE, preview: true, message: null, seq: 0, effects: [] };
}

/** null when the name is fine, else why not */
export function validateName(name: string, existing: readonly string[]): string | null {
  if (name === '') return 'type a name';
  if (!NAME_PATTERN.test(name)) return `"${name}" is not a valid name: use a-z, 0-9 and -, starting with a letter or digit`;
  if (existing.includes(name)) return `an agent named "${name}" already exists`;
  return null;
}

// One case per action, each a line or two: a long switch that reads as a table (the Ink reducers'
// shape in STYLE.md), not a long procedure.
export function dashReducer(state: DashState, action: DashAction): DashState {
  const selectedRow = state.rows.find((r) => r.name === state.selected);
  const say = (s: DashState, text: string): DashState => ({ ...s, seq: s.seq + 1, message: { text, seq: s.seq + 1 } });
  const run = (s: DashState, ...effects: Effect[]): DashState => ({ ...s, effects: [...s.effects, ...effects] });
  const withSelected = (f: (row: AgentRow) => DashState): DashState => (selectedRow ? f(selectedRow) : say(state, 'no agent selected'));
  const { dialog } = state;

  switch (action.type) {
    case 'snapshot': {
      const sorted = sortRows(action.snapshot.agents);
      const selected = keepSelection(state.rows, state.selected, sorted);
      const rows = keepRows(state.rows, sorted, selected);
      if (rows === state.rows && selected === state.selected && action.snapshot.project === state.project) return state; // nothing shown changed
      return { ...state, project: action.snapshot.project, rows, selected };
    }
    case 'selectNext':
    case 'selectPrev': {
      if (state.rows.length === 0) return state;
      const pos = state.rows.findIndex((r) => r.name === state.selected);
      const step = action.type === 'selectNext' ? 1 : -1;
      const next = pos < 0 ? 0 : Math.min(state.rows.length - 1, Math.max(0, pos + step));
      return { ...state, selected: state.rows[next]!.name };
    }
    case 'selectName':
      return state.rows.some((r) => r.name === action.name) ? { ...state, selected: action.name } : state;
    case 'jumpSelected':
      return withSelected((row) => run(state, { kind: 'jump', name: row.name }));
    case 'jumpIndex': {
      const row = state.rows.find((r) => r.index === action.index);
      if (!row) return say(state, `no agent ${action.index}`);
      return run({ ...state, selected: row.name }, { kind: 'jump', name: row.name });
    }
    case 'openHelp':
      return { ...state, dialog: { kind: 'help' } };
    case 'closeHelp':
      return dialog.kind === 'help' ? { ...state, dialog: NONE } : state;
    case 'startInput':
      if (action.purpose === 'new') return { ...state, dialog: { kind: 'new', step: 'name', name: '', task: '', error: null } };
      if (action.purpose === 'sendAll') return state.rows.length ? { ...state, dialog: { kind: 'sendAll', value: '' } } : say(state, 'no agents');
      return withSelected((row) => ({ ...state, dialog: { kind: 'send', target: row.name, value: '' } }));
    case 'editInput':
      return { ...state, dialog: editDialog(dialog, action.edit) };
    case 'submitInput':
      return submit(state, run, say);
    case 'cancelInput':
      return dialog.kind === 'send' || dialog.kind === 'sendAll' || dialog.kind === 'new' || dialog.kind === 'remove'
        ? { ...state, dialog: NONE }
        : state;
    case 'startRemove':
      return withSelected((row) =>
        row.created
          ? run({ ...state, dialog: { kind: 'remove', target: row.name, phase: 'checking', blocker: null, value: '' } }, { kind: 'checkRemoval', name: row.name })
          : say(state, `${row.name} is not created, only declared in the layout file: delete it there to drop it`),
      );
    case 'removalChecked':
      if (dialog.kind !== 'remove' || dialog.target !== action.name || dialog.phase !== 'checking') return state;
      return { ...state, dialog: { ...dialog, phase: action.blocker === null ? 'confirm' : 'force', blocker: action.blocker } };
    case 'confirmRemove':
      if (dialog.kind !== 'remove' || dialog.phase !== 'confirm') return state;
      return run(say({ ...state, dialog: NONE }, `removing ${dialog.target}…`), { kind: 'remove', name: dialog.target, force: false });
    case 'openLog':
      return withSelected((row) =>
        run({ ...state, dialog: { kind: 'log', target: row.name, lines: null, fromEnd: 0 } }, { kind: 'loadLog', name: row.name, lines: LOG_LINES }),
      );
    case 'logLoaded':
      if (dialog.kind !== 'log' || dialog.target !== action.name) return state;
      return { ...state, dialog: { ...dialog, lines: action.lines, fromEnd: 0 } };
    case 'scrollLog': {
      if (dialog.kind !== 'log' || dialog.lines === null) return state;
      const max = Math.max(0, dialog.lines.length - Math.max(1, action.height));
      const fromEnd = Math.min(max, Math.max(0, dialog.fromEnd - action.delta));
      return fromEnd === dialog.fromEnd ? state : { ...state, dialog: { ...dialog, fromEnd } };
    }
    case 'closeLog':
      return dialog.kind === 'log' ? { ...state, dialog: NONE } : state;
    case 'togglePreview':
      return { ...state, preview: !state.preview };
    case 'restartSelected':
      return withSelected((row) =>
        row.status === 'exited' || row.status === 'stopped'
          ? run(say(state, `${row.created ? 'restarting' : 'creating'} ${row.name}…`), { kind: 'restart', name: row.name })
          : say(state, `${row.name} is ${row.status}: only an exited or stopped agent can be restarted`),
      );
    case 'quit':
      return run(state, { kind: 'quit' });
    case 'setMessage':
      return say(state, action.text);
    case 'clearMessage':
      return state.message?.seq === action.seq ? { ...state, message: null } : state;
    case 'effectsTaken':
      return state.effects.length ? { ...state, effects: [] } : state;
  }
}

/**
 * The rows of a new snapshot, keeping the row objects of BEFORE where nothing shown changed (and the
 * array itself when no row changed), so that memoised parts are not drawn again. Not shown: the
 * sizes a row was made from (`seen`), and how much an agent printed (`activity`) except for the
 * selected agent, whose screen the preview shows.
 */
export function keepRows(before: readonly AgentRow[], after: AgentRow[], selected: string | null): AgentRow[] {
  const old = new Map(before.map((r) => [r.name, r]));
  let same = before.length === after.length;
  const rows = after.map((row, i) => {
    const prev = old.get(row.name);
    const kept = prev && shownKey(prev, prev.name === selected) === shownKey(row, row.name === selected) ? prev : row;
    if (kept !== before[i]) same = false;
    return kept;
  });
  return same ? (before as AgentRow[]) : rows;
}

function shownKey(row: AgentRow, selected: boolean): string {
  const { seen: _seen, activity, ...shown } = row;
  return JSON.stringify(selected ? [shown, activity] : shown);
}

/** Keep the same agent selected; when it is gone, the row at its old position (clamped). */
function keepSelection(before: readonly AgentRow[], selected: string | null, after: readonly AgentRow[]): string | null {
  if (after.length === 0) return null;
  if (selected !== null && after.some((r) => r.name === selected)) return selected;
  const pos = before.findIndex((r) => r.name === selected);
  return after[Math.min(Math.max(pos, 0), after.length - 1)]!.name;
}

function edit(value: string, e: TextEdit): string {
  switch (e.kind) {
    // one line only: control characters (a pasted newline) never reach the agent
    case 'insert': return value + e.text.replace(/[\u0000-\u001f\u007f]/g, '');
    case 'backspace': return [...value].slice(0, -1).join('');
    case 'clear': return '';
  }
}

function editDialog(d: Dialog, e: TextEdit): Dialog {
  switch (d.kind) {
    case 'send':
    case 'sendAll':
      return { ...d, value: edit(d.value, e) };
    case 'new':
      return d.step === 'name' ? { ...d, name: edit(d.name, e), error: null } : { ...d, task: edit(d.task, e) };
    case 'remove':
      return d.phase === 'force' ? { ...d, value: edit(d.value, e) } : d;
    default:
      return d;
  }
}

function submit(
  state: DashState,
  run: (s: DashState, ...e: Effect[]) => DashState,
  say: (s: DashState, text: string) => DashState,
): DashState {
  const d = state.dialog;
  const closed = { ...state, dialog: NONE };
  switch (d.kind) {
    case 'send':
      return run(closed, { kind: 'send', name: d.target, text: d.value });
    case 'sendAll':
      return run(closed, { kind: 'sendAll', text: d.value });
    case 'new': {
      if (d.step === 'task') return run(closed, { kind: 'add', name: d.name, task: d.task });
      const error = validateName(d.name, state.rows.map((r) => r.name));
      return { ...state, dialog: error ? { ...d, error } : { ...d, step: 'task', error: null } };
    }
    case 'remove':
      if (d.phase !== 'force') return state;
      if (d.value.trim().toLowerCase() !== 'y') return say(closed, `${d.target} kept`);
      return run(say(closed, `removing ${d.target} (forced)…`), { kind: 'remove', name: d.target, force: true });
    default:
      return state;
  }
}
