// The watcher: every agent's exact status, last line and facts, for the dashboard and the sidebars.
// The leader looks when told something changed (changes.ts: the agents' logs and hook events, and
// state.json; link.ts: tmux's notifications), at most four times a second; once a second while an
// agent's status is one that time alone changes (busy turns idle after a quiet spell); and otherwise
// every 10 s only, so that idle agents cost next to nothing. It composes: one watcher per project
// leads (leader.ts, a lock), the others read the snapshot it writes only when a row changed
// (snapshotFile.ts). The leader reads tmux through one control client (link.ts), the inventory when
// state.json or the worktrees change and agents on other hosts through theirs (inventoryCache.ts), turns
// them into rows (observer.ts), predicts conflicts (radar.ts), tells the user of news (notify.ts) and
// starts a queued agent when a slot frees (slots.ts).
import type { ControlClient } from '../../tmux/control.js';
import type { Ctx } from '../../project/context.js';
import type { Snapshot, Source } from './snapshot.js';
import { Observer } from './observer.js';
import { Leadership, triesToLead } from './leader.js';
import { SessionLink, viewThrough } from './link.js';
import { InventoryCache } from './inventoryCache.js';
import { Radar } from './radar.js';
import { newsOf, tell } from './notify.js';
import { SlotWatch } from './slots.js';
import { drainQueueLazily, type DrainQueue } from './drain.js';
import { SnapshotFile } from './snapshotFile.js';
import { basisOf } from './fresh.js';
import { ChangeWatch } from './changes.js';

export { Observer } from './observer.js';

const TICK_MS = 1000;
/** The leader looks at least this often with nothing news (a missed notification, the radar's turn). */
const IDLE_LOOK_MS = 10_000;
/** Told of a change, the leader looks this soon after its last look at the earliest. */
const CHANGE_GAP_MS = 250;
/** A status that time alone may change: looked at every tick while an agent has one. */
const TIMED: ReadonlySet<string> = new Set(['busy', 'starting', 'queued']);
/** How often a leader refreshes its lock (stale after LOCK_STALE_MS without): its heartbeat. */
const LOCK_REFRESH_MS = 2_000;

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
  private ticks = 0;
  private busy = false;
  private stopped = false;
  private review: boolean;
  private observer: Observer;
  private leader: Leadership;
  private link: SessionLink;
  private inventory: InventoryCache;
  private radar: Radar;
  private slots: SlotWatch;
  private file: SnapshotFile;
  private changes: ChangeWatch;
  /** something may have changed since the last look (a notification came) */
  private changed = true;
  /** the last look found a status that time alone changes */
  private timed = true;
  private lookedAt = 0;
  private soon: NodeJS.Timeout | null = null;

  constructor(private ctx: Ctx, opts: WatcherOptions = {}) {
    this.review = opts.review ?? true;
    this.observer = new Observer(ctx);
    this.link = new SessionLink(ctx.tmux, ctx.layout.session);
    // another watcher took the lead over: follow it, and leave tmux to it
    this.leader = new Leadership(ctx.repo.commonDir, LOCK_REFRESH_MS, () => this.link.close());
    this.changes = new ChangeWatch(ctx.repo.commonDir, () => this.noteChange());
    this.link.onChange(() => this.noteChange());
    this.inventory = new InventoryCache(ctx, () => this.noteChange());
    this.radar = new Radar(ctx);
    this.slots = new SlotWatch(ctx, opts.drainQueue ?? drainQueueLazily);
    this.file = new SnapshotFile(ctx.repo.commonDir);
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
    return this.leader.held;
  }

  /** The control client, when this watcher leads (dashboard actions reuse it). */
  get client(): ControlClient | null {
    return this.link.client;
  }

  async start(): Promise<void> {
    await this.tick();
    // a listener may have stopped the watcher during that first tick (wait, when all had finished)
    if (!this.stopped) this.timer = setInterval(() => void this.tick(), TICK_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = null;
    this.soon = null;
    this.changes.close();
    await this.letGo();
  }

  /** Close the control client and give the lead up (also when a tick took it after stop). */
  private async letGo(): Promise<void> {
    this.link.close();
    this.inventory.close();
    await this.leader.giveUp();
  }

  private async tick(): Promise<void> {
    if (this.busy || this.stopped) return; // a slow refresh is never stacked
    this.busy = true;
    try {
      this.ticks += 1;
      if (!this.leading && triesToLead(this.ticks)) await this.leader.tryTake();
      if (this.leading && !this.stopped) {
        if (this.lookDue(Date.now())) await this.lead();
      } else if (!this.stopped) await this.follow();
    } catch {
      this.changed = true; // a refresh that fails is retried on the next tick
    } finally {
      this.busy = false;
      if (this.stopped) await this.letGo(); // nothing it took on the way may outlive stop()
    }
  }

  /** Told something may have changed: look soon (not sooner than CHANGE_GAP_MS after the last look). */
  private noteChange(): void {
    this.changed = true;
    if (this.soon || this.stopped || !this.leading) return;
    const wait = Math.max(20, this.lookedAt + CHANGE_GAP_MS - Date.now());
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.tick();
    }, wait);
  }

  private lookDue(now: number): boolean {
    return this.changed || this.timed || !this.link.client || now - this.lookedAt >= IDLE_LOOK_MS;
  }

  private async follow(): Promise<void> {
    const snapshot = await this.file.readNew();
    if (snapshot) this.emit(snapshot);
  }

  /** One refresh as the leader: look, predict, tell, start what the queue can, write and emit. */
  private async lead(): Promise<void> {
    const now = Date.now();
    this.changed = false; // what changes from here on is looked at next time
    this.lookedAt = now;
    this.changes.ensure();
    await this.link.connect(now);
    const view = await viewThrough(this.link.client, this.link.sessionInfo);
    const inv = await this.inventory.get(now, { session: view.control ? view.session : null, panes: view.panes });
    if (this.inventory.heldBack) {
      // state.json changed while up works and is read a moment later: rows from the inventory before
      // it would say what is no longer so (a run just continued, shown as the finished one)
      this.timed = true;
      return;
    }
    const before = new Map(inv.agents.map((a) => [a.name, this.observer.statusOf(a.name)]));
    // while `up` brings agents up, git is left to it: changed files and the radar wait (the look
    // after its last write, which empties `starting`, reads them)
    const review = this.review && !inv.state.starting?.length;
    const agents = await this.observer.rows(inv, view.panes, view.capture, { changedFiles: review });
    if (review) await this.radar.update(inv.agents, this.observer.takeGitMoved(), now);
    for (const a of agents) a.conflicts = this.radar.of(a.name);
    if (view.control && view.session) {
      const windowOf = new Map(inv.agents.map((a) => [a.name, a.pane?.window_id]));
      await tell(view.control, view.session.id, newsOf(agents, before, (name) => this.observer.redrawn(name)), windowOf);
    }
    this.slots.check(agents, now);
    this.timed = agents.some((a) => TIMED.has(a.status)) || this.inventory.hostsDue(Date.now()); // (a host: on a timer while down)
    const basis = basisOf(this.ctx, this.inventory.stateRead);
    const dash = view.panes.find((p) => p['@treemux-role'] === 'dash')?.window_id;
    const tmux = view.session ? { session: view.session.id, ...(dash ? { dash } : {}) } : undefined;
    const snapshot: Snapshot = { project: this.ctx.layout.project, session: this.ctx.layout.session, agents, at: now, basis, ...(tmux ? { tmux } : {}) };
    if (await this.file.write(snapshot)) this.emit(snapshot); // nothing changed: nothing redrawn
  }

  private emit(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    for (const l of this.listeners) l(snapshot);
  }
}
