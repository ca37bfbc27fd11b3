// The default way for the leading watcher to start queued agents: lifecycle's drainQueue. Dynamic,
// imported when first needed, because the lifecycle depends on status (alive, outcome) and status
// must not depend back on it: no module cycle today, none later, and a watcher that never starts an
// agent never loads up, setup and the database drivers. A Watcher's constructor may be given another.
import type { Ctx } from '../../project/context.js';

/** Start what the queue can start now (under the project's operations lock). */
export type DrainQueue = (ctx: Ctx) => Promise<void>;

export const drainQueueLazily: DrainQueue = async (ctx) => (await import('../lifecycle/startQueue.js')).drainQueue(ctx);
