// treemux rm AGENT [--force]: stop the agent and remove its window and worktree; keep an unmerged branch.
import { waitNotice, openContext, shown, type Ctx, type GlobalOptions } from '../project/context.js';
import { pick, takeInventory } from '../agents/inventory.js';
import { describeBlocker, describeRemoval, findBlockers, removeAgents } from '../agents/lifecycle/remove.js';
import { UserError } from '../util/output.js';

export interface RmOptions extends GlobalOptions {
  force?: boolean;
}

export async function rm(names: string[], opts: RmOptions): Promise<number> {
  const ctx = await openContext(opts);
  return ctx.state.exclusive(() => rmLocked(ctx, names, opts), waitNotice(ctx));
}

async function rmLocked(ctx: Ctx, names: string[], opts: RmOptions): Promise<number> {
  const inv = await takeInventory(ctx);
  const agents = pick(inv, names);
  const gone = agents.filter((a) => !a.worktree && !a.pane && !a.record && !a.queued);
  if (gone.length > 0) throw new UserError(`${gone.map((a) => a.name).join(', ')}: not created, nothing to remove`);
  if (!opts.force) {
    const blockers = await findBlockers(ctx, agents);
    if (blockers.length > 0) {
      throw new UserError(
        `refusing to remove: ${blockers.map(describeBlocker).join('; ')} (commit or merge it, or use --force to save it to the trash and remove)`,
      );
    }
  }
  const results = await removeAgents(ctx, agents, { force: Boolean(opts.force) });
  for (const r of results) ctx.out.info(describeRemoval(r, (p) => shown(p, ctx.cwd)));
  return results.some((r) => r.error || r.warnings) ? 1 : 0;
}
