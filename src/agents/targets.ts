// Where `send` types and where `jump` goes, read from the leading watcher's snapshot while it
// answers for this command (status/fresh.ts): no inventory, so no git and no tmux listing. When it
// does not answer, or names no live pane for the agent, the commands take their own inventory (and
// give their usual errors from it).
import type { Ctx } from '../project/context.js';
import { freshSnapshot } from './status/fresh.js';

/** The running interactive agents' panes to type into; null: ask the inventory. */
export function panesFromSnapshot(ctx: Ctx, names: readonly string[] | 'all'): { name: string; paneId: string }[] | null {
  const snap = freshSnapshot(ctx);
  if (!snap) return null;
  const rows = names === 'all' ? snap.agents : names.map((n) => snap.agents.find((a) => a.name === n));
  // an agent on another host is typed into over ssh: the inventory's way
  const live = rows.filter((r) => r !== undefined && r.mode === 'interactive' && r.pane?.alive && !r.host);
  if (names !== 'all' && live.length !== names.length) return null; // not running, headless, unknown: the long way says why
  if (live.length === 0) return null;
  return live.map((r) => ({ name: r!.name, paneId: r!.pane!.id }));
}

/** The session and window to show for `jump` (an agent's, or the dashboard's); null: ask the inventory. */
export function windowFromSnapshot(ctx: Ctx, name: string | undefined): { session: string; window: string; dash: boolean } | null {
  const snap = freshSnapshot(ctx);
  if (!snap?.tmux) return null;
  const row = name === undefined ? undefined : snap.agents.find((a) => a.name === name);
  const toDash = name === undefined || (name === 'dash' && !row);
  if (row?.host) return null; // its window is on another host: the inventory's way
  const window = toDash ? snap.tmux.dash : row?.pane?.window;
  return window ? { session: snap.tmux.session, window, dash: toDash } : null;
}
