// The watcher: every agent's exact status, last line and facts, refreshed once a second for the
// dashboard and the sidebars. Cheap by construction:
//   - one watcher per project leads (a lock); the others read the snapshot it writes;
//   - the leader talks to tmux through one control-mode client (no process per refresh);
//   - it turns what it sees into rows with the Observer (observer.ts: logs, hook events, screens);
//   - nothing is written or redrawn when nothing changed;
//   - git is asked for worktrees every 30 s or when state.json changes.
import { readFile } from 'node:fs/promises';
import { lock } from '../../host/lock.js';
import { writeAtomic } from '../../state/index.js';
import { ControlClient } from '../../tmux/control.js';
import type { PaneRow, SessionInfo } from '../../tmux/index.js';
import type { Snapshot, AgentRow, Source } from './snapshot.js';
import type { Ctx } from '../../project/context.js';
import { mark, snapshotPath, stateDir } from '../../project/paths.js';
import { takeInventory, type Inventory } from '../inventory.js';
import type { Status } from './status.js';
import { Radar } from './radar.js';
import { newsOf, tell } from './notify.js';
import { SlotWatch } from './slots.js';
import { drainQueueLazily, type DrainQueue } from './drain.js';
import { Observer } from './observer.js';

export { Observer } from './observer.js';

const TICK_MS = 1000;
const INVENTORY_MS = 30_000;
/** a leader's lock goes stale this long after its process stopped refreshing it */
const LOCK_STALE_MS = 5_000;
/** followers try to take over this often */
const TAKEOVER_EVERY = 3;

export interface WatcherOptions {
  /**
   * false (for `wait`, which reads statuses only): when this watcher leads, it skips the dashboard's
   * git work (changed files, the conflict radar). Default true.
   */
  review?: boolean;
  /** How the leader starts queued agents when a slot frees (default: lifecycle's drainQueue). */
  drainQueue?: DrainQueue;
}

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
  private radar: Radar;
  private ticks = 0;
  private busy = false;
  private slots: SlotWatch;
  private stopped = false;

  private review: boolean;

  constructor(
    private ctx: Ctx,
    opts: WatcherOptions = {},
  ) {
    this.review = opts.review ?? true;
    this.slots = new SlotWatch(ctx, opts.drainQueue ?? drainQueueLazily);
    this.observer = new Observer(ctx);
    this.radar = new Radar(ctx);
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
    const agents = await this.observer.rows(this.inv, panes, capture, { changedFiles: this.review });
    if (this.review) await this.radar.update(this.inv.agents, this.observer.takeGitMoved(), now);
    for (const a of agents) a.conflicts = this.radar.of(a.name);
    await this.notify(control, agents, before);
    this.slots.check(agents, now);
    const snapshot: Snapshot = { project: this.ctx.layout.project, session: this.ctx.layout.session, agents, at: now };
    const content = JSON.stringify(agents);
    if (content === this.written) return; // nothing changed: nothing written, nothing redrawn
    this.written = content;
    await writeAtomic(snapshotPath(this.ctx.repo.commonDir), JSON.stringify(snapshot)).catch(() => undefined);
    this.emit(snapshot);
  }

  /** Tell the user, once, when an agent starts waiting for them or finishes its turn. */
  private async notify(control: ControlClient | null, agents: AgentRow[], before: Map<string, Status | undefined>): Promise<void> {
    if (!control || !this.session) return;
    const windowOf = new Map(this.inv?.agents.map((a) => [a.name, a.pane?.window_id]) ?? []);
    await tell(control, this.session.id, newsOf(agents, before, (name) => this.observer.redrawn(name)), windowOf);
  }

  private emit(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    for (const l of this.listeners) l(snapshot);
  }
}
