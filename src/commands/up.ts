// treemux up [AGENT…] [--no-attach]: create whatever is missing and start the agents.
import { openContext, type GlobalOptions } from '../agents/context.js';
import { pick, takeInventory } from '../agents/inventory.js';
import { upAgents } from '../agents/up.js';
import { checkTools } from './doctor.js';

export interface UpOptions extends GlobalOptions {
  attach?: boolean;
}

export async function up(names: string[], opts: UpOptions): Promise<number> {
  const ctx = await openContext(opts);
  await checkTools(ctx.tmux);
  const { agents, result } = await ctx.state.exclusive(async () => {
    const inv = await takeInventory(ctx);
    const agents = pick(inv, names);
    return { agents, result: await upAgents(ctx, inv, agents) };
  });
  const ok = agents.length - result.failed.length;
  ctx.out.info(
    `${ctx.layout.project}: ${ok}/${agents.length} agent${agents.length === 1 ? '' : 's'} up in tmux session ${ctx.layout.session}` +
      (result.failed.length ? `; failed: ${result.failed.map((f) => f.name).join(', ')}` : ''),
  );
  if (opts.attach !== false) {
    const shown = await ctx.tmux.show(result.sessionId, result.dashWindowId ?? result.sessionId, {
      isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    });
    if (shown === 'no-terminal') ctx.out.info(`attach with: ${ctx.tmux.attachHint(ctx.layout.session)}`);
  }
  return result.failed.length > 0 ? 1 : 0;
}
