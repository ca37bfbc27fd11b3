// treemux merge [AGENT…] [--dry-run] [--cleanup]: merge in dependency order, testing after each.
import { openContext, type GlobalOptions } from '../agents/context.js';
import { pick, takeInventory } from '../agents/inventory.js';
import { mergeQueue } from '../agents/merge.js';
import { describeRemoval, removeAgents } from '../agents/remove.js';
import { aheadCount } from '../git/index.js';
import { UserError } from '../util/output.js';

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
    if (outcome.stopped) {
      ctx.out.print(`stopped at ${outcome.stopped.agent}: ${outcome.stopped.reason}`);
      for (const line of outcome.stopped.details) ctx.out.print(`  ${line}`);
      ctx.out.print(`${outcome.base} ${opts.dryRun ? 'was not moved' : outcome.merged.length ? `includes only ${outcome.merged.join(', ')}` : 'was not moved'}; nothing half-merged was left anywhere`);
      return 1;
    }
    if (opts.cleanup && !opts.dryRun && outcome.merged.length) {
      const merged = agents.filter((a) => outcome.merged.includes(a.name));
      for (const r of await removeAgents(ctx, merged, { force: false })) ctx.out.info(describeRemoval(r, (p) => p));
    }
    return 0;
  });
}
