// treemux send AGENT|--all TEXT: type TEXT into the agent(s) and press Enter.
import { openContext, type GlobalOptions } from '../agents/context.js';
import { pick, takeInventory } from '../agents/inventory.js';
import { UserError } from '../util/output.js';

export interface SendOptions extends GlobalOptions {
  all?: boolean;
}

export async function send(words: string[], opts: SendOptions): Promise<number> {
  const ctx = await openContext(opts);
  const inv = await takeInventory(ctx);
  let targets;
  let text: string;
  if (opts.all) {
    targets = inv.agents.filter((a) => a.pane && a.pane.pane_dead !== '1');
    text = words.join(' ');
    if (targets.length === 0) throw new UserError('no running agents to send to');
  } else {
    const [name, ...rest] = words;
    if (!name) throw new UserError('usage: treemux send AGENT|--all TEXT');
    targets = pick(inv, [name]);
    text = rest.join(' ');
  }
  if (text.length === 0) throw new UserError('nothing to send: give the text after the agent name');
  for (const agent of targets) {
    if (!agent.pane) throw new UserError(`${agent.name} has no window (status ${agent.status}): run \`treemux up ${agent.name}\``);
    if (agent.pane.pane_dead === '1') throw new UserError(`${agent.name} has exited: run \`treemux up ${agent.name}\` to restart it`);
    await ctx.tmux.sendText(agent.pane.pane_id, text);
  }
  return 0;
}
