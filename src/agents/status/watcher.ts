// The watcher: every agent's exact status, last line and facts, refreshed once a second for the
// dashboard and the sidebars. It composes: one watcher per project leads (leader.ts, a lock), the
// others read the snapshot it writes only when a row changed (snapshotFile.ts). The leader reads
// tmux through one control client (link.ts), the inventory every 30 s or when state.json changes
// (inventoryCache.ts), turns them into rows (observer.ts), predicts conflicts (radar.ts), tells the
// user of news (notify.ts) and starts a queued agent when a slot frees (slots.ts).
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

export { Observer } from './observer.js';

const TICK_MS = 1000;

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

  constructor(
    private ctx: Ctx,
    opts: WatcherOptions = {},
  ) {
    this.review = opts.review ?? true;
    this.observer = new Observer(ctx);
    this.link = new SessionLink(ctx.tmux, ctx.layout.session);
    // another watcher took the lead over: follow it, and leave tmux to it
    this.leader = new Leadership(ctx.repo.commonDir, TICK_MS, () => this.link.close());
    this.inventory = new InventoryCache(ctx);
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
    this.timer = null;
    await this.letGo();
  }

  /** Close the control client and give the lead up (also when a tick took it after stop). */
  private async letGo(): Promise<void> {
    this.link.close();
    await this.leader.giveUp();
  }

  private async tick(): Promise<void> {
    if (this.busy || this.stopped) return; // a slow refresh is never stacked
    this.busy = true;
    try {
      this.ticks += 1;
      if (!this.leading && triesToLead(this.ticks)) await this.leader.tryTake();
      if (this.leading && !this.stopped) await this.lead();
      else if (!this.stopped) await this.follow();
    } catch {
      // a refresh that fails is retried on the next tick
    } finally {
      this.busy = false;
      if (this.stopped) await this.letGo(); // nothing it took on the way may outlive stop()
    }
  }

  private async follow(): Promise<void> {
    const snapshot = await this.file.readNew();
    if (snapshot) this.emit(snapshot);
  }

  /** One refresh as the leader: look, predict, tell, start what the queue can, write and emit. */
  private async lead(): Promise<void> {
    const now = Date.now();
    await this.link.connect(now);
    const view = await viewThrough(this.link.client, this.link.sessionInfo);
    const inv = await this.inventory.get(now, { session: view.control ? view.session : null, panes: view.panes });
    const before = new Map(inv.agents.map((a) => [a.name, this.observer.statusOf(a.name)]));
    const agents = await this.observer.rows(inv, view.panes, view.capture, { changedFiles: this.review });
    if (this.review) await this.radar.update(inv.agents, this.observer.takeGitMoved(), now);
    for (const a of agents) a.conflicts = this.radar.of(a.name);
    if (view.control && view.session) {
      const windowOf = new Map(inv.agents.map((a) => [a.name, a.pane?.window_id]));
      await tell(view.control, view.session.id, newsOf(agents, before, (name) => this.observer.redrawn(name)), windowOf);
    }
    this.slots.check(agents, now);
    const snapshot: Snapshot = { project: this.ctx.layout.project, session: this.ctx.layout.session, agents, at: now };
    if (await this.file.write(snapshot)) this.emit(snapshot); // nothing changed: nothing redrawn
  }

  private emit(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    for (const l of this.listeners) l(snapshot);
  }
}
