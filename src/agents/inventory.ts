// The truth about every agent, reconciled at each command from what git and tmux report, with
// state.json and the per-worktree markers only filling in what those cannot say (task, source).
// A worktree without a window is `stopped`; a window whose program ended is `exited`.
import { isAlive } from './status/alive.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Worktree } from '../git/index.js';
import { resolveAgent, type ResolvedAgent } from '../layout/index.js';
import { readMarker, type AgentRecord, type Marker, type State } from '../state/index.js';
import type { PaneRow, SessionInfo } from '../tmux/index.js';
import type { Ctx } from '../project/context.js';
import { exactStatus } from './status/rules.js';
import type { Status } from './status/status.js';

export interface AgentView {
  name: string;
  spec: ResolvedAgent;
  inLayout: boolean;
  record?: AgentRecord;
  marker?: Marker;
  /** the agent's git worktree, when it exists */
  worktree?: Worktree;
  /** its git admin dir (`<common>/worktrees/<id>`), when known */
  adminDir?: string;
  /** the agent's pane in the project's session, when its window exists */
  pane?: PaneRow;
  /** waiting in the queue (max_parallel, start_after) */
  queued?: boolean;
  /** being brought up right now (by up, the queue, send): no window yet, or a dead one about to restart */
  comingUp?: boolean;
  status: Status;
}

export interface Inventory {
  session: SessionInfo | null;
  panes: PaneRow[];
  state: State;
  agents: AgentView[];
}

export const AGENT_OPTION = '@treemux-agent';

/** What tmux shows of the project's session (a watcher passes its own, read over control mode). */
export interface TmuxView {
  session: SessionInfo | null;
  panes: PaneRow[];
}

/**
 * One git call and two tmux calls (none when `view` is given), whatever the number of agents;
 * markers are plain file reads.
 */
export async function takeInventory(ctx: Ctx, tmuxView?: TmuxView): Promise<Inventory> {
  const [state, worktrees, adminDirs, session] = await Promise.all([
    ctx.state.read(),
    ctx.repo.listWorktrees(),
    ctx.repo.worktreeAdminDirs(),
    tmuxView ? tmuxView.session : ctx.tmux.findSession(ctx.layout.session),
  ]);
  const panes = tmuxView ? tmuxView.panes : session ? await ctx.tmux.listPanes(session.id) : [];
  // a worktree whose folder was deleted by hand is git's stale entry, not a worktree: up makes it again
  const live = worktrees.filter((w) => w.main || (!w.prunable && existsSync(w.path)));
  const byPath = new Map(live.map((w) => [w.path, w]));

  // Agents treemux made that the layout no longer (or never did) list: from state, then markers.
  const extra = new Map<string, { record?: AgentRecord; marker?: Marker; worktree?: Worktree }>();
  for (const record of Object.values(state.agents)) extra.set(record.name, { record });
  // an up killed half way: what it began is treemux's (its branch, its worktree)
  for (const p of Object.values(state.pending ?? {})) {
    if (!extra.has(p.name)) extra.set(p.name, { record: { name: p.name, branch: p.branch, base: p.base, worktree: p.worktree, task: p.task, source: p.source, createdAt: p.at, createdBranch: p.createdBranch } });
  }
  for (const wt of live) {
    if (wt.main || wt.bare) continue;
    const adminDir = adminDirs.get(wt.path);
    const marker = adminDir ? await readMarker(adminDir) : null;
    if (!marker || marker.project !== ctx.layout.project) continue;
    const seen = extra.get(marker.agent) ?? {};
    extra.set(marker.agent, { ...seen, marker, worktree: wt });
  }

  const nowS = Math.floor(Date.now() / 1000);
  const queue = new Set(state.queue ?? []);
  const starting = new Set(state.starting ?? []);
  const views: AgentView[] = [];
  const layoutNames = new Set(ctx.layout.agents.map((a) => a.name));
  const view = (spec: ResolvedAgent, inLayout: boolean): AgentView => {
    const known = extra.get(spec.name);
    const record = known?.record;
    // Once made, an agent keeps the branch and worktree it was made with, even if the layout changed.
    const made: ResolvedAgent = record
      ? { ...spec, branch: record.branch, worktree: record.worktree, base: record.base, task: inLayout ? spec.task : record.task }
      : spec;
    // Only a worktree at the agent's path or one carrying its marker is the agent's: a worktree the
    // user made for the same branch elsewhere is theirs, and `up` refuses to take the branch.
    const worktree = known?.worktree ?? byPath.get(made.worktree);
    const pane = paneOf(panes, spec.name);
    // a quick status from tmux alone (the watcher and ls refine it with logs, hooks and the screen)
    const queued = queue.has(spec.name) && !isAlive(pane);
    const comingUp = starting.has(spec.name) && !isAlive(pane);
    const run = spec.mode === 'headless' ? record?.run : undefined;
    const status = queued
      ? 'queued'
      : comingUp
        ? 'starting'
        : exactStatus({ pane, kind: spec.kind, run, logGrewAt: pane ? Number(pane.window_activity) * 1000 : undefined, now: nowS * 1000 });
    return {
      name: spec.name,
      spec: worktree ? { ...made, worktree: worktree.path, branch: worktree.branch ?? made.branch } : made,
      inLayout,
      record,
      marker: known?.marker,
      worktree,
      adminDir: worktree ? adminDirs.get(worktree.path) : undefined,
      pane,
      queued,
      comingUp,
      status,
    };
  };

  for (const spec of ctx.layout.agents) views.push(view(spec, true));
  let index = ctx.layout.agents.length;
  for (const [name, known] of extra) {
    if (layoutNames.has(name)) continue;
    const source = known.record ?? known.marker;
    const worktreePath = known.record?.worktree ?? known.worktree?.path;
    const left = known.worktree || byPath.get(worktreePath ?? '') || (worktreePath && existsSync(worktreePath)) || panes.some((p) => p[AGENT_OPTION] === name) || queue.has(name) || starting.has(name);
    if (!source || !worktreePath || !left) {
      continue; // nothing of it is left
    }
    index += 1;
    const spec = resolveAgent(ctx.layout.layout, ctxOf(ctx), { ...blankAgent(name), task: source.task, base: source.base }, index);
    views.push(view({ ...spec, worktree: resolve(worktreePath), branch: known.record?.branch ?? known.worktree?.branch ?? spec.branch }, false));
  }
  return { session, panes, state, agents: views };
}

export function ctxOf(ctx: Ctx) {
  return { repoRoot: ctx.repo.root, repoName: ctx.repo.name, defaultBase: ctx.layout.base };
}

/** The pane an agent runs in: in the window marked with its name, the pane marked as the agent's. */
export function paneOf(panes: PaneRow[], name: string): PaneRow | undefined {
  return panes.find((p) => p[AGENT_OPTION] === name && p.pane_index === firstPaneIndex(panes, p.window_id));
}

function firstPaneIndex(panes: PaneRow[], windowId: string): string {
  // The agent runs in the window's first pane created by treemux (later panes: sidebar, extra panes).
  const marked = panes.filter((p) => p.window_id === windowId && p['@treemux-role'] === 'agent');
  if (marked[0]) return marked[0].pane_index;
  const indexes = panes.filter((p) => p.window_id === windowId).map((p) => Number(p.pane_index));
  return String(Math.min(...indexes));
}

/** A layout entry with nothing but a name (agents added at run time start from it). */
export function blankAgent(name: string) {
  return {
    name,
    task: '',
    scope: [],
    avoid: [],
    done: [],
    depends_on: [],
    start_after: [],
    role: 'worker' as const,
  };
}

/** Names given on the command line, checked against the agents that exist or are declared. */
export function pick(inv: Inventory, names: readonly string[]): AgentView[] {
  if (names.length === 0) return inv.agents;
  return names.map((n) => {
    const a = inv.agents.find((v) => v.name === n);
    if (!a) {
      const known = inv.agents.map((v) => v.name).join(', ') || 'none';
      throw new Error(`no agent named "${n}" (agents: ${known})`);
    }
    return a;
  });
}
