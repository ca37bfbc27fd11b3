// treemux rm AGENT [--force]: stop the agent and remove its window and worktree; keep an unmerged branch.
import type { Ctx, GlobalOptions } from '../project/context.js';
import { UserError } from '../util/output.js';
import type { CommandSpec } from './spec.js';

export interface RmOptions extends GlobalOptions {
  force?: boolean;
}

export const spec: CommandSpec<RmOptions> = {
  name: 'rm',
  description: 'stop agents and remove their windows and worktrees; keep unmerged branches',
  arguments: [{ name: '<agents...>' }],
  options: [{ flags: '--force', description: 'remove even with uncommitted or unmerged work (saved to the trash first)' }],
  run: (args, opts) => rm(args, opts),
};

export async function rm(names: string[], opts: RmOptions): Promise<number> {
  const { openContext, waitNotice } = await import('../project/context.js');
  const ctx = await openContext(opts);
  return ctx.state.exclusive(() => rmLocked(ctx, names, opts), waitNotice(ctx));
}

async function rmLocked(ctx: Ctx, names: string[], opts: RmOptions): Promise<number> {
  const { shown } = await import('../project/context.js');
  const { pick, takeInventory } = await import('../agents/inventory.js');
  const { describeBlocker, describeRemoval, findBlockers, removeAgents, workStates } = await import('../agents/lifecycle/remove.js');
  const inv = await takeInventory(ctx);
  const agents = pick(inv, names);
  const gone = agents.filter((a) => !a.worktree && !a.pane && !a.record && !a.queued);
  if (gone.length > 0) throw new UserError(`${gone.map((a) => a.name).join(', ')}: not created, nothing to remove`);
  const work = await workStates(ctx, agents); // asked once: for refusing, and for removing
  if (!opts.force) {
    const blockers = await findBlockers(ctx, agents, work);
    if (blockers.length > 0) {
      throw new UserError(
        `refusing to remove: ${blockers.map(describeBlocker).join('; ')} (commit or merge it, or use --force to save it to the trash and remove)`,
      );
    }
  }
  const results = await removeAgents(ctx, agents, { force: Boolean(opts.force), work });
  for (const r of results) ctx.out.info(describeRemoval(r, (p) => shown(p, ctx.cwd)));
  return results.some((r) => r.error || r.warnings) ? 1 : 0;
}
