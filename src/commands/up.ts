// treemux up [AGENT…] [--no-attach]: create whatever is missing and start the agents.
import type { GlobalOptions } from '../project/context.js';
import { checkTools } from './doctor.js';
import type { CommandSpec } from './spec.js';

export interface UpOptions extends GlobalOptions {
  attach?: boolean;
}

export const spec: CommandSpec<UpOptions> = {
  name: 'up',
  description: 'create whatever is missing and start the agents (safe to run again)',
  arguments: [{ name: '[agents...]', description: 'only these agents' }],
  options: [{ flags: '--no-attach', description: 'do not attach to the session' }],
  run: (args, opts) => up(args, opts),
};

export async function up(names: string[], opts: UpOptions): Promise<number> {
  const { openContext, waitNotice } = await import('../project/context.js');
  const { pick, takeInventory } = await import('../agents/inventory.js');
  const { upAgents } = await import('../agents/lifecycle/up.js');
  const { admit, describeWait, enqueue } = await import('../agents/lifecycle/startQueue.js');
  const { ALL_KINDS } = await import('../agents/kinds/index.js');
  const ctx = await openContext(opts);
  await checkTools(ctx.tmux);
  const { agents, result, waits } = await ctx.state.exclusive(async () => {
    const inv = await takeInventory(ctx);
    const agents = pick(inv, names);
    const { run, wait } = admit(ctx, inv, agents);
    for (const kind of ALL_KINDS) {
      const warning = kind.startWarning(ctx, agents.map((a) => a.spec)); // queued ones run later, unattended
      if (warning) ctx.out.warn(warning);
    }
    await enqueue(ctx, wait.map((w) => w.name), inv);
    const result = await upAgents(ctx, inv, run); // takes them out of the queue; agents on hosts are brought up there
    return { agents, result, waits: wait };
  }, waitNotice(ctx));
  for (const w of waits) ctx.out.info(`${w.name}: ${describeWait(w, ctx.layout.layout.max_parallel, ctx.layout.base)}`);
  const ok = agents.length - result.failed.length - waits.length;
  ctx.out.info(
    `${ctx.layout.project}: ${ok}/${agents.length} agent${agents.length === 1 ? '' : 's'} up in tmux session ${ctx.layout.session}` +
      (waits.length ? `; queued: ${waits.map((w) => w.name).join(', ')}` : '') +
      (result.failed.length ? `; failed: ${result.failed.map((f) => f.name).join(', ')}` : ''),
  );
  if (opts.attach !== false && result.sessionId) {
    const shown = await ctx.tmux.show(result.sessionId, result.dashWindowId ?? result.sessionId, {
      isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    });
    if (shown === 'no-terminal') ctx.out.info(`attach with: ${ctx.tmux.attachHint(ctx.layout.session)}`);
  }
  return result.failed.length > 0 ? 1 : 0;
}
