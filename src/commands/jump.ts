// treemux jump AGENT: switch to the agent's window (attach when outside tmux).
import { openContext, type GlobalOptions } from '../agents/context.js';
import { pick, takeInventory } from '../agents/inventory.js';
import { UserError } from '../util/output.js';
import { treemuxLine } from '../util/invocation.js';

export async function jump(name: string, opts: GlobalOptions): Promise<number> {
  const ctx = await openContext(opts);
  const inv = await takeInventory(ctx);
  const [agent] = pick(inv, [name]);
  if (!agent?.pane || !inv.session) {
    throw new UserError(`${name} has no window (status ${agent?.status ?? 'stopped'}): run \`${treemuxLine(['up', name])}\``);
  }
  await ctx.tmux.selectWindow(agent.pane.window_id);
  const shown = await ctx.tmux.show(inv.session.id, agent.pane.window_id, {
    isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });
  if (shown === 'no-terminal') ctx.out.info(`selected ${name}; attach with: ${ctx.tmux.attachHint(ctx.layout.session)}`);
  return 0;
}
