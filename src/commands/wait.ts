// treemux wait [AGENT…] [--timeout SECONDS]: block until the agents have finished. Exit 0 when all
// finished well, 1 when one failed or waits for the user (named on stderr), 124 on timeout.
// It reads statuses once directly, then follows the watcher (the dashboard's, or its own through one
// tmux control client): no tmux process per agent per tick.
import type { Ctx, GlobalOptions } from '../project/context.js';
import type { Inventory } from '../agents/inventory.js';
import type { Settled } from '../agents/status/settle.js';
import type { Snapshot } from '../agents/status/snapshot.js';
import { oneLine, type Output } from '../util/output.js';
import { EXIT, UsageError } from './exit.js';
import type { CommandSpec } from './spec.js';

export interface WaitOptions extends GlobalOptions {
  timeout?: string;
}

export const spec: CommandSpec<WaitOptions> = {
  name: 'wait',
  description: 'block until the agents have finished; exit 0 when all did well, 1 when one failed or waits for you, 124 on timeout',
  arguments: [{ name: '[agents...]', description: 'default: every agent that exists or is queued' }],
  options: [{ flags: '--timeout <seconds>', description: 'give up after this long (exit 124)' }],
  run: (args, opts) => wait(args, opts),
};

export async function wait(names: string[], opts: WaitOptions): Promise<number> {
  const { openContext } = await import('../project/context.js');
  const { takeInventory } = await import('../agents/inventory.js');
  const { Observer } = await import('../agents/status/watcher.js');
  const { settle } = await import('../agents/status/settle.js');
  const ctx = await openContext(opts);
  const timeoutMs = timeoutOf(opts.timeout);
  const max = ctx.layout.layout.max_parallel;
  const inv = await takeInventory(ctx);
  const watched = await agentsToWaitFor(inv, names);
  if (watched.length === 0) {
    ctx.out.info('no agents to wait for');
    return 0;
  }
  const started = Date.now();
  const report = finishedPrinter(ctx.out);
  // a fresh look first (one read of each screen, once): a snapshot the watcher wrote earlier may be stale
  const first = settle(await new Observer(ctx).rows(inv, inv.panes, (paneId) => ctx.tmux.capturePane(paneId, 60)), watched, max);
  report(first);
  if (first.done) return end(first, ctx.out);
  return follow(ctx, { watched, max, started, timeoutMs, timeout: opts.timeout, first, report });
}

/** --timeout in milliseconds; null: wait for as long as it takes. */
function timeoutOf(timeout: string | undefined): number | null {
  if (timeout === undefined) return null;
  const s = Number(timeout);
  if (!Number.isFinite(s) || s <= 0) throw new UsageError(`--timeout takes a number of seconds greater than 0, not "${timeout}"`);
  return s * 1000;
}

/** The agents named, or with none named every agent that exists or is queued. */
async function agentsToWaitFor(inv: Inventory, names: string[]): Promise<string[]> {
  const { pick } = await import('../agents/inventory.js');
  let picked;
  try {
    picked = pick(inv, names);
  } catch (err) {
    throw new UsageError(oneLine(err)); // a usage error, not an agent that failed
  }
  return (names.length > 0 ? picked : picked.filter((a) => a.worktree || a.pane || a.queued)).map((a) => a.name);
}

/** Prints each agent's line when it finishes: once, and again only if it worked again in between. */
function finishedPrinter(out: Output): (s: Settled) => void {
  const printed = new Map<string, string>();
  return (s) => {
    for (const f of s.finished) {
      if (printed.get(f.name) === f.line) continue;
      printed.set(f.name, f.line);
      out.print(f.line);
    }
    for (const p of s.pending) printed.delete(p.name); // it works again: print it when it finishes again
  };
}

/** All settled: 0 when every agent did well, else 1, naming the others on stderr. */
function end(s: Settled, out: Output): number {
  const bad = s.finished.filter((f) => f.problem !== null);
  if (bad.length === 0) return EXIT.ok;
  out.warn(bad.map((f) => `${f.name} ${f.problem}`).join('; '));
  return EXIT.failed;
}

interface Following {
  watched: string[];
  max: number;
  /** only what the watcher saw after this (ms since the epoch) counts */
  started: number;
  timeoutMs: number | null;
  /** --timeout as given, for the message */
  timeout?: string;
  first: Settled;
  report: (s: Settled) => void;
}

/** Follows the watcher until every watched agent settled, the timeout, or SIGINT/SIGTERM. */
async function follow(ctx: Ctx, f: Following): Promise<number> {
  const { Watcher } = await import('../agents/status/watcher.js');
  const { settle } = await import('../agents/status/settle.js');
  const watcher = new Watcher(ctx, { review: false });
  let last = f.first;
  return new Promise<number>((resolve) => {
    let finished = false;
    const finish = async (code: number) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      unsubscribe();
      await watcher.stop();
      resolve(code);
    };
    const seen = (snap: Snapshot) => {
      if (finished || snap.at < f.started) return; // only what was seen after wait began
      const s = settle(snap.agents, f.watched, f.max);
      last = s;
      f.report(s);
      if (s.done) void finish(end(s, ctx.out));
    };
    const unsubscribe = watcher.subscribe(seen);
    const timer = f.timeoutMs === null
      ? null
      : setTimeout(() => {
          const still = last.pending.map((p) => `${p.name} (${p.status})`).join(', ');
          ctx.out.warn(`timed out after ${f.timeout} s${still ? `; still working: ${still}` : ''}`);
          void finish(EXIT.timeout);
        }, f.timeoutMs);
    const stop = () => void finish(EXIT.interrupted);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void watcher.start();
  });
}
