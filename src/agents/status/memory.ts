// What the Observer remembers of an agent between looks, and the rules that move it on. Pure: each
// step takes what was just seen and the time, and updates the memory; reading files and screens is
// the Observer's.
import type { HookEvent } from './rules.js';
import type { Status } from './status.js';

/** Output this soon after the pane changed size is the program redrawing for it, not working. */
export const RESIZE_GRACE_MS = 2000;
/** After git state moved (a commit from a shell, a merge), changed files are read again this soon at most. */
export const GIT_CHANGE_MS = 2_000;
/** An active agent's changed files are read again this often at most. */
export const CHANGED_FILES_MS = 30_000;

export interface Memory {
  logSize?: number;
  logGrewAt?: number;
  /** logGrewAt before the last growth (a resize seen late takes that growth back) */
  grewBefore?: number;
  /** the status before the last change, and since when (a redraw taken back restores them) */
  before?: { status: Status | undefined; since: number };
  /** this tick took back a redraw: a change of status now is no news */
  redrawn?: boolean;
  /** the pane's size, and when it last changed (a client attached, a split) */
  size?: string;
  resizedAt?: number;
  eventsSize?: number;
  hook?: HookEvent;
  screen?: string;
  /** when the screen was read */
  screenAt?: number;
  status?: Status;
  since: number;
  lastLine: string;
  changed: { count: number | null; at: number; logSize?: number; violations?: string[]; stamp?: string };
}

/** A question on screen is read again this often while the agent waits (its answer may come before the last redraw was read). */
export const WAITING_REREAD_MS = 1_000;

/** Is the screen worth reading now: something changed, it was never read, or a waiting agent's is stale? */
export function screenDue(mem: Memory, changed: boolean, now: number): boolean {
  if (changed || mem.screen === undefined) return true;
  return mem.status === 'waiting' && now - (mem.screenAt ?? 0) >= WAITING_REREAD_MS;
}

export function freshMemory(now: number): Memory {
  return { since: now, lastLine: '', changed: { count: null, at: 0 } };
}

/**
 * The pane's size now (undefined: no pane). A change starts the resize grace; a log growth read on
 * the look before this one saw the new size was the resize's redraw too, and is taken back.
 * Returns whether output now is the program redrawing for a resize.
 */
export function noteSize(mem: Memory, size: string | undefined, now: number): boolean {
  if (size !== mem.size) {
    if (mem.size !== undefined) {
      mem.resizedAt = now;
      if (mem.logGrewAt !== undefined && now - mem.logGrewAt <= RESIZE_GRACE_MS) {
        mem.logGrewAt = mem.grewBefore;
        mem.redrawn = true;
      }
    }
    mem.size = size;
  }
  return mem.resizedAt !== undefined && now - mem.resizedAt <= RESIZE_GRACE_MS;
}

/**
 * The log's size and change time, when it changed size. Growth while redrawing is not work; the
 * first size seen dates from the file's own change time. Returns whether the log changed.
 */
export function noteLog(mem: Memory, log: { size: number; mtimeMs: number }, redrawing: boolean, now: number): boolean {
  if (log.size === mem.logSize) return false;
  if (!redrawing) {
    mem.grewBefore = mem.logGrewAt;
    mem.logGrewAt = mem.logSize === undefined ? log.mtimeMs : now;
  }
  mem.logSize = log.size;
  return true;
}

/**
 * The status seen now. Back to what it was before a redraw taken back: as if it never changed.
 * A new status starts now, except the first one seen, which dates from the log's last growth
 * (when it is not busy: a program idle since a while is idle since then).
 */
export function noteStatus(mem: Memory, status: Status, now: number): void {
  if (mem.redrawn && mem.before && status === mem.before.status) {
    mem.status = status;
    mem.since = mem.before.since;
  } else if (status !== mem.status) {
    mem.before = { status: mem.status, since: mem.since };
    mem.since = mem.status === undefined ? (mem.logGrewAt && status !== 'busy' ? Math.min(now, mem.logGrewAt) : now) : now;
    mem.status = status;
  }
}

/**
 * Whether the agent's changed files are worth reading now: after it was active (its log grew since
 * the last read, or never read) at most every 30 s, or when git moved (STAMP, the change times of
 * its index, branch and base, differs) at most every 2 s. `gitMoved` is news for the conflict radar
 * only when the files were read before.
 */
export function changedFilesDue(mem: Memory, stamp: string | undefined, now: number): { due: boolean; gitMoved: boolean } {
  const active = mem.changed.at === 0 || mem.logSize !== mem.changed.logSize;
  const moved = stamp !== undefined && stamp !== mem.changed.stamp && now - mem.changed.at > GIT_CHANGE_MS;
  return { due: (active && now - mem.changed.at > CHANGED_FILES_MS) || moved, gitMoved: moved && mem.changed.at !== 0 };
}
