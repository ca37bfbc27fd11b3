// Sending text to an agent (`treemux send`, the dashboard's `s`): typed into an interactive agent;
// for a headless agent, a new run that continues its conversation (`claude -p --resume ID TEXT`),
// since print mode reads no input while it runs.
import { submitDelayMs } from '../kinds/names.js';
import { isAlive, isDead } from '../status/alive.js';
import { UserError } from '../../util/output.js';
import type { Ctx } from '../../project/context.js';
import type { AgentView, Inventory } from '../inventory.js';
import { upAgents } from './up.js';
import { treemuxLine } from '../../util/invocation.js';

/** What happened: typed into the window, or a new headless run started. */
export type Sent = 'typed' | 'continued';

/** Send to one agent. A headless continuation needs the operations lock: the caller holds it. */
export async function sendTo(ctx: Ctx, inv: Inventory, agent: AgentView, text: string): Promise<Sent> {
  if (agent.remote?.unreachable) throw new UserError(`${agent.name} is on host ${agent.remote.host}, which cannot be reached: ${agent.remote.unreachable}`);
  if (agent.spec.mode === 'headless') {
    const alive = isAlive(agent.pane);
    if (!agent.worktree) throw new UserError(`${agent.name} has not started yet (${agent.status}): nothing to continue`);
    if (alive && agent.record?.run?.phase !== 'done') {
      throw new UserError(`${agent.name} is a headless run still working and print mode reads no input: \`${treemuxLine(['wait', agent.name])}\`, then send`);
    }
    const result = await upAgents(ctx, inv, [agent], { followUps: { [agent.name]: text } });
    if (result.failed.length > 0) throw new UserError(`${agent.name}: ${result.failed[0]!.reason}`);
    return 'continued';
  }
  if (!agent.pane) throw new UserError(`${agent.name} has no window (status ${agent.status}): run \`${treemuxLine(['up', agent.name])}\``);
  if (isDead(agent.pane)) throw new UserError(`${agent.name} has exited: run \`${treemuxLine(['up', agent.name])}\` to restart it`);
  // an agent on another host: the same typing, with tmux run there over its ssh connection
  const tmux = agent.remote ? (await import('../hosts/host.js')).hostOf(ctx, agent.spec).tmuxClient() : ctx.tmux;
  await tmux.sendText(agent.pane.pane_id, text, { delayMs: submitDelayMs(agent.spec.kind) });
  return 'typed';
}
