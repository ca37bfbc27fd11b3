// The watcher: every agent's exact status, last line and facts, refreshed once a second for the
// dashboard and the sidebars. Cheap by construction:
//   - one watcher per project leads (a lock); the others read the snapshot it writes;
//   - the leader talks to tmux through one control-mode client (no process per refresh);
//   - activity comes from the size of each pane's log file (a stat), hook events from files;
//   - a pane's screen is read only when its log or its hook events changed;
//   - nothing is written or redrawn when nothing changed;
//   - git is asked for worktrees every 30 s or when state.json changes, and for an agent's changed
//     files only after it was active (at most every 30 s).
import { isAlive, isDead } from './alive.js';
import { kindOf } from '../kinds/index.js';
import { appendFile, readFile } from 'node:fs/promises';
import { lock } from '../../host/lock.js';
import { writeAtomic } from '../../state/index.js';
import { ControlClient } from '../../tmux/control.js';
import type { PaneRow, SessionInfo } from '../../tmux/index.js';
import type { Snapshot, AgentRow, Source } from './snapshot.js';
import type { Ctx } from '../../project/context.js';
import { eventsPath, logPath, mark, snapshotPath, stateDir, tail } from '../../project/paths.js';
import { paneOf, takeInventory, type AgentView, type Inventory } from '../inventory.js';
import { exactStatus, lastLogLine, lastTranscriptLine, type HookEvent } from './rules.js';
import { lastMeaningfulLine, type Status } from './status.js';
import { branchHeads, changedFilesList } from '../../git/index.js';
import { conflictRadar } from '../review/conflicts.js';
import { violations } from '../review/scope.js';
import { outcomeOf } from './outcome.js';
import { SILENT } from '../../util/output.js';

/** What a queued agent waits for, as its last line. */
function queuedLine(agent: AgentView, merged: ReadonlySet<string>): string {
  const after = agent.worktree ? [] : agent.spec.startAfter.filter((n) => !merged.has(n));
  return after.length ? `waits for ${after.join(', ')} to be merged into ${agent.spec.base}` : 'waits for a free slot (max_parallel)';
}

/** The last non-empty line of a text, trimmed (a result may span lines). */
function lastLineOfText(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines[lines.length - 1] ?? '').slice(0, 200);
}

/** Output this soon after the pane changed size is the program redrawing for it, not working. */
const RESIZE_GRACE_MS = 2000;

interface Memory {
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
  status?: Status;
  since: number;
  lastLine: string;
  changed: { count: number | null; at: number; logSize?: number; violations?: string[]; stamp?: string };
}

/** After git state moved (a commit from a shell, a merge), changed files are read again this soon at most. */
const GIT_CHANGE_MS = 2_000;

/** The change times of the files git touches when the worktree's index, branch or base move. */
async function gitStamp(files: readonly string[]): Promise<string> {
  const marks = await Promise.all(files.map((f) => mark(f)));
  return marks.map((m) => (m ? `${m.mtimeMs}:${m.size}` : '-')).join(',');
}

/** Turns observations into rows, remembering what it saw before (growth, status changes). */
export class Observer {
  private memory = new Map<string, Memory>();
  /** a branch, base or index moved since the caller last asked (see takeGitMoved) */
  private gitMoved = false;

  /** Whether git state moved since the last call (the conflict radar is then worth computing again). */
  takeGitMoved(): boolean {
    const moved = this.gitMoved;
    this.gitMoved = false;
    return moved;
  }

  constructor(private ctx: Ctx) {}

  async rows(inv: Inventory, panes: PaneRow[], capture: (paneId: string) => Promise<string>, opts: { changedFiles?: boolean } = {}): Promise<AgentRow[]> {
    const now = Date.now();
    const rows: AgentRow[] = [];
    const merged = new Set(Object.keys(inv.state.merged ?? {}));
    // agent N's window is the dashboard's number + N (dash is 0, or tmux's base-index)
    const dashIndex = Number(panes.find((p) => p['@treemux-role'] === 'dash')?.window_index ?? 0);
    for (const agent of inv.agents) {
      const pane = paneOf(panes, agent.name);
      if (!agent.worktree && !pane && !agent.queued && !agent.comingUp) {
        // declared in the layout but not made (or removed): nothing of an earlier one is shown
        this.memory.delete(agent.name);
        rows.push(notCreatedRow(agent, now, dashIndex));
        continue;
      }
      const mem = this.memory.get(agent.name) ?? { since: now, lastLine: '', changed: { count: null, at: 0 } };
      this.memory.set(agent.name, mem);
      mem.redrawn = false;

      const log = await mark(logPath(this.ctx.repo.commonDir, agent.name));
      let changed = false;
      const size = pane ? `${pane.pane_width}x${pane.pane_height}` : undefined;
      if (size !== mem.size) {
        if (mem.size !== undefined) {
          mem.resizedAt = now;
          // a redraw read on the tick before this one saw the new size was the resize's too
          if (mem.logGrewAt !== undefined && now - mem.logGrewAt <= RESIZE_GRACE_MS) {
            mem.logGrewAt = mem.grewBefore;
            mem.redrawn = true;
          }
        }
        mem.size = size;
      }
      const redrawing = mem.resizedAt !== undefined && now - mem.resizedAt <= RESIZE_GRACE_MS;
      if (!log && pane && mem.logGrewAt === undefined && pane.window_activity) {
        mem.logGrewAt = Number(pane.window_activity) * 1000; // a window made before logs were kept
      }
      if (log && log.size !== mem.logSize) {
        if (!redrawing) {
          mem.grewBefore = mem.logGrewAt;
          mem.logGrewAt = mem.logSize === undefined ? log.mtimeMs : now;
        }
        mem.logSize = log.size;
        changed = true;
        mem.lastLine = lastLogLine(await tail(logPath(this.ctx.repo.commonDir, agent.name), 8192)) || mem.lastLine;
      }
      const events = await mark(eventsPath(this.ctx.repo.commonDir, agent.name));
      if (events && events.size !== mem.eventsSize) {
        mem.eventsSize = events.size;
        mem.hook = lastHook(await tail(eventsPath(this.ctx.repo.commonDir, agent.name), 4096)) ?? mem.hook;
        changed = true;
      }
      if (isAlive(pane) && (changed || mem.screen === undefined)) {
        mem.screen = await capture(pane.pane_id).catch(() => mem.screen ?? '');
        if (!log) mem.lastLine = lastMeaningfulLine(mem.screen) || mem.lastLine; // no log kept: the screen says
      }
      if (!pane) mem.screen = undefined;

      const run = agent.spec.mode === 'headless' ? agent.record?.run : undefined;
      const status = agent.queued ? 'queued' : agent.comingUp ? 'starting' : exactStatus({ pane, kind: agent.spec.kind, run, logGrewAt: mem.logGrewAt, hook: mem.hook, screen: mem.screen, now });
      if (mem.redrawn && mem.before && status === mem.before.status) {
        // back to what it was before the redraw made it look busy: as if it never changed
        mem.status = status;
        mem.since = mem.before.since;
      } else if (status !== mem.status) {
        mem.before = { status: mem.status, since: mem.since };
        mem.since = mem.status === undefined ? (mem.logGrewAt && status !== 'busy' ? Math.min(now, mem.logGrewAt) : now) : now;
        mem.status = status;
      }
      // an agent whose setup failed: its window only showed why (the log may have missed it)
      if (agent.record?.failure && !isAlive(pane)) mem.lastLine = `treemux: ${agent.record.failure}`;
      else if (run?.phase === 'done') mem.lastLine = run.result?.trim() ? lastLineOfText(run.result) : run.lastText || mem.lastLine;
      else if (kindOf(agent.spec.kind).lastLineFromTranscript && !run && mem.hook?.transcriptPath && changed) {
        mem.lastLine = lastTranscriptLine(await tail(mem.hook.transcriptPath, 65_536)) || mem.lastLine;
      }
      if (!mem.lastLine && mem.screen) mem.lastLine = lastMeaningfulLine(mem.screen);
      const active = mem.changed.at === 0 || mem.logSize !== mem.changed.logSize;
      const stamp = opts.changedFiles && agent.worktree ? await gitStamp(this.ctx.repo.watchFiles(agent.adminDir, agent.spec.branch, agent.spec.base)) : undefined;
      const gitMoved = stamp !== undefined && stamp !== mem.changed.stamp && now - mem.changed.at > GIT_CHANGE_MS;
      if (gitMoved && mem.changed.at !== 0) this.gitMoved = true;
      if (opts.changedFiles && agent.worktree && ((active && now - mem.changed.at > 30_000) || gitMoved)) {
        const lists = await changedFilesList(agent.worktree.path, agent.spec.base).catch(() => null);
        const files = lists ? [...new Set([...lists.committed, ...lists.uncommitted])] : null;
        mem.changed = {
          count: files ? files.length : null,
          at: now,
          logSize: mem.logSize,
          violations: files ? violations(files, agent.spec).map((v) => v.file) : undefined,
          stamp,
        };
      }
      rows.push(toRow(agent, status, mem, pane, merged, dashIndex));
    }
    return rows;
  }

  /** Did the last look take back a redraw for this agent (so that its change of status is no news)? */
  redrawn(name: string): boolean {
    return this.memory.get(name)?.redrawn === true;
  }

  statusOf(name: string): Status | undefined {
    return this.memory.get(name)?.status;
  }
}

function lastHook(text: string): HookEvent | undefined {
  const lines = text.split('\n').filter((l) => l.trim().startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]!) as HookEvent;
    } catch {
      // a line cut by the tail: try the one before
    }
  }
  return undefined;
}

/** An agent of the layout that does not exist now: `r` (or `treemux up NAME`) makes it. */
function notCreatedRow(agent: AgentView, now: number, dashIndex: number): AgentRow {
  return {
    name: agent.name,
    index: dashIndex + agent.spec.index,
    status: 'stopped',
    created: false,
    mode: agent.spec.mode,
    ok: null,
    costUsd: null,
    since: now,
    branch: agent.spec.branch,
    base: agent.spec.base,
    ports: {},
    database: null,
    lastLine: '',
    worktree: agent.spec.worktree,
    task: agent.spec.task,
    changedFiles: null,
    hasWindow: false,
    exitCode: null,
  };
}

function toRow(agent: AgentView, status: Status, mem: Memory, pane: PaneRow | undefined, merged: ReadonlySet<string>, dashIndex: number): AgentRow {
  const record = agent.record;
  const shown: Status = agent.worktree || pane || status === 'queued' || status === 'starting' ? status : 'stopped';
  const run = agent.spec.mode === 'headless' ? record?.run : undefined;
  // a headless run's exit status is recorded before its window closes (the runner may still be starting queued agents)
  const exitCode =
    run?.phase === 'done' && run.exitCode !== undefined
      ? run.exitCode
      : isDead(pane) && pane.pane_dead_status !== ''
        ? Number(pane.pane_dead_status)
        : null;
  return {
    name: agent.name,
    // the number of its tmux window (prefix N goes there too), else its place in the layout
    index: pane ? Number(pane.window_index) : dashIndex + agent.spec.index,
    status: shown,
    created: true,
    mode: agent.spec.mode,
    ok: outcomeOf({ mode: agent.spec.mode, status: shown, exitCode, run, failure: record?.failure }),
    costUsd: run?.costUsd ?? null,
    ...(shown === 'queued' ? { waitingFor: agent.worktree ? [] : agent.spec.startAfter.filter((n) => !merged.has(n)) } : {}),
    since: mem.since,
    branch: agent.spec.branch,
    base: agent.spec.base,
    ports: record?.ports ?? {},
    database: record?.database?.name ?? null,
    lastLine: shown === 'queued' && !mem.lastLine ? queuedLine(agent, merged) : mem.lastLine,
    worktree: agent.spec.worktree,
    task: agent.spec.task,
    changedFiles: mem.changed.count,
    violations: mem.changed.violations,
    hasWindow: Boolean(pane),
    exitCode,
  };
}

const TICK_MS = 1000;
const INVENTORY_MS = 30_000;
/** a leader's lock goes stale this long after its process stopped refreshing it */
const LOCK_STALE_MS = 5_000;
/** followers try to take over this often */
const TAKEOVER_EVERY = 3;

/** A Source of snapshots for one project, leading or following. */
export class Watcher implements Source {
  private snapshot: Snapshot;
  private listeners = new Set<(s: Snapshot) => void>();
  private timer: NodeJS.Timeout | null = null;
  private release: (() => Promise<void>) | null = null;
  private control: ControlClient | null = null;
  private session: SessionInfo | null = null;
  private sessionCheckedAt = 0;
  private inv: Inventory | null = null;
  private invAt = 0;
  private observer: Observer;
  private snapshotMtime = 0;
  private stateMtime = 0;
  private written = '';
  private radar = new Map<string, { with: string; files: string[] }[]>();
  private radarKey = '';
  private radarAt = 0;
  private radarDue = false;
  private ticks = 0;
  private busy = false;
  private draining = false;
  private drainedAt = 0;
  private stopped = false;

  /**
   * `review: false` (for `wait`, which reads statuses only): when this watcher leads, it skips the
   * dashboard's git work (changed files, the conflict radar).
   */
  constructor(
    private ctx: Ctx,
    private opts: { review: boolean } = { review: true },
  ) {
    this.observer = new Observer(ctx);
    this.snapshot = { project: ctx.layout.project, session: ctx.layout.session, agents: [], at: 0 };
  }

  current(): Snapshot {
    return this.snapshot;
  }

  subscribe(listener: (s: Snapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get leading(): boolean {
    return this.release !== null;
  }

  async start(): Promise<void> {
    await this.tick();
    // a listener may have stopped the watcher during that first tick (wait, when all had finished)
    if (!this.stopped) this.timer = setInterval(() => void this.tick(), TICK_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.letGo();
  }

  /** Close the control client and give the lead up (also when a tick took it after stop). */
  private async letGo(): Promise<void> {
    this.control?.close();
    this.control = null;
    const release = this.release;
    this.release = null;
    await release?.().catch(() => undefined);
  }

  /** The control client, when this watcher leads (dashboard actions reuse it). */
  get client(): ControlClient | null {
    return this.control?.alive ? this.control : null;
  }

  private async tick(): Promise<void> {
    if (this.busy || this.stopped) return; // a slow refresh is never stacked
    this.busy = true;
    try {
      this.ticks += 1;
      if (!this.leading && (this.ticks === 1 || this.ticks % TAKEOVER_EVERY === 0)) await this.tryLead();
      if (this.leading && !this.stopped) await this.lead();
      else if (!this.stopped) await this.follow();
    } catch {
      // a refresh that fails is retried on the next tick
    } finally {
      this.busy = false;
      if (this.stopped) await this.letGo(); // nothing it took on the way may outlive stop()
    }
  }

  /** The lock is refreshed by its holder every tick; a lock nobody refreshes is stale and taken over. */
  private async tryLead(): Promise<void> {
    try {
      this.release = await lock(`${stateDir(this.ctx.repo.commonDir)}/watch`, {
        staleMs: LOCK_STALE_MS,
        updateMs: TICK_MS,
        onCompromised: () => {
          this.release = null; // another watcher took over: follow it
          this.control?.close();
        },
      });
    } catch {
      this.release = null;
    }
  }

  private async follow(): Promise<void> {
    const file = snapshotPath(this.ctx.repo.commonDir);
    const m = await mark(file);
    if (!m || m.mtimeMs === this.snapshotMtime) return;
    this.snapshotMtime = m.mtimeMs;
    this.emit(JSON.parse(await readFile(file, 'utf8')) as Snapshot);
  }

  private async lead(): Promise<void> {
    const { tmux } = this.ctx;
    const now = Date.now();
    if (!this.control?.alive && now - this.sessionCheckedAt > 5_000) {
      this.sessionCheckedAt = now;
      this.session = await tmux.findSession(this.ctx.layout.session);
      this.control = this.session ? ControlClient.attach(tmux, this.session.id) : null;
    }
    const control = this.control?.alive ? this.control : null;
    const panes = control && this.session ? await control.listPanes(this.session.id).catch(() => []) : [];
    const state = await mark(this.ctx.state.file);
    if (!this.inv || now - this.invAt > INVENTORY_MS || (state && state.mtimeMs !== this.stateMtime)) {
      this.stateMtime = state?.mtimeMs ?? 0;
      this.inv = await takeInventory(this.ctx, { session: control ? this.session : null, panes });
      this.invAt = now;
    }
    const before = new Map(this.inv.agents.map((a) => [a.name, this.observer.statusOf(a.name)]));
    const capture = (paneId: string) => (control ? control.capturePane(paneId, 40) : Promise.resolve(''));
    const agents = await this.observer.rows(this.inv, panes, capture, { changedFiles: this.opts.review });
    if (this.opts.review) await this.updateRadar(now);
    for (const a of agents) a.conflicts = this.radar.get(a.name);
    await this.notify(control, agents, before);
    this.startQueued(agents, now);
    const snapshot: Snapshot = { project: this.ctx.layout.project, session: this.ctx.layout.session, agents, at: now };
    const content = JSON.stringify(agents);
    if (content === this.written) return; // nothing changed: nothing written, nothing redrawn
    this.written = content;
    await writeAtomic(snapshotPath(this.ctx.repo.commonDir), JSON.stringify(snapshot)).catch(() => undefined);
    this.emit(snapshot);
  }

  /**
   * Under max_parallel, an interactive agent whose program ended frees a slot: the leading watcher
   * (the dashboard window's, kept by tmux) starts the next queued agent. Headless runs start the
   * next themselves when they end, and merge starts what it unblocked; this covers the rest.
   */
  private startQueued(rows: AgentRow[], now: number): void {
    const max = this.ctx.layout.layout.max_parallel;
    if (max === 0 || this.draining || now - this.drainedAt < 2_000) return;
    const holding = rows.filter((r) => r.status === 'starting' || r.status === 'busy' || r.status === 'waiting' || r.status === 'idle').length;
    if (holding >= max || !rows.some((r) => r.status === 'queued' && !r.waitingFor?.length)) return;
    this.draining = true;
    this.drainedAt = now;
    const quiet = { ...this.ctx, out: SILENT };
    void import('../lifecycle/startQueue.js')
      .then((q) => q.drainQueue(quiet))
      .catch(() => undefined)
      .finally(() => {
        this.draining = false;
      });
  }

  /**
   * Predicted conflicts, computed again only when a branch moved: checked every 30 s (one git call),
   * or within seconds when the observer saw a branch or base move.
   */
  private async updateRadar(now: number): Promise<void> {
    if (this.observer.takeGitMoved()) this.radarDue = true;
    if (!this.inv || (now - this.radarAt < 30_000 && !(this.radarDue && now - this.radarAt >= 3_000))) return;
    this.radarDue = false;
    this.radarAt = now;
    const heads = await branchHeads(this.ctx.repo.root).catch(() => null);
    if (!heads) return;
    const key = this.inv.agents.map((a) => `${heads.get(a.spec.branch)}:${heads.get(a.spec.base)}`).join(',');
    if (key === this.radarKey) return;
    this.radarKey = key;
    const radar = await conflictRadar(this.ctx, this.inv.agents).catch(() => null);
    if (!radar) return;
    const map = new Map<string, { with: string; files: string[] }[]>();
    const add = (name: string, other: string, files: string[]) => map.set(name, [...(map.get(name) ?? []), { with: other, files }]);
    for (const p of radar.pairs.filter((x) => x.conflict)) {
      add(p.a, p.b, p.conflicts);
      add(p.b, p.a, p.conflicts);
    }
    for (const b of radar.bases.filter((x) => x.conflict)) add(b.name, b.base, b.conflicts);
    this.radar = map;
  }

  /** Tell the user, once, when an agent starts waiting for them or finishes its turn. */
  private async notify(control: ControlClient | null, agents: AgentRow[], before: Map<string, Status | undefined>): Promise<void> {
    if (!control || !this.session) return;
    const news = agents.filter((a) => {
      if (this.observer.redrawn(a.name)) return false;
      const was = before.get(a.name);
      return was !== undefined && was !== a.status && (a.status === 'waiting' || (was === 'busy' && a.status === 'idle'));
    });
    if (news.length === 0) return;
    const windowOf = new Map(this.inv?.agents.map((a) => [a.name, a.pane?.window_id]) ?? []);
    const clients = await control
      .command(['list-clients', '-t', this.session.id, '-F', '#{client_name}\x1f#{client_tty}\x1f#{client_control_mode}\x1f#{window_id}'])
      .catch(() => [] as string[]);
    for (const line of clients) {
      const [name, tty, controlMode, window] = line.split('\x1f');
      if (!name || controlMode === '1') continue;
      // a client that shows the agent's window sees it already
      const told = news.filter((a) => windowOf.get(a.name) !== window).map((a) => (a.status === 'waiting' ? `${a.name} needs you` : `${a.name} finished its turn`));
      if (told.length === 0) continue;
      const text = `treemux: ${told.join('; ')}`;
      await control.command(['display-message', '-c', name, '-d', '4000', text.replaceAll('#', '##')]).catch(() => undefined);
      if (tty) await appendFile(tty, '\x07').catch(() => undefined); // the terminal bell
    }
  }

  private emit(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    for (const l of this.listeners) l(snapshot);
  }
}
