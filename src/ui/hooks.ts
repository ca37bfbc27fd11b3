// The hooks that connect the pure parts (reducer, key table) to Ink and to the outside: the store
// that performs queued effects, the snapshot subscription, the minute clock, the message timer, the
// terminal size, and the key handlers.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useInput, useStdin, useStdout, type Key } from 'ink';
import { commandFor, type Command, type Scope } from './keys.js';
import type { Actions, Source } from './model.js';
import { dashReducer, type DashAction, type DashState, type Dialog, type Effect } from './reducer.js';

export type Dispatch = (action: DashAction) => void;

/** How long a message stays in the status line. */
export const MESSAGE_MS = 4000;

/**
 * The reducer's state, kept in a ref so that key handlers always see the latest state (two keys can
 * arrive before React renders again). After each action the queued effects are performed.
 */
export function useDashStore(init: () => DashState, actions: Actions, exit: () => void): [DashState, Dispatch, () => DashState] {
  const ref = useRef<DashState | null>(null);
  if (ref.current === null) ref.current = init();
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const deps = useRef({ actions, exit });
  deps.current = { actions, exit };
  const dispatch = useCallback<Dispatch>((action) => {
    let next = dashReducer(ref.current!, action);
    if (next === ref.current) return;
    const effects = next.effects;
    if (effects.length) next = dashReducer(next, { type: 'effectsTaken' });
    ref.current = next;
    rerender();
    for (const effect of effects) void perform(effect, deps.current.actions, dispatch, deps.current.exit);
  }, []);
  const get = useCallback(() => ref.current!, []);
  return [ref.current, dispatch, get];
}

export async function perform(effect: Effect, actions: Actions, dispatch: Dispatch, exit: () => void): Promise<void> {
  const say = (text: string | null) => {
    if (text) dispatch({ type: 'setMessage', text });
  };
  try {
    switch (effect.kind) {
      case 'jump': return say(await actions.jump(effect.name));
      case 'send': return say(await actions.send(effect.name, effect.text));
      case 'sendAll': return say(await actions.sendAll(effect.text));
      case 'add': return say(await actions.add(effect.name, effect.task));
      case 'remove': return say(await actions.remove(effect.name, effect.force));
      case 'restart': return say(await actions.restart(effect.name));
      case 'checkRemoval':
        return dispatch({ type: 'removalChecked', name: effect.name, blocker: await actions.removalBlocker(effect.name) });
      case 'loadLog':
        return dispatch({ type: 'logLoaded', name: effect.name, lines: await actions.log(effect.name, effect.lines) });
      case 'quit':
        actions.quit();
        return exit();
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (effect.kind === 'checkRemoval') dispatch({ type: 'cancelInput' });
    if (effect.kind === 'loadLog') return dispatch({ type: 'logLoaded', name: effect.name, lines: [`could not read the log: ${why}`] });
    say(`${effect.kind} failed: ${why}`);
  }
}

/** Every snapshot the source pushes goes to the reducer. */
export function useSnapshots(source: Source, dispatch: Dispatch): void {
  useEffect(() => {
    const unsubscribe = source.subscribe((snapshot) => dispatch({ type: 'snapshot', snapshot }));
    dispatch({ type: 'snapshot', snapshot: source.current() });
    return unsubscribe;
  }, [source, dispatch]);
}

export const MINUTE_MS = 60_000;

/**
 * The time the screen's ages are measured from (they are shown to the minute: format.ts duration).
 * Read again when FRESH changes (new rows: they are drawn again anyway) and once a minute, just after
 * the clock's minute turns; no timer in between, so an idle dashboard draws once a minute at most.
 */
export function useMinuteClock(clock: () => number, fresh: unknown): number {
  const [minute, setMinute] = useState(0);
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer = setTimeout(() => {
        setMinute((m) => m + 1);
        arm();
      }, MINUTE_MS - (clock() % MINUTE_MS) + 5);
    };
    arm();
    return () => clearTimeout(timer);
  }, [clock]);
  // minute and fresh are not read: they say when to read the clock again
  return useMemo(() => clock(), [clock, minute, fresh]);
}

/** Clears a message after `ms` unless a newer one replaced it. */
export function useMessageTimeout(message: DashState['message'], dispatch: Dispatch, ms: number): void {
  const seq = message?.seq;
  useEffect(() => {
    if (seq === undefined) return;
    const timer = setTimeout(() => dispatch({ type: 'clearMessage', seq }), ms);
    return () => clearTimeout(timer);
  }, [seq, ms, dispatch]);
}

/** The terminal's size, following resizes. rows: undefined when unknown (not a terminal). */
export function useTerminalSize(): { columns: number; rows: number | undefined } {
  const { stdout } = useStdout();
  const read = useCallback(() => ({ columns: stdout.columns || 80, rows: stdout.rows || undefined }), [stdout]);
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, read]);
  return size;
}

// ---- keys --------------------------------------------------------------------------------------

/** Which part of the key table applies while a dialog is open (or none: the list). */
export function scopeOf(dialog: Dialog): Scope {
  switch (dialog.kind) {
    case 'none': return 'list';
    case 'help': return 'help';
    case 'log': return 'log';
    case 'remove': return dialog.phase === 'confirm' ? 'confirm' : 'text';
    default: return 'text';
  }
}

/** What a command does, as a reducer action. `page`: the log view's height. */
export function actionFor(command: Command, input: string, page: number): DashAction | null {
  switch (command) {
    case 'up': return { type: 'selectPrev' };
    case 'down': return { type: 'selectNext' };
    case 'jump': return { type: 'jumpSelected' };
    case 'jumpIndex': return { type: 'jumpIndex', index: Number(input) };
    case 'new': return { type: 'startInput', purpose: 'new' };
    case 'send': return { type: 'startInput', purpose: 'send' };
    case 'sendAll': return { type: 'startInput', purpose: 'sendAll' };
    case 'remove': return { type: 'startRemove' };
    case 'log': return { type: 'openLog' };
    case 'preview': return { type: 'togglePreview' };
    case 'restart': return { type: 'restartSelected' };
    case 'help': return { type: 'openHelp' };
    case 'quit': return { type: 'quit' };
    case 'closeHelp': return { type: 'closeHelp' };
    case 'logUp': return { type: 'scrollLog', delta: -1, height: page };
    case 'logDown': return { type: 'scrollLog', delta: 1, height: page };
    case 'logPageUp': return { type: 'scrollLog', delta: -page, height: page };
    case 'logPageDown': return { type: 'scrollLog', delta: page, height: page };
    case 'logTop': return { type: 'scrollLog', delta: -Infinity, height: page };
    case 'logBottom': return { type: 'scrollLog', delta: Infinity, height: page };
    case 'closeLog': return { type: 'closeLog' };
    case 'submit': return { type: 'submitInput' };
    case 'cancel': return { type: 'cancelInput' };
    case 'erase': return { type: 'editInput', edit: { kind: 'backspace' } };
    case 'clearLine': return { type: 'editInput', edit: { kind: 'clear' } };
    case 'confirmYes': return { type: 'confirmRemove' };
    case 'confirmNo': return { type: 'cancelInput' };
  }
}

/** A key press → the action for the dialog on top (or the list). Pure, so it is tested directly. */
export function keyAction(dialog: Dialog, input: string, key: Partial<Key>, page: number): DashAction | null {
  const scope = scopeOf(dialog);
  const command = commandFor(scope, input, key);
  if (command) return actionFor(command, input, page);
  if (scope === 'text' && input !== '' && !key.ctrl && !key.meta) return { type: 'editInput', edit: { kind: 'insert', text: input } };
  if (scope === 'confirm') return { type: 'cancelInput' }; // y/N: anything but y keeps the agent
  return null;
}

/**
 * The dashboard's keys: one handler that routes each key by the dialog on top (keyAction), so an open
 * dialog consumes keys first (`q` in an input is a letter) and the list sees keys only when none is.
 * Not two handlers swapped with `isActive`: in Ink 6 the swap briefly turns raw mode off, which resets
 * the input parser and drops a pending Esc; and the handler reads the latest state from the store, so
 * keys that arrive before React renders again still go to the right place.
 */
export function useDashKeys(get: () => DashState, dispatch: Dispatch, page: number): void {
  const onKey = useCallback(
    (input: string, key: Key) => {
      const action = keyAction(get().dialog, input, key, page);
      if (action) dispatch(action);
    },
    [get, dispatch, page],
  );
  const { isRawModeSupported } = useStdin();
  useInput(onKey, { isActive: isRawModeSupported }); // stdin not a terminal: show, take no keys
}

const SIDEBAR_COMMANDS: readonly Command[] = ['up', 'down', 'jump', 'jumpIndex'];

/** The sidebar's keys: select and jump, nothing else. */
export function useSidebarKeys(dispatch: Dispatch): void {
  const onKey = useCallback(
    (input: string, key: Key) => {
      const command = commandFor('list', input, key, SIDEBAR_COMMANDS);
      const action = command && actionFor(command, input, 1);
      if (action) dispatch(action);
    },
    [dispatch],
  );
  const { isRawModeSupported } = useStdin();
  useInput(onKey, { isActive: isRawModeSupported });
}
