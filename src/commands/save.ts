// treemux save: write the agents that exist now back into the layout file, keeping its comments.
import type { GlobalOptions } from '../project/context.js';
import type { CommandSpec } from './spec.js';

export const spec: CommandSpec = {
  name: 'save',
  description: 'write the agents that exist now (added ones too) into the layout file, keeping its comments',
  run: (_args, opts) => save(opts),
};

export async function save(opts: GlobalOptions): Promise<number> {
  const { openContext } = await import('../project/context.js');
  const { takeInventory } = await import('../agents/inventory.js');
  const { saveAgents } = await import('../layout/save.js');
  const ctx = await openContext(opts);
  const inv = await takeInventory(ctx);
  const missing = inv.agents.filter((a) => !a.inLayout && (a.worktree || a.pane));
  if (missing.length === 0) {
    ctx.out.print(`${ctx.layout.file}: every agent is already in it`);
    return 0;
  }
  await saveAgents(
    ctx.layoutFile,
    missing.map((a) => ({ name: a.name, task: a.spec.task || undefined, base: a.spec.base !== ctx.layout.base ? a.spec.base : undefined })),
  );
  ctx.out.print(`${ctx.layout.file}: saved ${missing.map((a) => a.name).join(', ')}`);
  return 0;
}
