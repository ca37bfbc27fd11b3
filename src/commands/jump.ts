// treemux jump [AGENT]: switch to the agent's window (attach when outside tmux); with no agent, or
// `dash` when no agent has that name, to the dashboard's window.
import type { GlobalOptions } from '../project/context.js';
import { UserError } from '../util/output.js';
import { treemuxLine } from '../util/invocation.js';
import type { CommandSpec } from './spec.js';

export const spec: CommandSpec = {
  name: 'jump',
  description: "switch to the agent's window (attach when outside tmux); with no agent, to the dashboard",
  arguments: [{ name: '[agent]', description: 'an agent (default: the dashboard; `dash` too, unless an agent has that name)' }],
  run: (args, opts) => jump(args[0], opts),
};

export async function jump(name: string | undefined, opts: GlobalOptions): Promise<number> {
  const { openContext } = await import('../project/context.js');
  const { pick, takeInventory } = await import('../agents/inventory.js');
  const ctx = await openContext(opts);
  const inv = await takeInventory(ctx);
  const toDash = name === undefined || (name === 'dash' && !inv.agents.some((a) => a.name === 'dash'));
  let windowId: string;
  let what: string;
  if (toDash) {
    const dash = inv.panes.find((p) => p['@treemux-role'] === 'dash');
    if (!dash || !inv.session) throw new UserError(`${ctx.layout.project} has no dashboard window: run \`${treemuxLine(['up'])}\``);
    windowId = dash.window_id;
    what = 'the dashboard';
  } else {
    const [agent] = pick(inv, [name]);
    if (!agent?.pane || !inv.session) {
      throw new UserError(`${name} has no window (status ${agent?.status ?? 'stopped'}): run \`${treemuxLine(['up', name])}\``);
    }
    windowId = agent.pane.window_id;
    what = name;
  }
  await ctx.tmux.selectWindow(windowId);
  const shown = await ctx.tmux.show(inv.session!.id, windowId, {
    isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });
  if (shown === 'no-terminal') ctx.out.info(`selected ${what}; attach with: ${ctx.tmux.attachHint(ctx.layout.session)}`);
  return 0;
}
