// Whether the leading watcher's snapshot answers for a one-shot command (ls, send, jump), so that it
// need not look at tmux, git and every agent's files itself. It does when a leader is alive (its
// watch lock was refreshed within the lock's stale time: the lock's change time is its heartbeat),
// watches the same tmux server, has read state.json as it is now, and was started with the same
// agents in its layout. Anything else (no dashboard running, an edited layout, an agent just made
// or removed, a file of the wrong shape): null, and the command looks for itself.
import { readFileSync } from 'node:fs';
import { lockPathOf } from '../../host/lock.js';
import type { Ctx } from '../../project/context.js';
import { eventsPath, logPath, markNow, snapshotPath, stateDir } from '../../project/paths.js';
import type { Tmux } from '../../tmux/index.js';
import { LOCK_STALE_MS } from './leader.js';
import type { Snapshot, SnapshotBasis } from './snapshot.js';

/** The tmux server a Tmux talks to: its socket name and the folder tmux keeps sockets in. */
export function serverKey(tmux: Tmux): string {
  return `${tmux.serverArgs().join(' ') || 'default'}@${process.env.TMUX_TMPDIR ?? ''}:${process.getuid?.() ?? ''}`;
}

/** state.json as it is now (mtime:size; '-' when there is none). */
export function stateMark(ctx: Ctx): string {
  const m = markNow(ctx.state.file);
  return m ? `${m.mtimeMs}:${m.size}` : '-';
}

/** The layout's agents as one key: another layout (an agent added, renamed, moved) is another key. */
export function layoutKey(ctx: Ctx): string {
  return JSON.stringify(ctx.layout.agents.map((a) => [a.name, a.branch, a.worktree]));
}

export function basisOf(ctx: Ctx, state: string): SnapshotBasis {
  return { server: serverKey(ctx.tmux), state, layout: layoutKey(ctx) };
}

// What a reader relies on, checked by hand (zod would cost a one-shot command more than all the rest
// of its work); the rest of a row passes through as the leader wrote it.
const ROW_FIELDS: Record<string, string[]> = {
  name: ['string'],
  status: ['string'],
  lastLine: ['string'],
  created: ['boolean'],
  hasWindow: ['boolean'],
  mode: ['string'],
  ok: ['boolean', 'null'],
  costUsd: ['number', 'null'],
  exitCode: ['number', 'null'],
  ports: ['object'],
};
const typeOf = (v: unknown): string => (v === null ? 'null' : typeof v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function rowShaped(row: unknown): boolean {
  return isObject(row) && Object.entries(ROW_FIELDS).every(([k, types]) => types.includes(typeOf(row[k])));
}

function snapshotShaped(v: unknown): v is Snapshot & { basis: SnapshotBasis } {
  if (!isObject(v) || typeof v.project !== 'string' || typeof v.session !== 'string' || !Array.isArray(v.agents)) return false;
  const b = v.basis;
  return isObject(b) && typeof b.server === 'string' && typeof b.state === 'string' && typeof b.layout === 'string' && v.agents.every(rowShaped);
}

/**
 * Whether the snapshot's look came after every agent's last output and hook event: their files
 * changed no later than the look began (a row's `seen` sizes change with them, so a look that saw
 * them grow wrote the snapshot again, with its time).
 */
function caughtUp(ctx: Ctx, snap: Snapshot): boolean {
  const before = (file: string) => (markNow(file)?.mtimeMs ?? 0) <= snap.at;
  return snap.agents.every((r) => !isObject(r.seen) || (before(logPath(ctx.repo.commonDir, r.name)) && before(eventsPath(ctx.repo.commonDir, r.name))));
}

/** How long `ls` waits for a leader that is behind the agents' files (it was told, and looks within 250 ms). */
const CATCH_UP_MS = 750;
const CATCH_UP_POLL_MS = 20;

/**
 * The leader's snapshot when it answers for `ls`: as freshSnapshot, and caught up with every agent's
 * output and hook events (what changed a moment ago is in it). A leader behind them is waited for a
 * little; then null, and ls looks itself.
 */
export async function exactSnapshot(ctx: Ctx): Promise<Snapshot | null> {
  const until = Date.now() + CATCH_UP_MS;
  for (;;) {
    const snap = freshSnapshot(ctx);
    if (!snap) return null;
    if (caughtUp(ctx, snap)) return snap;
    if (Date.now() >= until) return null;
    await new Promise((r) => setTimeout(r, CATCH_UP_POLL_MS));
  }
}

/** The leader's snapshot when it answers for CTX now; null when the command must look itself. */
export function freshSnapshot(ctx: Ctx, now = Date.now()): Snapshot | null {
  const dir = stateDir(ctx.repo.commonDir);
  const beat = markNow(lockPathOf(`${dir}/watch`));
  if (!beat || now - beat.mtimeMs > LOCK_STALE_MS) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(snapshotPath(ctx.repo.commonDir), 'utf8'));
  } catch {
    return null;
  }
  if (!snapshotShaped(parsed)) return null;
  const snap = parsed;
  const want = basisOf(ctx, stateMark(ctx));
  const same = snap.basis.server === want.server && snap.basis.state === want.state && snap.basis.layout === want.layout;
  if (!same || snap.project !== ctx.layout.project || snap.session !== ctx.layout.session) return null;
  // the rows are the layout's agents, in its order (agents added beside the layout: look instead)
  const names = ctx.layout.agents.map((a) => a.name);
  if (snap.agents.length !== names.length || snap.agents.some((r, i) => r.name !== names[i])) return null;
  return snap;
}
