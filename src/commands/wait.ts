// treemux wait [AGENT…] [--timeout SECONDS]: block until the agents have finished. Exit 0 when all
// finished well, 1 when one failed or waits for the user (named on stderr), 124 on timeout.
// It reads statuses once directly, then follows the watcher (the dashboard's, or its own through one
// tmux control client): no tmux process per agent per tick.
import type { GlobalOptions } from '../project/context.js';
import type { Settled } from '../agents/status/settle.js';
import type { Snapshot } from '../ui/model.js';
import { oneLine } from '../util/output.js';
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
  const { pick, takeInventory } = await import('../agents/inventory.js');
  const { Observer, Watcher } = await import('../agents/status/watcher.js');
  const { settle } = await import('../agents/status/settle.js');
  const ctx = await openContext(opts);
  let timeoutMs: number | null = null;
  if (opts.timeout !== undefined) {
    const s = Number(opts.timeout);
    if (!Number.isFinite(s) || s <= 0) throw new UsageError(`--timeout takes a number of seconds greater than 0, not "${opts.timeout}"`);
    timeoutMs = s * 1000;
  }
  const max = ctx.layout.layout.max_parallel;
  const inv = await takeInventory(ctx);
  let picked;
  try {
    picked = pick(inv, names);
  } catch (err) {
    throw new UsageError(oneLine(err)); // a usage error, not an agent that failed
  }
  const watched = (names.length > 0 ? picked : picked.filter((a) => a.worktree || a.pane || a.queued)).map((a) => a.name);
  if (watched.length === 0) {
    ctx.out.info('no agents to wait for');
    return 0;
  }

  const started = Date.now();
  const printed = new Map<string, string>();
  const report = (s: Settled) => {
    for (const f of s.finished) {
      if (printed.get(f.name) === f.line) continue;
      printed.set(f.name, f.line);
      ctx.out.print(f.line);
    }
    for (const p of s.pending) printed.delete(p.name); // it works again: print it when it finishes again
  };
  const verdict = (s: Settled): number => {
    const bad = s.finished.filter((f) => f.problem !== null);
    if (bad.length === 0) return 0;
    ctx.out.warn(bad.map((f) => `${f.name} ${f.problem}`).join('; '));
    return 1;
  };

  // a fresh look first (one read of each screen, once): a snapshot the watcher wrote earlier may be stale
  const first = settle(await new Observer(ctx).rows(inv, inv.panes, (paneId) => ctx.tmux.capturePane(paneId, 60)), watched, max);
  report(first);
  if (first.done) return verdict(first);
  let last = first;

  const watcher = new Watcher(ctx, { review: false });
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
      if (finished || snap.at < started) return; // only what was seen after wait began
      const s = settle(snap.agents, watched, max);
      last = s;
      report(s);
      if (s.done) void finish(verdict(s));
    };
    const unsubscribe = watcher.subscribe(seen);
    const timer = timeoutMs === null
      ? null
      : setTimeout(() => {
          const still = last.pending.map((p) => `${p.name} (${p.status})`).join(', ');
          ctx.out.warn(`timed out after ${opts.timeout} s${still ? `; still working: ${still}` : ''}`);
          void finish(EXIT.timeout);
        }, timeoutMs);
    const stop = () => void finish(EXIT.interrupted);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void watcher.start();
  });
}
