// treemux jump [AGENT]: switch to the agent's window (attach when outside tmux); with no agent, or
// `dash` when no agent has that name, to the dashboard's window.
import type { Ctx, GlobalOptions } from '../project/context.js';
import { UserError } from '../util/output.js';
import { treemuxLine } from '../util/invocation.js';
import type { CommandSpec } from './spec.js';
import { shellLine } from '../util/shell.js';

export const spec: CommandSpec = {
  name: 'jump',
  description: "switch to the agent's window (attach when outside tmux); with no agent, to the dashboard",
  arguments: [{ name: '[agent]', description: 'an agent (default: the dashboard; `dash` too, unless an agent has that name)' }],
  run: (args, opts) => jump(args[0], opts),
};

export async function jump(name: string | undefined, opts: GlobalOptions): Promise<number> {
  const { openContext } = await import('../project/context.js');
  const ctx = await openContext(opts);
  const { windowFromSnapshot } = await import('../agents/targets.js');
  const isTTY = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  // while a dashboard runs, its snapshot knows every window: go there at once
  const known = windowFromSnapshot(ctx, name);
  if (known) return showWindow(ctx, known.session, known.window, known.dash ? 'the dashboard' : name!, isTTY);
  const { pick, takeInventory } = await import('../agents/inventory.js');
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
    if (agent?.remote?.unreachable) throw new UserError(`${name} is on host ${agent.spec.host}, which cannot be reached: ${agent.remote.unreachable}`);
    if (agent?.remote && agent.pane) {
      // its window is on its host: a window here attached there over ssh, or this terminal attached there
      const { attachArgv, viewWindow } = await import('../agents/hosts/jump.js');
      if (!inv.session) {
        if (!isTTY) throw new UserError(`${name} runs on ${agent.spec.host}; attach with: ${shellLine(attachArgv(ctx, agent))}`);
        const { execa } = await import('../host/exec.js');
        const r = await execa(attachArgv(ctx, agent)[0]!, attachArgv(ctx, agent).slice(1), { stdio: 'inherit', reject: false });
        return r.exitCode ?? 1;
      }
      return showWindow(ctx, inv.session.id, await viewWindow(ctx, ctx.tmux, inv.session.id, agent), name, isTTY);
    }
    if (!agent?.pane || !inv.session) {
      throw new UserError(`${name} has no window (status ${agent?.status ?? 'stopped'}): run \`${treemuxLine(['up', name])}\``);
    }
    windowId = agent.pane.window_id;
    what = name;
  }
  return showWindow(ctx, inv.session!.id, windowId, what, isTTY);
}

async function showWindow(ctx: Ctx, session: string, windowId: string, what: string, isTTY: boolean): Promise<number> {
  const shown = await ctx.tmux.show(session, windowId, { isTTY });
  // switching and attaching select the window themselves; with no terminal it is selected for later
  if (shown === 'no-terminal') await ctx.tmux.selectWindow(windowId);
  if (shown === 'no-terminal') ctx.out.info(`selected ${what}; attach with: ${ctx.tmux.attachHint(ctx.layout.session)}`);
  return 0;
}
