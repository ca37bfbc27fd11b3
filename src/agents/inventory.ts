// The truth about every agent, reconciled at each command from what git and tmux report, with
// state.json and the per-worktree markers only filling in what those cannot say (task, source).
// A worktree without a window is `stopped`; a window whose program ended is `exited`.
import { isAlive } from './status/alive.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Worktree } from '../git/index.js';
import { resolveAgent, type ResolvedAgent } from '../layout/resolve.js';
import { readMarker, type AgentRecord, type Marker, type State } from '../state/index.js';
import type { PaneRow, SessionInfo } from '../tmux/index.js';
import type { Ctx } from '../project/context.js';
import { exactStatus, type HookEvent } from './status/rules.js';
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
  /** an agent on another host: which, what its host showed (pane and worktree above are there), or why it could not be reached */
  remote?: { host: string; unreachable?: string; screen?: string; repo?: string; hook?: HookEvent; eventsSize?: number };
}

export interface Inventory {
  session: SessionInfo | null;
  panes: PaneRow[];
  state: State;
  agents: AgentView[];
  /** what each host showed when this inventory was taken (agents on other hosts) */
  hosts?: Map<string, import('./hosts/observe.js').HostLook>;
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
  const seen = await observe(ctx, tmuxView);
  const known = await knownAgents(ctx, seen);
  const agents = [
    ...ctx.layout.agents.map((spec) => viewOf(seen, known, spec, true)),
    ...leftovers(ctx, seen, known).map((spec) => viewOf(seen, known, spec, false)),
  ];
  let hosts;
  if (agents.some((a) => a.spec.host !== 'local')) {
    // agents on other hosts: one look at each host (a round trip over its shared ssh connection)
    const { attachRemote, lookAtHosts } = await import('./hosts/inventory.js');
    hosts = await lookAtHosts(ctx, agents);
    attachRemote(agents, hosts);
  }
  return { session: seen.session, panes: seen.panes, state: seen.state, agents, ...(hosts ? { hosts } : {}) };
}

/** What git, tmux and the state show, read once. */
interface Seen {
  state: State;
  session: SessionInfo | null;
  panes: PaneRow[];
  /** worktrees that exist (a worktree whose folder was deleted by hand is git's stale entry: up makes it again) */
  live: Worktree[];
  byPath: Map<string, Worktree>;
  adminDirs: Map<string, string>;
  queue: Set<string>;
  starting: Set<string>;
  /** ms since the epoch, in whole seconds */
  now: number;
}

async function observe(ctx: Ctx, tmuxView: TmuxView | undefined): Promise<Seen> {
  const [state, worktrees, adminDirs, session] = await Promise.all([
    ctx.state.read(),
    ctx.repo.listWorktrees(),
    ctx.repo.worktreeAdminDirs(),
    tmuxView ? tmuxView.session : ctx.tmux.findSession(ctx.layout.session),
  ]);
  const panes = tmuxView ? tmuxView.panes : session ? await ctx.tmux.listPanes(session.id) : [];
  const live = worktrees.filter((w) => w.main || (!w.prunable && existsSync(w.path)));
  return {
    state,
    session,
    panes,
    live,
    byPath: new Map(live.map((w) => [w.path, w])),
    adminDirs,
    queue: new Set(state.queue ?? []),
    starting: new Set(state.starting ?? []),
    now: Math.floor(Date.now() / 1000) * 1000,
  };
}

type Known = Map<string, { record?: AgentRecord; marker?: Marker; worktree?: Worktree }>;

/** Agents treemux made, whether or not the layout lists them: from state, then the journal, then markers. */
async function knownAgents(ctx: Ctx, seen: Seen): Promise<Known> {
  const known: Known = new Map();
  for (const record of Object.values(seen.state.agents)) known.set(record.name, { record });
  // an up killed half way: what it began is treemux's (its branch, its worktree)
  for (const p of Object.values(seen.state.pending ?? {})) {
    if (!known.has(p.name)) known.set(p.name, { record: { name: p.name, branch: p.branch, base: p.base, worktree: p.worktree, task: p.task, source: p.source, createdAt: p.at, createdBranch: p.createdBranch } });
  }
  for (const wt of seen.live) {
    if (wt.main || wt.bare) continue;
    const adminDir = seen.adminDirs.get(wt.path);
    const marker = adminDir ? await readMarker(adminDir) : null;
    if (!marker || marker.project !== ctx.layout.project) continue;
    known.set(marker.agent, { ...known.get(marker.agent), marker, worktree: wt });
  }
  return known;
}

/** The agents the layout does not list of which something is left (worktree, folder, window, queue place), resolved as added ones. */
function leftovers(ctx: Ctx, seen: Seen, known: Known): ResolvedAgent[] {
  const layoutNames = new Set(ctx.layout.agents.map((a) => a.name));
  const specs: ResolvedAgent[] = [];
  let index = ctx.layout.agents.length;
  for (const [name, k] of known) {
    if (layoutNames.has(name)) continue;
    const source = k.record ?? k.marker;
    const worktreePath = k.record?.worktree ?? k.worktree?.path;
    const remote = k.record?.host !== undefined && k.record.host !== 'local';
    const left = remote || k.worktree || seen.byPath.get(worktreePath ?? '') || (worktreePath && existsSync(worktreePath)) || seen.panes.some((p) => p[AGENT_OPTION] === name) || seen.queue.has(name) || seen.starting.has(name);
    if (!source || !worktreePath || !left) {
      continue; // nothing of it is left
    }
    index += 1;
    const spec = resolveAgent(ctx.layout.layout, ctxOf(ctx), { ...blankAgent(name), task: source.task, base: source.base }, index);
    specs.push({ ...spec, worktree: remote ? worktreePath : resolve(worktreePath), branch: k.record?.branch ?? k.worktree?.branch ?? spec.branch, host: remote ? k.record!.host! : 'local' });
  }
  return specs;
}

function viewOf(seen: Seen, known: Known, spec: ResolvedAgent, inLayout: boolean): AgentView {
  const k = known.get(spec.name);
  const record = k?.record;
  // Once made, an agent keeps the branch and worktree it was made with, even if the layout changed.
  const made: ResolvedAgent = record
    ? { ...spec, branch: record.branch, worktree: record.worktree, base: record.base, task: inLayout ? spec.task : record.task }
    : spec;
  // Only a worktree at the agent's path or one carrying its marker is the agent's: a worktree the
  // user made for the same branch elsewhere is theirs, and `up` refuses to take the branch.
  const local = spec.host === 'local';
  const worktree = local ? (k?.worktree ?? seen.byPath.get(made.worktree)) : undefined;
  const pane = local ? paneOf(seen.panes, spec.name) : undefined;
  const queued = seen.queue.has(spec.name) && !isAlive(pane);
  const comingUp = seen.starting.has(spec.name) && !isAlive(pane);
  return {
    name: spec.name,
    spec: worktree ? { ...made, worktree: worktree.path, branch: worktree.branch ?? made.branch } : made,
    inLayout,
    record,
    marker: k?.marker,
    worktree,
    adminDir: worktree ? seen.adminDirs.get(worktree.path) : undefined,
    pane,
    queued,
    comingUp,
    status: quickStatus(seen, spec, record, pane, queued, comingUp),
  };
}

/** A quick status from tmux alone (the watcher and ls refine it with logs, hooks and the screen). */
function quickStatus(seen: Seen, spec: ResolvedAgent, record: AgentRecord | undefined, pane: PaneRow | undefined, queued: boolean, comingUp: boolean): Status {
  if (queued) return 'queued';
  if (comingUp) return 'starting';
  const run = spec.mode === 'headless' ? record?.run : undefined;
  return exactStatus({ pane, kind: spec.kind, run, logGrewAt: pane ? Number(pane.window_activity) * 1000 : undefined, now: seen.now });
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
