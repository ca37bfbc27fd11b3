// treemux save: write the agents that exist now back into the layout file, keeping its comments.
import { readFile } from 'node:fs/promises';
import { rewriteOwnFile } from '../host/fs.js';
import { openContext, type GlobalOptions } from '../project/context.js';
import { takeInventory } from '../agents/inventory.js';
import { appendAgent } from '../layout/save.js';

export async function save(opts: GlobalOptions): Promise<number> {
  const ctx = await openContext(opts);
  const inv = await takeInventory(ctx);
  const missing = inv.agents.filter((a) => !a.inLayout && (a.worktree || a.pane));
  if (missing.length === 0) {
    ctx.out.print(`${ctx.layout.file}: every agent is already in it`);
    return 0;
  }
  let text = await readFile(ctx.layoutFile, 'utf8');
  for (const a of missing) text = appendAgent(text, { name: a.name, task: a.spec.task || undefined, base: a.spec.base !== ctx.layout.base ? a.spec.base : undefined });
  await rewriteOwnFile(ctx.layoutFile, text);
  ctx.out.print(`${ctx.layout.file}: saved ${missing.map((a) => a.name).join(', ')}`);
  return 0;
}
