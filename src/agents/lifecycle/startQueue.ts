// The queue: agents that wait for a free slot under `max_parallel`, or for their `start_after`
// agents to be merged into base. There is no daemon: whatever frees a slot or merges starts the next
// ones: `up`, a headless run as it ends (its runner, in the agent's window), the leading watcher (in
// the dashboard window tmux keeps) when an interactive agent's program ends, and `merge`. Each of them calls startQueued under the
// project's operations lock, so two never start the same agent.
import { isAlive } from '../status/alive.js';
import { oneLine } from '../../util/output.js';
import type { Ctx } from '../../project/context.js';
import { takeInventory, type AgentView, type Inventory } from '../inventory.js';
import { holdsSlot } from '../status/outcome.js';
import { upAgents, type UpResult } from './up.js';
import { hasFinishedRun } from './plan.js';

export interface Candidate {
  name: string;
  /** layout order */
  index: number;
  startAfter: readonly string[];
  /** it has no worktree yet: starting it makes a new one */
  fresh?: boolean;
}

export interface Waiting {
  name: string;
  /** the start_after agents not merged yet (empty: waits for a slot) */
  after: string[];
}

/** Which candidates start now, in layout order, and why the others wait. Pure. */
export function planStarts(input: {
  candidates: readonly Candidate[];
  merged: ReadonlySet<string>;
  /** agents holding a slot now */
  running: number;
  /** 0: no limit */
  maxParallel: number;
}): { start: string[]; wait: Waiting[] } {
  const start: string[] = [];
  const wait: Waiting[] = [];
  let running = input.running;
  // a predecessor that is to be made again (no worktree: queued, or starting now) starts a new run:
  // its old merge no longer counts
  const remade = new Set(input.candidates.filter((c) => c.fresh).map((c) => c.name));
  for (const c of [...input.candidates].sort((a, b) => a.index - b.index)) {
    const after = c.startAfter.filter((n) => !input.merged.has(n) || remade.has(n));
    if (after.length > 0) wait.push({ name: c.name, after });
    else if (input.maxParallel > 0 && running >= input.maxParallel) wait.push({ name: c.name, after: [] });
    else {
      start.push(c.name);
      running += 1;
    }
  }
  return { start, wait };
}

/** start_after holds back only an agent not made yet: one that has its worktree has started before. */
function candidate(a: AgentView): Candidate {
  return { name: a.name, index: a.spec.index, startAfter: a.worktree ? [] : a.spec.startAfter, fresh: !a.worktree };
}

/** Would `up` start a program for it? (Not when it runs, nor when its headless run has ended.) */
export function needsStart(a: AgentView): boolean {
  if (isAlive(a.pane)) return false;
  return !hasFinishedRun(a);
}

/** Of the agents `up` was asked for: those it brings up now, and those that wait in the queue. */
export function admit(ctx: Ctx, inv: Inventory, agents: readonly AgentView[]): { run: AgentView[]; wait: Waiting[] } {
  const plan = planStarts({
    candidates: agents.filter(needsStart).map(candidate),
    merged: mergedSet(inv),
    running: runningCount(inv),
    maxParallel: ctx.layout.layout.max_parallel,
  });
  const waiting = new Set(plan.wait.map((w) => w.name));
  return { run: agents.filter((a) => !waiting.has(a.name)), wait: plan.wait };
}

/** The agents that hold a slot now. */
export function runningCount(inv: Inventory): number {
  // an agent on a host that cannot be reached now may still run there: it keeps its slot
  return inv.agents.filter((a) => a.remote?.unreachable ? Boolean(a.record) : holdsSlot({ paneAlive: isAlive(a.pane), mode: a.spec.mode, run: a.record?.run })).length;
}

export function mergedSet(inv: Inventory): Set<string> {
  return new Set(Object.keys(inv.state.merged ?? {}));
}

/** The start_after agents of `a` not merged yet. */
export function unmergedAfter(a: AgentView, merged: ReadonlySet<string>): string[] {
  return a.spec.startAfter.filter((n) => !merged.has(n));
}

export function describeWait(w: Waiting, maxParallel: number, base: string): string {
  return w.after.length > 0 ? `queued until ${w.after.join(', ')} ${w.after.length === 1 ? 'is' : 'are'} merged into ${base}` : `queued (max_parallel ${maxParallel})`;
}

/**
 * Start the queued agents that may start now. The caller holds the operations lock. Agents that
 * no longer exist, or already run, leave the queue; an agent that fails to start leaves it too (its
 * failure is reported, and `up` tries it again).
 */
export async function startQueued(ctx: Ctx, inv?: Inventory): Promise<UpResult | null> {
  inv ??= await takeInventory(ctx);
  const queue = inv.state.queue ?? [];
  if (queue.length === 0) return null;
  const byName = new Map(inv.agents.map((a) => [a.name, a]));
  const candidates = queue
    .map((n) => byName.get(n))
    .filter((a): a is AgentView => a !== undefined && !isAlive(a.pane));
  const plan = planStarts({
    candidates: candidates.map(candidate),
    merged: mergedSet(inv),
    running: runningCount(inv),
    maxParallel: ctx.layout.layout.max_parallel,
  });
  const keep = new Set(plan.wait.map((w) => w.name));
  let result: UpResult | null = null;
  if (plan.start.length > 0) {
    for (const n of plan.start) ctx.out.info(`${n}: starting (from the queue)`);
    result = await upAgents(ctx, inv, plan.start.map((n) => byName.get(n)!));
  }
  await ctx.state.update((s) => {
    s.queue = (s.queue ?? []).filter((n) => keep.has(n));
  });
  return result;
}

/** startQueued under the operations lock; never throws (it runs where nobody may be watching). */
export async function drainQueue(ctx: Ctx): Promise<void> {
  try {
    await ctx.state.exclusive(() => startQueued(ctx));
  } catch (err) {
    ctx.out.warn(`starting queued agents: ${oneLine(err)}`);
  }
}

/** Add agents to the queue (kept in layout order). */
export async function enqueue(ctx: Ctx, names: readonly string[], inv: Inventory): Promise<void> {
  if (names.length === 0) return;
  const index = new Map(inv.agents.map((a) => [a.name, a.spec.index]));
  await ctx.state.update((s) => {
    const all = new Set([...(s.queue ?? []), ...names]);
    s.queue = [...all].sort((a, b) => (index.get(a) ?? 1e9) - (index.get(b) ?? 1e9));
  });
}
