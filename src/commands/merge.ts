// treemux merge [AGENT…] [--dry-run] [--cleanup]: merge in dependency order, testing after each.
import { waitNotice, openContext, type GlobalOptions } from '../agents/context.js';
import { pick, takeInventory } from '../agents/inventory.js';
import { mergeQueue } from '../agents/merge.js';
import { describeRemoval, removeAgents } from '../agents/remove.js';
import { aheadCount } from '../git/index.js';
import { UserError } from '../util/output.js';
import { startQueued } from '../agents/queue.js';
import type { Ctx } from '../agents/context.js';

/** What `start_after` waits for: the agents `merge` merged into base (kept until `down`). */
async function recordMerged(ctx: Ctx, names: string[], base: string, commit: string): Promise<void> {
  const at = new Date().toISOString();
  await ctx.state.update((s) => {
    s.merged ??= {};
    for (const n of names) s.merged[n] = { at, base, commit };
  });
}

export interface MergeOptions extends GlobalOptions {
  dryRun?: boolean;
  cleanup?: boolean;
}

export async function merge(names: string[], opts: MergeOptions): Promise<number> {
  const ctx = await openContext(opts);
  return ctx.state.exclusive(async () => {
    const inv = await takeInventory(ctx);
    let agents = pick(inv, names);
    if (names.length === 0) {
      const ahead = [];
      for (const a of agents) if ((await ctx.repo.branchExists(a.spec.branch)) && (await aheadCount(ctx.repo.root, a.spec.base, a.spec.branch)) > 0) ahead.push(a);
      agents = ahead;
    }
    if (agents.length === 0) {
      ctx.out.print('nothing to merge: no agent has commits ahead of its base');
      return 0;
    }
    for (const a of agents) if (!(await ctx.repo.branchExists(a.spec.branch))) throw new UserError(`${a.name}: branch ${a.spec.branch} does not exist`);
    const outcome = await mergeQueue(ctx, agents, { dryRun: Boolean(opts.dryRun) });
    const verb = opts.dryRun ? 'would merge' : 'merged';
    if (outcome.merged.length) ctx.out.print(`${verb} into ${outcome.base}: ${outcome.merged.join(', ')}${opts.dryRun ? ' (dry run: nothing moved)' : ` (${outcome.base} now at ${outcome.to.slice(0, 12)})`}`);
    if (!opts.dryRun && outcome.merged.length) await recordMerged(ctx, outcome.merged, outcome.base, outcome.to);
    if (outcome.stopped) {
      ctx.out.print(`stopped at ${outcome.stopped.agent}: ${outcome.stopped.reason}`);
      for (const line of outcome.stopped.details) ctx.out.print(`  ${line}`);
      if (!opts.dryRun && outcome.merged.length) await startQueued(ctx);
      ctx.out.print(`${outcome.base} ${opts.dryRun ? 'was not moved' : outcome.merged.length ? `includes only ${outcome.merged.join(', ')}` : 'was not moved'}; nothing half-merged was left anywhere`);
      return 1;
    }
    if (opts.cleanup && !opts.dryRun && outcome.merged.length) {
      const merged = agents.filter((a) => outcome.merged.includes(a.name));
      for (const r of await removeAgents(ctx, merged, { force: false })) ctx.out.info(describeRemoval(r, (p) => p));
    }
    if (!opts.dryRun && outcome.merged.length) await startQueued(ctx);
    return 0;
  }, waitNotice(ctx));
}
