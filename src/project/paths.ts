// Where treemux keeps each project's files, all under <git common dir>/treemux/ (never in a worktree).
import { constants, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const stateDir = (commonDir: string): string => join(commonDir, 'treemux');
/** the pane's output, appended by tmux pipe-pane (raw terminal bytes; readers strip ANSI) */
export const logPath = (commonDir: string, agent: string): string => join(stateDir(commonDir), 'logs', `${agent}.log`);
/** Claude Code hook events, one JSON object a line */
export const eventsPath = (commonDir: string, agent: string): string => join(stateDir(commonDir), 'events', `${agent}.jsonl`);
/** a headless run's raw events, one JSON object a line */
export const rawLogPath = (commonDir: string, agent: string): string => join(stateDir(commonDir), 'logs', `${agent}.jsonl`);
/** Everything treemux keeps about one agent's output (what `rm` clears, or moves to the trash). */
export const agentRecords = (commonDir: string, agent: string): string[] => [logPath(commonDir, agent), rawLogPath(commonDir, agent), eventsPath(commonDir, agent)];
/** the latest snapshot, written by the watcher that leads */
export const snapshotPath = (commonDir: string): string => join(stateDir(commonDir), 'status.json');

export interface FileMark {
  size: number;
  mtimeMs: number;
}

/**
 * A file's size and change time now, or null. Synchronous on purpose: a stat takes microseconds,
 * while one through the thread pool costs a thread hand-off each, and the watcher takes hundreds a
 * refresh (the idle dashboard's CPU was mostly those hand-offs).
 */
export function markNow(path: string): FileMark | null {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? { size: s.size, mtimeMs: s.mtimeMs } : null;
}

export async function mark(path: string): Promise<FileMark | null> {
  try {
    const s = await stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return null;
  }
}

/**
 * The last `bytes` of a file (fewer when it is smaller); '' when it does not exist, or is not a plain
 * file (a path read back from a hook may name a FIFO, which would block, or a link: neither is read).
 */
export async function tail(path: string, bytes = 16_384): Promise<string> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return '';
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return '';
    const { size } = st;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
