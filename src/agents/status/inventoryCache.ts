// The leading watcher's inventory (agents, worktrees, state), taken again every 30 s or as soon as
// state.json changes: git is asked for worktrees that rarely, not once a second.
import type { Ctx } from '../../project/context.js';
import { mark } from '../../project/paths.js';
import type { PaneRow, SessionInfo } from '../../tmux/index.js';
import { takeInventory, type Inventory } from '../inventory.js';

const INVENTORY_MS = 30_000;

export class InventoryCache {
  private inv: Inventory | null = null;
  private at = 0;
  private stateMtime = 0;

  constructor(private ctx: Ctx) {}

  /** The inventory last taken (null before the first). */
  get last(): Inventory | null {
    return this.inv;
  }

  /** The inventory, taken again with these panes when it is old or state.json changed. */
  async get(now: number, tmux: { session: SessionInfo | null; panes: PaneRow[] }): Promise<Inventory> {
    const state = await mark(this.ctx.state.file);
    if (!this.inv || now - this.at > INVENTORY_MS || (state && state.mtimeMs !== this.stateMtime)) {
      this.stateMtime = state?.mtimeMs ?? 0;
      this.inv = await takeInventory(this.ctx, tmux);
      this.at = now;
    }
    return this.inv;
  }
}
