// treemux down [--force]: rm for every agent, then the session. Refuses as a whole (removing
// nothing) when any agent has work that would be lost, unless --force.
import type { Ctx, GlobalOptions } from '../project/context.js';
import { UserError } from '../util/output.js';
import type { CommandSpec } from './spec.js';

export interface DownOptions extends GlobalOptions {
  force?: boolean;
}

export const spec: CommandSpec<DownOptions> = {
  name: 'down',
  description: 'rm every agent, then close the session',
  options: [{ flags: '--force', description: 'remove even with uncommitted or unmerged work (saved to the trash first)' }],
  run: (_args, opts) => down(opts),
};

export async function down(opts: DownOptions): Promise<number> {
  const { openContext, waitNotice } = await import('../project/context.js');
  const ctx = await openContext(opts);
  return ctx.state.exclusive(() => downLocked(ctx, opts), waitNotice(ctx));
}

async function downLocked(ctx: Ctx, opts: DownOptions): Promise<number> {
  const { shown } = await import('../project/context.js');
  const { takeInventory } = await import('../agents/inventory.js');
  const { describeBlocker, describeRemoval, findBlockers, removeAgents, workStates } = await import('../agents/lifecycle/remove.js');
  const { releaseKeys } = await import('../agents/lifecycle/session.js');
  const inv = await takeInventory(ctx);
  const agents = inv.agents.filter((a) => a.worktree || a.pane || a.record);
  // The dashboard goes first once nothing can refuse: it would only look again at every agent going
  // away, and its looks (git in every worktree) compete with down's own. The session goes at the end.
  const closeDashboard = async () => {
    const dash = inv.panes.find((p) => p['@treemux-role'] === 'dash');
    if (dash) await ctx.tmux.killWindow(dash.window_id).catch(() => undefined); // a view only: down goes on without it
  };
  if (opts.force) await closeDashboard();
  const work = await workStates(ctx, agents); // asked once: for refusing, and for removing
  if (!opts.force) {
    const blockers = await findBlockers(ctx, agents, work);
    if (blockers.length > 0) {
      throw new UserError(
        `refusing to bring down ${ctx.layout.project}: ${blockers.map(describeBlocker).join('; ')} (nothing was removed; commit or merge it, or use --force to save it to the trash)`,
      );
    }
    await closeDashboard();
  }
  const results = await removeAgents(ctx, agents, { force: Boolean(opts.force), work });
  for (const r of results) ctx.out.info(describeRemoval(r, (p) => shown(p, ctx.cwd)));
  const failed = results.filter((r) => r.error);
  if (failed.length === 0) {
    // a new `up` starts over: nothing waits in the queue, and no agent counts as merged
    await ctx.state.update((s) => {
      delete s.queue;
      delete s.merged;
    });
  }
  if (failed.length === 0 && Object.keys(ctx.layout.layout.hosts).length > 0) {
    // the project's session on each host goes too, and the shared ssh connection with it
    const { closeHosts } = await import('../agents/hosts/host.js');
    await closeHosts(ctx);
  }
  if (failed.length === 0 && inv.session) {
    await ctx.tmux.killSession(inv.session.id);
    await releaseKeys(ctx);
    ctx.out.info(`${ctx.layout.project}: session ${ctx.layout.session} closed`);
  }
  return failed.length > 0 || results.some((r) => r.warnings) ? 1 : 0;
}
