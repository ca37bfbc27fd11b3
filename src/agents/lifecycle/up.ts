// Bring agents up: for each, create whatever is missing (worktree and branch, instructions, window)
// and start it. Safe to run again. A failure for one agent undoes what was made for it, is reported
// in one line, and does not stop the others. Decided by plan() (pure), done by apply(), then the
// interactive programs started are watched for an early exit.
import type { Ctx } from '../../project/context.js';
import type { AgentView, Inventory } from '../inventory.js';
import { plan } from './plan.js';
import { apply } from './apply.js';
import { printTo, type OnEvent } from './events.js';
import { earlyExits } from './earlyExit.js';
import { releaseKeys } from './session.js';

export { WRITTEN_FILES } from './plan.js';
export { ensureSession, releaseKeys } from './session.js';
export { EARLY_EXIT_MS } from './earlyExit.js';
export { SetupFailed } from './window.js';

export interface UpResult {
  sessionId: string;
  dashWindowId: string | null;
  failed: { name: string; reason: string }[];
  started: string[];
}

export interface UpOptions {
  /** headless agents to continue with this prompt (`send`): the same conversation, a new run */
  followUps?: Record<string, string>;
  /** progress as it happens (default: the lines of ctx.out) */
  onEvent?: OnEvent;
}

export async function upAgents(ctx: Ctx, inv: Inventory, agents: AgentView[], opts: UpOptions = {}): Promise<UpResult> {
  // `starting` from now until each window runs, and out of the queue in the same write, so that no
  // reader (wait!) ever sees an agent on its way up as stopped
  const names = agents.map((a) => a.name);
  await ctx.state.update((s) => {
    s.starting = [...new Set([...(s.starting ?? []), ...names])];
    if (s.queue?.some((n) => names.includes(n))) s.queue = s.queue.filter((n) => !names.includes(n));
  });
  try {
    return await upAll(ctx, inv, agents, opts);
  } finally {
    await ctx.state
      .update((s) => {
        s.starting = (s.starting ?? []).filter((n) => !names.includes(n));
        if (s.starting.length === 0) delete s.starting;
      })
      .catch(() => undefined); // the run's own result or error matters more; a name left in `starting` goes at that agent's next up
  }
}

async function upAll(ctx: Ctx, inv: Inventory, all: AgentView[], opts: UpOptions): Promise<UpResult> {
  const agents = all.filter((a) => a.spec.host === 'local');
  const result = await upHere(ctx, inv, agents, opts);
  if (agents.length < all.length) {
    // agents on other hosts are brought up there (hosts/up.ts), after the ones here
    const { upRemote } = await import('../hosts/up.js');
    const there = await upRemote(ctx, all.filter((a) => a.spec.host !== 'local'));
    result.failed.push(...there.failed);
    result.started.push(...there.started);
  }
  return result;
}

async function upHere(ctx: Ctx, inv: Inventory, agents: AgentView[], opts: UpOptions): Promise<UpResult> {
  const emit = opts.onEvent ?? printTo(ctx.out);
  const desired = { agents, followUps: opts.followUps };
  const applied = await apply(ctx, inv, desired, plan(desired, inv), emit);
  const { sessionId, dashWindowId, made } = applied.place;
  const result: UpResult = { sessionId, dashWindowId, failed: applied.failed, started: applied.started };
  for (const early of await earlyExits(ctx, sessionId, applied.starts)) {
    result.started = result.started.filter((n) => n !== early.name);
    result.failed.push(early);
    emit({ type: 'agent-failed', agent: early.name, reason: early.reason, undone: false });
  }
  if (made && result.failed.length > 0) await removeEmptySession(ctx, result);
  return result;
}

/** A session this run made, in which no agent has a window: nothing half made is left behind. */
async function removeEmptySession(ctx: Ctx, result: UpResult): Promise<void> {
  const panes = await ctx.tmux.listPanes(result.sessionId);
  if (panes.some((p) => p['@treemux-agent']) || (await ctx.state.read()).queue?.length) return;
  await ctx.tmux.killSession(result.sessionId);
  await releaseKeys(ctx);
  result.sessionId = '';
  result.dashWindowId = null;
}
