// The project's tmux session: made (with its dashboard window, keys and status-line hint) the first
// time an agent comes up, found again after; its keys released when the last treemux session ends.
import { isDead } from '../status/alive.js';
import { oneLine } from '../../util/output.js';
import type { Ctx } from '../../project/context.js';
import type { Inventory } from '../inventory.js';
import { KEY_BINDINGS, SESSION_MARK } from '../../tmux/bindings.js';
import { PLACEHOLDER_FIELD } from '../../tmux/format.js';
import { dashSpawn } from './spawn.js';

/** The session, and the number of its dashboard window: agent N's window is that number + N. */
export interface SessionPlace {
  sessionId: string;
  dashWindowId: string | null;
  dashIndex: number;
  /** made by this call (a run that then makes no agent window takes it away again) */
  made?: boolean;
  /**
   * A session made now has its dashboard window waiting (the placeholder): the dashboard is started
   * by this, once the agents' windows are made, so that its Node start and its first looks do not
   * compete with up's own git and tmux work (nobody sees it before up ends: up attaches after).
   */
  startDash?: () => Promise<void>;
}

export async function ensureSession(ctx: Ctx, inv: Inventory): Promise<SessionPlace> {
  if (inv.session) return reopenDashboard(ctx, inv.session.id, inv);
  const { tmux, layout } = ctx;
  // made at the size of the terminal it is started from (it will likely be shown there), minus tmux's status line
  const term = process.stdout.isTTY && process.stdout.columns && process.stdout.rows ? { width: process.stdout.columns, height: Math.max(2, process.stdout.rows - 1) } : undefined;
  const dash = dashSpawn(ctx);
  // known as the dashboard (its role set) while it waits: an up killed before it starts leaves a
  // window the next up starts (reopenDashboard), not a half-made window to clear
  const created = await tmux.newSession(layout.session, 'dash', dash, term, { start: false });
  await tmux.setSessionOption(created.sessionId, SESSION_MARK, layout.project);
  // independent of one another: side by side
  await Promise.all([
    installKeys(ctx),
    keysInStatusLine(ctx, created.sessionId).catch(() => undefined), // a hint only: the session works without it
    // Claude Code asks for focus events; it is a server option in tmux 3.3.
    tmux.setServerOption('focus-events', 'on').catch(() => undefined), // an older tmux without the option still runs agents
  ]);
  const startDash = () => tmux.startCreated(created, dash);
  return { sessionId: created.sessionId, dashWindowId: created.windowId, dashIndex: created.windowIndex, made: true, startDash };
}

/** The dashboard window comes back too when it was closed, or restarts when it ended. */
async function reopenDashboard(ctx: Ctx, sessionId: string, inv: Inventory): Promise<SessionPlace> {
  const dash = inv.panes.find((p) => p['@treemux-role'] === 'dash');
  if (dash?.[PLACEHOLDER_FIELD] === '1') {
    // made by an up that was killed before it started the dashboard
    const made = { sessionId, windowId: dash.window_id, paneId: dash.pane_id, windowIndex: Number(dash.window_index) };
    await ctx.tmux.startCreated(made, dashSpawn(ctx));
  } else if (isDead(dash)) await ctx.tmux.respawnPane(dash.pane_id, dashSpawn(ctx));
  if (dash) return { sessionId, dashWindowId: dash.window_id, dashIndex: Number(dash.window_index) };
  const created = await ctx.tmux.newWindow(sessionId, 'dash', dashSpawn(ctx), { index: 0 });
  return { sessionId, dashWindowId: created.windowId, dashIndex: created.windowIndex };
}

/**
 * Keys for treemux sessions only (tmux key tables are server-wide, so each binding is conditional on
 * the session option @treemux-project, and keeps the key's old binding for every other session):
 * prefix g: the dashboard; prefix J / K: next / previous window.
 */
async function installKeys(ctx: Ctx): Promise<void> {
  await Promise.all(
    KEY_BINDINGS.map((b) => ctx.tmux.bindInSessions(b.key, SESSION_MARK, b.command).catch((err: unknown) => ctx.out.warn(`key ${b.key}: ${oneLine(err)}`))),
  );
}

/** The way back to the dashboard, where everyone looks: before the session's status-right. */
async function keysInStatusLine(ctx: Ctx, sessionId: string): Promise<void> {
  const hint = '#[dim]prefix g: dashboard · J/K: agents#[default] ';
  const [right, length] = await Promise.all([ctx.tmux.globalOption('status-right'), ctx.tmux.globalOption('status-right-length')]);
  await ctx.tmux.setSessionOption(sessionId, 'status-right', hint + right);
  await ctx.tmux.setSessionOption(sessionId, 'status-right-length', String((Number(length) || 40) + 36));
}

/** When no treemux session is left on the server, its keys do what they did before. */
export async function releaseKeys(ctx: Ctx): Promise<void> {
  if ((await ctx.tmux.sessionsWithOption(SESSION_MARK)) > 0) return;
  // the server may be gone with its last session
  await Promise.all(KEY_BINDINGS.map((b) => ctx.tmux.unbindInSessions(b.key, SESSION_MARK).catch(() => undefined)));
}
