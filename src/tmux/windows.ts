// Making sessions, windows and panes that run a program. A new window first runs a placeholder that
// only waits, so that its options (remain-on-exit, treemux's own `@` options, the log pipe) are set
// before the real program starts; one tmux call then swaps the program in.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crashPoint } from '../util/crash.js';
import { shellQuote } from '../util/shell.js';
import { THEN, cwdArg, literal, type Arg } from './argv.js';
import type { Tmux } from './client.js';
import { TmuxError } from './errors.js';
import { CREATED_FIELDS, formatOf, parseRows } from './format.js';
import { addSidebar } from './sidebars.js';

export interface Created {
  sessionId: string;
  windowId: string;
  /** the window's number in its session */
  windowIndex: number;
  paneId: string;
}

export interface Spawn {
  cwd: string;
  /** argv; run directly by tmux (execvp), never through a shell */
  command: readonly string[];
  env?: Record<string, string>;
  /** user options (`@name`) set on the new window, and on its first pane, before the program starts */
  windowOptions?: Record<string, string>;
  paneOptions?: Record<string, string>;
  /** keep the pane (dead) when its program ends, so its exit can be seen; default true */
  remainOnExit?: boolean;
  /**
   * append everything the program prints to this file (tmux pipe-pane), attached before the program
   * starts so that even a program that ends at once leaves its last words there
   */
  log?: string;
}

/**
 * Something that only waits, so that options can be set on a window before its real program runs;
 * recognisable (PLACEHOLDER_FIELD) in a window whose making was cut short.
 */
const PLACEHOLDER = ['env', 'TREEMUX_PLACEHOLDER=1', 'sleep', '2147483647'];

/**
 * New detached session whose first window runs `spawn`, with remain-on-exit set before it starts.
 * `size`: the terminal that will show it, so that its windows (detached until then) are made that
 * big instead of 80x24 (tmux keeps it as the session's default-size). `start: false`: the window
 * keeps the placeholder, with `spawn`'s pane options set, until the caller starts it (startIn).
 */
export async function newSession(t: Tmux, name: string, windowName: string, spawn: Spawn, size?: { width: number; height: number }, opts: { start?: boolean } = {}): Promise<Created> {
  const out = await t.run([
    'new-session', '-d', '-s', literal(name), '-n', literal(windowName), '-c', cwdArg(spawn.cwd),
    ...(size ? ['-x', String(size.width), '-y', String(size.height)] : []),
    '-P', '-F', formatOf(CREATED_FIELDS), '--', ...PLACEHOLDER,
  ]);
  const created = createdFrom(out);
  if (opts.start === false) {
    // the caller starts it later (startIn: startCreated); its pane options say already what it will be
    await setPaneOptions(t, created.paneId, spawn);
    return created;
  }
  try {
    await startIn(t, created, spawn);
  } catch (err) {
    await t.killSession(created.sessionId);
    throw err;
  }
  return created;
}

/**
 * New window, not selected, running `spawn` (remain-on-exit on): at window number `index` when that
 * is free, else at the first free number. With `sidebar`, a sidebar pane of that width at its left,
 * made before the program starts, so that the program starts at its pane's final size (a program
 * resized just after it drew its first screen would redraw, and its output be taken for a redraw).
 */
export async function newWindow(t: Tmux, sessionId: string, name: string, spawn: Spawn, opts: { index?: number; sidebar?: { width: number } } = {}): Promise<Created> {
  const create = (target: string) =>
    t.run(['new-window', '-d', '-t', target, '-n', literal(name), '-c', cwdArg(spawn.cwd), '-P', '-F', formatOf(CREATED_FIELDS), '--', ...PLACEHOLDER]);
  let out;
  try {
    out = await create(`${sessionId}:${opts.index ?? ''}`);
  } catch (err) {
    if (opts.index === undefined || !/index \d+ in use/.test(String((err as Error).message))) throw err;
    out = await create(`${sessionId}:`);
  }
  const created = createdFrom(out);
  crashPoint('window-made');
  try {
    if (opts.sidebar) await addSidebar(t, created.paneId, { cwd: spawn.cwd, width: opts.sidebar.width });
    await startIn(t, created, spawn);
  } catch (err) {
    await t.killWindow(created.windowId);
    throw err;
  }
  return created;
}

/** Restart the program of a (dead or alive) pane. */
export async function respawnPane(t: Tmux, paneId: string, spawn: Spawn): Promise<void> {
  await t.run(['respawn-pane', '-k', '-t', paneId, '-c', cwdArg(spawn.cwd), ...envArgs(spawn.env), '--', ...direct(spawn.command), ...(await logArgs(paneId, spawn))]);
}

/** A new pane beside `paneId` running `spawn` directly; returns its id. */
export async function splitPane(t: Tmux, paneId: string, spawn: Spawn, opts: { left?: boolean; below?: boolean; size?: string }): Promise<string> {
  const out = await t.run([
    'split-window', '-d', opts.below ? '-v' : '-h', ...(opts.left ? ['-b'] : []), ...(opts.size ? ['-l', opts.size] : []),
    '-t', paneId, '-c', cwdArg(spawn.cwd), ...envArgs(spawn.env), '-P', '-F', '#{pane_id}', '--', ...direct(spawn.command),
  ]);
  const id = out.trim();
  await setPaneOptions(t, id, spawn);
  return id;
}

async function setPaneOptions(t: Tmux, paneId: string, spawn: Pick<Spawn, 'paneOptions'>): Promise<void> {
  for (const [k, v] of Object.entries(spawn.paneOptions ?? {})) await t.run(['set-option', '-p', '-t', paneId, k, v]);
}

function createdFrom(out: string): Created {
  const row = parseRows(CREATED_FIELDS, out)[0];
  if (!row) throw new TmuxError(`tmux did not report the new window (${out})`);
  return { sessionId: row.session_id, windowId: row.window_id, windowIndex: Number(row.window_index), paneId: row.pane_id };
}

/** Set remain-on-exit and our options, then replace the placeholder with the real program: one call. */
export async function startIn(t: Tmux, created: Created, spawn: Spawn): Promise<void> {
  const options: Arg[] = [
    ...Object.entries(spawn.windowOptions ?? {}).flatMap(([k, v]): Arg[] => ['set-option', '-w', '-t', created.windowId, k, v, THEN]),
    ...Object.entries(spawn.paneOptions ?? {}).flatMap(([k, v]): Arg[] => ['set-option', '-p', '-t', created.paneId, k, v, THEN]),
  ];
  await t.run([
    ...options,
    'set-option', '-w', '-t', created.windowId, 'remain-on-exit', spawn.remainOnExit === false ? 'off' : 'on', THEN,
    'respawn-pane', '-k', '-t', created.paneId, '-c', cwdArg(spawn.cwd), ...envArgs(spawn.env), '--', ...direct(spawn.command),
    ...(await logArgs(created.paneId, spawn)),
  ]);
}

/**
 * THEN and the pipe-pane command that appends everything the pane prints to `spawn.log` (nothing
 * without one). It follows respawn-pane in the same tmux call: tmux reads the new program's output
 * only after the whole call, so not a byte is missed, even of a program that ends at once; and a
 * pipe-pane with a command replaces the pane's old pipe (which a dead pane keeps, closed). The path
 * is ours and is single-quoted for the shell tmux uses.
 */
async function logArgs(paneId: string, spawn: Pick<Spawn, 'log'>): Promise<Arg[]> {
  if (!spawn.log) return [];
  await mkdir(dirname(spawn.log), { recursive: true });
  return [THEN, 'pipe-pane', '-t', paneId, `exec cat >> ${shellQuote(spawn.log)}`];
}

function envArgs(env: Record<string, string> | undefined): string[] {
  return Object.entries(env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
}

/** tmux hands a single-word command to `sh -c`; with two or more words it runs them directly. */
function direct(command: readonly string[]): string[] {
  if (command.length === 0) throw new TmuxError('empty command');
  return command.length === 1 ? ['env', '--', command[0]!] : [...command];
}
