// Adding one agent now (`treemux add`, the dashboard's `n`): it lives in the state (and its
// worktree marker) until `--save` writes it into the layout file.
import { AGENT_NAME_RE } from '../../layout/names.js';
import { resolveAgent } from '../../layout/resolve.js';
import { saveAgents } from '../../layout/save.js';
import { UserError } from '../../util/output.js';
import type { Ctx } from '../../project/context.js';
import { blankAgent, ctxOf, takeInventory, type AgentView } from '../inventory.js';
import { upAgents, type UpResult } from './up.js';
import { admit, describeWait, enqueue } from './startQueue.js';

export interface AddOptions {
  task?: string;
  base?: string;
  save?: boolean;
}

export async function addAgent(ctx: Ctx, name: string, opts: AddOptions): Promise<UpResult> {
  if (!AGENT_NAME_RE.test(name)) throw new UserError(`agent name "${name}" must match [a-z0-9][a-z0-9-]*`);
  return ctx.state.exclusive(async () => {
    const inv = await takeInventory(ctx);
    if (inv.agents.some((a) => a.name === name)) throw new UserError(`an agent named ${name} already exists`);
    const entry = { ...blankAgent(name), task: opts.task ?? '', ...(opts.base ? { base: opts.base } : {}) };
    const spec = resolveAgent(ctx.layout.layout, ctxOf(ctx), entry, inv.agents.length + 1);
    if (spec.mode === 'headless' && spec.task.trim() === '') throw new UserError(`${name} would run headless (the layout's agent.mode) and needs a task: --task TEXT`);
    if (!(await ctx.repo.branchExists(spec.base))) throw new UserError(`base branch "${spec.base}" does not exist`);
    const view: AgentView = { name, spec, inLayout: false, status: 'stopped' };
    inv.agents.push(view);
    const { wait } = admit(ctx, inv, [view]);
    let result: UpResult;
    if (wait[0]) {
      // no free slot under max_parallel: it waits in the queue, known by its record until it starts
      await ctx.state.update((s) => {
        s.agents[name] = {
          name,
          branch: spec.branch,
          base: spec.base,
          worktree: spec.worktree,
          task: spec.task,
          source: 'added',
          createdAt: new Date().toISOString(),
          createdBranch: false,
        };
      });
      await enqueue(ctx, [name], inv);
      ctx.out.info(`${name}: ${describeWait(wait[0], ctx.layout.layout.max_parallel, spec.base)}`);
      result = { sessionId: inv.session?.id ?? '', dashWindowId: null, failed: [], started: [] };
    } else result = await upAgents(ctx, inv, [view]);
    if (result.failed.length === 0 && opts.save) {
      await saveAgents(ctx.layoutFile, [{ name, task: opts.task, base: opts.base }]);
      ctx.out.info(`${name}: saved into ${ctx.layout.file}`);
    }
    return result;
  });
}
