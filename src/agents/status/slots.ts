// Under max_parallel, an interactive agent whose program ended frees a slot: the leading watcher
// (the dashboard window's, kept by tmux) starts the next queued agent. Headless runs start the next
// themselves when they end, and merge starts what it unblocked; this covers the rest.
import type { Ctx } from '../../project/context.js';
import { SILENT } from '../../util/output.js';
import type { DrainQueue } from './drain.js';
import type { AgentRow } from './snapshot.js';
import type { Status } from './status.js';

/** statuses whose agent holds a slot (a finished headless run is `exited`) */
const HOLDING: ReadonlySet<Status> = new Set(['starting', 'busy', 'waiting', 'idle']);
/** The queue is drained again this soon at most. */
const DRAIN_EVERY_MS = 2_000;

/** Whether a slot is free (MAX: 0 is no limit) for a queued agent that waits for a slot only. */
export function slotFree(rows: readonly AgentRow[], max: number): boolean {
  if (max === 0) return false;
  const holding = rows.filter((r) => HOLDING.has(r.status)).length;
  return holding < max && rows.some((r) => r.status === 'queued' && !r.waitingFor?.length);
}

export class SlotWatch {
  private draining = false;
  private drainedAt = 0;

  constructor(
    private ctx: Ctx,
    private drain: DrainQueue,
  ) {}

  /** Start queued agents when a slot is free; never two drains at once, nor within 2 s. Returns at once. */
  check(rows: readonly AgentRow[], now: number): void {
    if (this.draining || now - this.drainedAt < DRAIN_EVERY_MS) return;
    if (!slotFree(rows, this.ctx.layout.layout.max_parallel)) return;
    this.draining = true;
    this.drainedAt = now;
    const quiet = { ...this.ctx, out: SILENT }; // nothing may write to the terminal a UI draws on
    void this.drain(quiet)
      .catch(() => undefined) // drainQueue warns itself (to nobody here); the next free slot tries again
      .finally(() => {
        this.draining = false;
      });
  }
}
