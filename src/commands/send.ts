// treemux send AGENT|--all TEXT: type TEXT into the agent(s) and press Enter; a finished headless
// agent continues its conversation with TEXT instead (see src/agents/lifecycle/send.ts).
import type { GlobalOptions } from '../project/context.js';
import { UserError } from '../util/output.js';
import type { CommandSpec } from './spec.js';

export interface SendOptions extends GlobalOptions {
  all?: boolean;
}

export const spec: CommandSpec<SendOptions> = {
  name: 'send',
  description: 'type TEXT into the agent (or all agents) and press Enter',
  arguments: [{ name: '[agent-and-text...]', description: 'AGENT TEXT, or TEXT with --all' }],
  options: [{ flags: '--all', description: 'send to every running agent' }],
  dashedArguments: true, // text that starts with a dash ("- also fix x") is text
  run: (args, opts) => send(args, opts),
};

export async function send(words: string[], opts: SendOptions): Promise<number> {
  const { openContext, waitNotice } = await import('../project/context.js');
  const ctx = await openContext(opts);
  const { panesFromSnapshot } = await import('../agents/targets.js');
  // while a dashboard runs, its snapshot knows the running agents' panes: type there at once
  const text0 = opts.all ? words.join(' ') : words.slice(1).join(' ');
  const fast = text0.length > 0 && (opts.all || words[0]) ? panesFromSnapshot(ctx, opts.all ? 'all' : [words[0]!]) : null;
  if (fast) {
    const { submitDelayMs } = await import('../agents/kinds/names.js');
    const kindOf = (name: string) => ctx.layout.agents.find((a) => a.name === name)?.kind ?? ctx.layout.layout.agent.kind ?? 'other';
    for (const { paneId, name } of fast) await ctx.tmux.sendText(paneId, text0, { delayMs: submitDelayMs(kindOf(name)) });
    ctx.out.info(`sent to ${fast.map((f) => f.name).join(', ')} (${text0.length} character${text0.length === 1 ? '' : 's'} and Enter)`);
    return 0;
  }
  const { pick, takeInventory } = await import('../agents/inventory.js');
  const { isAlive } = await import('../agents/status/alive.js');
  const { sendTo } = await import('../agents/lifecycle/send.js');
  // a headless continuation starts a run (under the operations lock); typing needs no lock
  const declared = ctx.layout.agents.find((a) => a.name === words[0]);
  const headless = !opts.all && (declared ? declared.mode : ctx.layout.layout.agent.mode) === 'headless';
  const go = async () => {
    const inv = await takeInventory(ctx);
    let targets;
    let text: string;
    if (opts.all) {
      targets = inv.agents.filter((a) => isAlive(a.pane) && a.spec.mode !== 'headless');
      text = words.join(' ');
      if (targets.length === 0) throw new UserError('no running interactive agents to send to');
    } else {
      const [name, ...rest] = words;
      if (!name) throw new UserError('usage: treemux send AGENT|--all TEXT');
      targets = pick(inv, [name]);
      text = rest.join(' ');
    }
    if (text.length === 0) throw new UserError('nothing to send: give the text after the agent name');
    const typed: string[] = [];
    for (const agent of targets) {
      const how = await sendTo(ctx, inv, agent, text);
      if (how === 'continued') ctx.out.info(`${agent.name}: continuing its conversation in a new headless run`);
      else typed.push(agent.name);
    }
    if (typed.length) ctx.out.info(`sent to ${typed.join(', ')} (${text.length} character${text.length === 1 ? '' : 's'} and Enter)`);
    return 0;
  };
  return headless ? ctx.state.exclusive(go, waitNotice(ctx)) : go();
}
