import { describe, expect, it } from 'vitest';
import { dashReducer, initialDashState, keepRows, LOG_LINES, validateName, type DashAction, type DashState, type Dialog } from '../../src/ui/reducer.js';
import type { AgentRow, Snapshot } from '../../src/ui/model.js';
import { row } from './helpers.js';

const snap = (agents: AgentRow[]): Snapshot => ({ project: 'shop', session: 'shop', agents, at: 0 });
const base = () => [row('api', 1), row('auth', 2, { status: 'busy' }), row('cart', 3, { status: 'waiting' }), row('pay', 4, { status: 'exited', exitCode: 2 })];
const start = (selected: string | null = null) => initialDashState(snap(base()), selected);
const reduce = (state: DashState, ...actions: DashAction[]) => actions.reduce(dashReducer, state);
const names = (s: DashState) => s.rows.map((r) => r.name);
const withDialog = (dialog: Dialog, selected = 'api') => ({ ...start(selected), dialog });

describe('initialDashState', () => {
  it('sorts waiting agents first and selects the first row, or the given agent', () => {
    const s = start();
    expect(s.project).toBe('shop');
    expect(names(s)).toEqual(['cart', 'api', 'auth', 'pay']);
    expect(s.selected).toBe('cart');
    expect(start('auth').selected).toBe('auth');
    expect(start('nobody').selected).toBe('cart');
    expect(initialDashState().selected).toBeNull();
    expect(s.dialog).toEqual({ kind: 'none' });
    expect(s.effects).toEqual([]);
  });
});

describe('dashReducer', () => {
  it('snapshot: re-sorts, keeps the selected agent by name when it moves', () => {
    const s = reduce(start('pay'), { type: 'snapshot', snapshot: snap(base().map((r) => (r.name === 'pay' ? { ...r, status: 'waiting' as const } : r))) });
    expect(names(s)).toEqual(['cart', 'pay', 'api', 'auth']);
    expect(s.selected).toBe('pay');
  });

  it('snapshot: when the selected agent is gone, selects the row at its position, clamped', () => {
    const gone = reduce(start('api'), { type: 'snapshot', snapshot: snap(base().filter((r) => r.name !== 'api')) });
    expect(gone.selected).toBe('auth'); // api was at position 1; auth is there now
    const last = reduce(start('pay'), { type: 'snapshot', snapshot: snap(base().filter((r) => r.name !== 'pay')) });
    expect(last.selected).toBe('auth');
    const empty = reduce(start('pay'), { type: 'snapshot', snapshot: snap([]) });
    expect(empty.selected).toBeNull();
    const back = reduce(empty, { type: 'snapshot', snapshot: snap(base()) });
    expect(back.selected).toBe('cart');
  });

  it('snapshot: keeps the state itself when nothing shown changed (the sizes rows were made from are not shown)', () => {
    const rows = base();
    const s = initialDashState(snap(rows), 'auth');
    expect(reduce(s, { type: 'snapshot', snapshot: snap(rows.map((r) => ({ ...r }))) })).toBe(s);
    expect(reduce(s, { type: 'snapshot', snapshot: snap(rows.map((r) => ({ ...r, seen: { log: 100, events: 3 } }))) })).toBe(s);
  });

  it("snapshot: an agent's output (activity) is news only for the selected agent, whose screen the preview shows", () => {
    const rows = base();
    const s = initialDashState(snap(rows), 'auth');
    const printed = (name: string, activity: number) => snap(rows.map((r) => (r.name === name ? { ...r, activity } : { ...r })));
    expect(reduce(s, { type: 'snapshot', snapshot: printed('api', 500) })).toBe(s);
    const next = reduce(s, { type: 'snapshot', snapshot: printed('auth', 500) });
    expect(next).not.toBe(s);
    expect(next.rows.find((r) => r.name === 'auth')!.activity).toBe(500);
    // the other rows are the same objects (memoised rows are not drawn again)
    for (const name of ['api', 'cart', 'pay']) expect(next.rows.find((r) => r.name === name)).toBe(s.rows.find((r) => r.name === name));
  });

  it('keepRows: the old objects where nothing shown changed, the old array when no row changed', () => {
    const before = base();
    const copy = () => before.map((r) => ({ ...r }));
    expect(keepRows(before, copy(), null)).toBe(before);
    const changed = copy().map((r) => (r.name === 'cart' ? { ...r, lastLine: 'new' } : r));
    const rows = keepRows(before, changed, null);
    expect(rows).not.toBe(before);
    expect(rows.map((r, i) => r === before[i])).toEqual([true, true, false, true]);
    expect(keepRows(before, copy().slice(1), null)).not.toBe(before); // one fewer
    expect(keepRows(before, copy().reverse(), null)).not.toBe(before); // another order
  });

  it('togglePreview shows and hides the preview (shown at first)', () => {
    const s = start();
    expect(s.preview).toBe(true);
    expect(reduce(s, { type: 'togglePreview' }).preview).toBe(false);
    expect(reduce(s, { type: 'togglePreview' }, { type: 'togglePreview' }).preview).toBe(true);
  });

  it('selectNext / selectPrev move by one and stop at the ends', () => {
    const s = start();
    expect(reduce(s, { type: 'selectNext' }).selected).toBe('api');
    expect(reduce(s, { type: 'selectNext' }, { type: 'selectNext' }, { type: 'selectNext' }, { type: 'selectNext' }).selected).toBe('pay');
    expect(reduce(s, { type: 'selectPrev' }).selected).toBe('cart');
    expect(reduce(start('pay'), { type: 'selectPrev' }).selected).toBe('auth');
    const none = initialDashState(snap([]));
    expect(reduce(none, { type: 'selectNext' })).toBe(none);
  });

  it('selectName selects a known agent and ignores an unknown one', () => {
    expect(reduce(start(), { type: 'selectName', name: 'auth' }).selected).toBe('auth');
    const s = start();
    expect(reduce(s, { type: 'selectName', name: 'nobody' })).toBe(s);
  });

  it('jumpSelected queues a jump to the selected agent', () => {
    expect(reduce(start('auth'), { type: 'jumpSelected' }).effects).toEqual([{ kind: 'jump', name: 'auth' }]);
    const none = reduce(initialDashState(snap([])), { type: 'jumpSelected' });
    expect(none.effects).toEqual([]);
    expect(none.message?.text).toBe('no agent selected');
  });

  it('jumpIndex jumps to the agent with that layout index (not the row number) and selects it', () => {
    const s = reduce(start(), { type: 'jumpIndex', index: 1 });
    expect(s.effects).toEqual([{ kind: 'jump', name: 'api' }]);
    expect(s.selected).toBe('api');
    const missing = reduce(start(), { type: 'jumpIndex', index: 9 });
    expect(missing.effects).toEqual([]);
    expect(missing.message?.text).toBe('no agent 9');
  });

  it('openHelp / closeHelp', () => {
    const open = reduce(start(), { type: 'openHelp' });
    expect(open.dialog).toEqual({ kind: 'help' });
    expect(reduce(open, { type: 'closeHelp' }).dialog).toEqual({ kind: 'none' });
    const log = withDialog({ kind: 'log', target: 'api', lines: [], fromEnd: 0 });
    expect(reduce(log, { type: 'closeHelp' })).toBe(log);
  });

  it('startInput opens send for the selected agent, send-all, and the new-agent form', () => {
    expect(reduce(start('auth'), { type: 'startInput', purpose: 'send' }).dialog).toEqual({ kind: 'send', target: 'auth', value: '' });
    expect(reduce(start(), { type: 'startInput', purpose: 'sendAll' }).dialog).toEqual({ kind: 'sendAll', value: '' });
    expect(reduce(start(), { type: 'startInput', purpose: 'new' }).dialog).toEqual({ kind: 'new', step: 'name', name: '', task: '', error: null });
    const empty = initialDashState(snap([]));
    expect(reduce(empty, { type: 'startInput', purpose: 'send' }).dialog.kind).toBe('none');
    expect(reduce(empty, { type: 'startInput', purpose: 'sendAll' }).message?.text).toBe('no agents');
    expect(reduce(empty, { type: 'startInput', purpose: 'new' }).dialog.kind).toBe('new');
  });

  it('editInput inserts (dropping control characters), erases and clears', () => {
    const s = reduce(
      start(),
      { type: 'startInput', purpose: 'send' },
      { type: 'editInput', edit: { kind: 'insert', text: 'say "hi" $(x)\r\n' } },
      { type: 'editInput', edit: { kind: 'backspace' } },
    );
    expect(s.dialog).toMatchObject({ kind: 'send', value: 'say "hi" $(x' });
    expect(reduce(s, { type: 'editInput', edit: { kind: 'clear' } }).dialog).toMatchObject({ value: '' });
    const emoji = reduce(start(), { type: 'startInput', purpose: 'sendAll' }, { type: 'editInput', edit: { kind: 'insert', text: 'ok 👍' } }, { type: 'editInput', edit: { kind: 'backspace' } });
    expect(emoji.dialog).toMatchObject({ value: 'ok ' });
    const list = start();
    expect(reduce(list, { type: 'editInput', edit: { kind: 'insert', text: 'x' } }).dialog).toBe(list.dialog);
  });

  it('editInput edits the field of the new-agent form that has the focus and clears its error', () => {
    const s = withDialog({ kind: 'new', step: 'name', name: 'Ba', task: '', error: 'bad' });
    expect(reduce(s, { type: 'editInput', edit: { kind: 'backspace' } }).dialog).toEqual({ kind: 'new', step: 'name', name: 'B', task: '', error: null });
    const t = withDialog({ kind: 'new', step: 'task', name: 'x', task: 'do', error: null });
    expect(reduce(t, { type: 'editInput', edit: { kind: 'insert', text: ' it' } }).dialog).toMatchObject({ name: 'x', task: 'do it' });
  });

  it('submitInput sends exactly the typed text and closes the input', () => {
    const s = reduce(withDialog({ kind: 'send', target: 'auth', value: ` "a" 'b' $(c) ` }), { type: 'submitInput' });
    expect(s.effects).toEqual([{ kind: 'send', name: 'auth', text: ` "a" 'b' $(c) ` }]);
    expect(s.dialog.kind).toBe('none');
    const all = reduce(withDialog({ kind: 'sendAll', value: 'go' }), { type: 'submitInput' });
    expect(all.effects).toEqual([{ kind: 'sendAll', text: 'go' }]);
  });

  it('submitInput on the name validates it, then asks for the task, then adds', () => {
    const form = (name: string) => withDialog({ kind: 'new', step: 'name', name, task: '', error: null });
    expect(reduce(form('Bad'), { type: 'submitInput' }).dialog).toMatchObject({ step: 'name', error: expect.stringContaining('not a valid name') });
    expect(reduce(form('auth'), { type: 'submitInput' }).dialog).toMatchObject({ step: 'name', error: 'an agent named "auth" already exists' });
    expect(reduce(form(''), { type: 'submitInput' }).dialog).toMatchObject({ error: 'type a name' });
    const next = reduce(form('search-2'), { type: 'submitInput' });
    expect(next.dialog).toEqual({ kind: 'new', step: 'task', name: 'search-2', task: '', error: null });
    expect(next.effects).toEqual([]);
    const done = reduce(next, { type: 'editInput', edit: { kind: 'insert', text: 'Add search' } }, { type: 'submitInput' });
    expect(done.effects).toEqual([{ kind: 'add', name: 'search-2', task: 'Add search' }]);
    expect(done.dialog.kind).toBe('none');
  });

  it('submitInput does nothing without a text dialog', () => {
    const s = start();
    expect(reduce(s, { type: 'submitInput' })).toBe(s);
  });

  it('cancelInput closes inputs, the form and the remove dialog, nothing else', () => {
    for (const d of [
      { kind: 'send', target: 'api', value: 'x' },
      { kind: 'sendAll', value: '' },
      { kind: 'new', step: 'task', name: 'a', task: '', error: null },
      { kind: 'remove', target: 'api', phase: 'checking', blocker: null, value: '' },
    ] as Dialog[]) {
      const s = reduce(withDialog(d), { type: 'cancelInput' });
      expect(s.dialog.kind).toBe('none');
      expect(s.effects).toEqual([]);
    }
    const help = withDialog({ kind: 'help' });
    expect(reduce(help, { type: 'cancelInput' })).toBe(help);
  });

  it('startRemove asks what would be lost; removalChecked picks a plain or a forced confirmation', () => {
    const s = reduce(start('api'), { type: 'startRemove' });
    expect(s.dialog).toEqual({ kind: 'remove', target: 'api', phase: 'checking', blocker: null, value: '' });
    expect(s.effects).toEqual([{ kind: 'checkRemoval', name: 'api' }]);
    const taken = reduce(s, { type: 'effectsTaken' });
    expect(reduce(taken, { type: 'removalChecked', name: 'api', blocker: null }).dialog).toMatchObject({ phase: 'confirm', blocker: null });
    expect(reduce(taken, { type: 'removalChecked', name: 'api', blocker: '3 uncommitted files' }).dialog).toMatchObject({ phase: 'force', blocker: '3 uncommitted files' });
    expect(reduce(taken, { type: 'removalChecked', name: 'other', blocker: null })).toBe(taken);
    expect(reduce(start(), { type: 'removalChecked', name: 'api', blocker: null }).dialog.kind).toBe('none');
  });

  it('confirmRemove removes without force after a plain confirmation only', () => {
    const plain = withDialog({ kind: 'remove', target: 'api', phase: 'confirm', blocker: null, value: '' });
    const s = reduce(plain, { type: 'confirmRemove' });
    expect(s.effects).toEqual([{ kind: 'remove', name: 'api', force: false }]);
    expect(s.dialog.kind).toBe('none');
    const forced = withDialog({ kind: 'remove', target: 'api', phase: 'force', blocker: 'work', value: '' });
    expect(reduce(forced, { type: 'confirmRemove' })).toBe(forced);
  });

  it('a forced remove needs y typed and submitted; anything else keeps the agent', () => {
    const forced = (value: string) => withDialog({ kind: 'remove', target: 'api', phase: 'force', blocker: 'work', value });
    expect(reduce(forced('y'), { type: 'submitInput' }).effects).toEqual([{ kind: 'remove', name: 'api', force: true }]);
    expect(reduce(forced(' Y '), { type: 'submitInput' }).effects).toEqual([{ kind: 'remove', name: 'api', force: true }]);
    const kept = reduce(forced('yes'), { type: 'submitInput' });
    expect(kept.effects).toEqual([]);
    expect(kept.dialog.kind).toBe('none');
    expect(kept.message?.text).toBe('api kept');
    expect(reduce(forced(''), { type: 'editInput', edit: { kind: 'insert', text: 'y' } }).dialog).toMatchObject({ value: 'y' });
    const checking = withDialog({ kind: 'remove', target: 'api', phase: 'checking', blocker: null, value: '' });
    expect(reduce(checking, { type: 'editInput', edit: { kind: 'insert', text: 'y' } }).dialog).toBe(checking.dialog);
    expect(reduce(checking, { type: 'submitInput' })).toBe(checking);
  });

  it('openLog loads the log; logLoaded shows the newest lines; closeLog goes back', () => {
    const s = reduce(start('auth'), { type: 'openLog' });
    expect(s.dialog).toEqual({ kind: 'log', target: 'auth', lines: null, fromEnd: 0 });
    expect(s.effects).toEqual([{ kind: 'loadLog', name: 'auth', lines: LOG_LINES }]);
    const loaded = reduce(s, { type: 'logLoaded', name: 'auth', lines: ['a', 'b'] });
    expect(loaded.dialog).toEqual({ kind: 'log', target: 'auth', lines: ['a', 'b'], fromEnd: 0 });
    expect(reduce(s, { type: 'logLoaded', name: 'api', lines: ['x'] }).dialog).toMatchObject({ lines: null });
    expect(reduce(start(), { type: 'logLoaded', name: 'auth', lines: ['x'] }).dialog.kind).toBe('none');
    expect(reduce(loaded, { type: 'closeLog' }).dialog.kind).toBe('none');
    const help = withDialog({ kind: 'help' });
    expect(reduce(help, { type: 'closeLog' })).toBe(help);
  });

  it('scrollLog scrolls between the oldest page and the newest line', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `${i}`);
    const log = withDialog({ kind: 'log', target: 'api', lines, fromEnd: 0 });
    const fromEnd = (s: DashState) => (s.dialog.kind === 'log' ? s.dialog.fromEnd : -1);
    expect(fromEnd(reduce(log, { type: 'scrollLog', delta: -1, height: 10 }))).toBe(1);
    expect(fromEnd(reduce(log, { type: 'scrollLog', delta: -15, height: 10 }, { type: 'scrollLog', delta: 5, height: 10 }))).toBe(10);
    expect(fromEnd(reduce(log, { type: 'scrollLog', delta: -Infinity, height: 10 }))).toBe(40);
    expect(fromEnd(reduce(log, { type: 'scrollLog', delta: -Infinity, height: 10 }, { type: 'scrollLog', delta: Infinity, height: 10 }))).toBe(0);
    expect(reduce(log, { type: 'scrollLog', delta: 1, height: 10 })).toBe(log);
    const loading = withDialog({ kind: 'log', target: 'api', lines: null, fromEnd: 0 });
    expect(reduce(loading, { type: 'scrollLog', delta: -1, height: 10 })).toBe(loading);
    const short = withDialog({ kind: 'log', target: 'api', lines: ['a'], fromEnd: 0 });
    expect(reduce(short, { type: 'scrollLog', delta: -5, height: 10 })).toBe(short);
  });

  it('restartSelected restarts an exited or stopped agent only', () => {
    const s = reduce(start('pay'), { type: 'restartSelected' });
    expect(s.effects).toEqual([{ kind: 'restart', name: 'pay' }]);
    expect(s.message?.text).toBe('restarting pay…');
    const busy = reduce(start('auth'), { type: 'restartSelected' });
    expect(busy.effects).toEqual([]);
    expect(busy.message?.text).toBe('auth is busy: only an exited or stopped agent can be restarted');
  });

  it('an agent of the layout that is not created: r creates it, x says how to drop it', () => {
    const rows = base().map((r) => (r.name === 'api' ? { ...r, status: 'stopped' as const, created: false, hasWindow: false } : r));
    const s = initialDashState(snap(rows), 'api');
    const r = reduce(s, { type: 'restartSelected' });
    expect(r.effects).toEqual([{ kind: 'restart', name: 'api' }]);
    expect(r.message?.text).toBe('creating api…');
    const x = reduce(s, { type: 'startRemove' });
    expect(x.effects).toEqual([]);
    expect(x.dialog).toEqual({ kind: 'none' });
    expect(x.message?.text).toBe('api is not created, only declared in the layout file: delete it there to drop it');
  });

  it('quit queues quit', () => {
    expect(reduce(start(), { type: 'quit' }).effects).toEqual([{ kind: 'quit' }]);
  });

  it('setMessage / clearMessage: a timer clears only the message it was set for', () => {
    const one = reduce(start(), { type: 'setMessage', text: 'one' });
    const two = reduce(one, { type: 'setMessage', text: 'two' });
    expect(two.message).toEqual({ text: 'two', seq: 2 });
    expect(reduce(two, { type: 'clearMessage', seq: 1 }).message?.text).toBe('two');
    expect(reduce(two, { type: 'clearMessage', seq: 2 }).message).toBeNull();
  });

  it('effectsTaken empties the queue', () => {
    const s = reduce(start(), { type: 'jumpSelected' }, { type: 'jumpIndex', index: 2 });
    expect(s.effects).toHaveLength(2);
    expect(reduce(s, { type: 'effectsTaken' }).effects).toEqual([]);
    const none = start();
    expect(reduce(none, { type: 'effectsTaken' })).toBe(none);
  });
});

describe('validateName', () => {
  it('accepts [a-z0-9][a-z0-9-]* names that are not taken', () => {
    expect(validateName('a', [])).toBeNull();
    expect(validateName('0-x-1', [])).toBeNull();
    for (const bad of ['-a', 'A', 'a_b', 'a b', 'a;rm', 'é', '$(x)']) expect(validateName(bad, [])).toMatch(/not a valid name/);
    expect(validateName('a', ['a'])).toMatch(/already exists/);
  });
});
