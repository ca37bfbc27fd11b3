// The leading watcher's inventory (agents, worktrees, state), taken again as soon as state.json or
// the repository's list of worktrees (<common>/worktrees) changes, else every 2 minutes: git is asked
// for worktrees that rarely, not once a second.
import type { Ctx } from '../../project/context.js';
import type { PaneRow, SessionInfo } from '../../tmux/index.js';
import { takeInventory, type Inventory } from '../inventory.js';
import { stateMark } from './fresh.js';
import { join } from 'node:path';
import { markNow } from '../../project/paths.js';
import { HostWatch } from '../hosts/watch.js';

const INVENTORY_MS = 120_000;
/**
 * While `up` brings agents up (state.json's `starting`), every agent it makes changes state.json and
 * the worktrees: the inventory is taken again at most this often then, not at each of them, so that
 * the dashboard's git work does not compete with up's own (20 agents: 4 looks, not 30).
 */
const STARTING_GAP_MS = 1_500;

export class InventoryCache {
  private inv: Inventory | null = null;
  private at = 0;
  /** state.json as the inventory last read it (fresh.ts: stateMark) */
  stateRead = '';
  /** <common>/worktrees as last read (a worktree added or removed by hand changes it) */
  private worktreesRead = '';

  /** agents on other hosts: looked at through their hosts' control clients at every get (hosts/watch.ts) */
  private hosts: HostWatch;

  constructor(
    private ctx: Ctx,
    /** told when a host says something changed there */
    wake: () => void = () => undefined,
  ) {
    this.hosts = new HostWatch(ctx, wake);
  }

  /** Is a look due although nothing here changed (a host said so, or is being tried again)? */
  hostsDue(now: number): boolean {
    return this.hosts.due(now);
  }

  close(): void {
    this.hosts.close();
  }

  /** The last get() left a change for later (STARTING_GAP_MS): its inventory is older than state.json; the watcher shows nothing from it and looks again soon. */
  heldBack = false;

  /** The inventory last taken (null before the first). */
  get last(): Inventory | null {
    return this.inv;
  }

  /** The inventory, taken again with these panes when it is old or state.json changed; its agents on other hosts looked at again. */
  async get(now: number, tmux: { session: SessionInfo | null; panes: PaneRow[] }): Promise<Inventory> {
    const state = stateMark(this.ctx);
    const wt = markNow(join(this.ctx.repo.commonDir, 'worktrees'));
    const worktrees = wt ? `${wt.mtimeMs}` : '-';
    const changed = state !== this.stateRead || worktrees !== this.worktreesRead;
    const held = changed && !!this.inv?.state.starting?.length && now - this.at < STARTING_GAP_MS;
    this.heldBack = held;
    if (!this.inv || now - this.at > INVENTORY_MS || (changed && !held)) {
      this.stateRead = state;
      this.worktreesRead = worktrees;
      this.inv = await takeInventory(this.ctx, tmux);
      this.at = now;
    }
    await this.hosts.refresh(this.inv, now);
    return this.inv;
  }
}
