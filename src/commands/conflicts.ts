// treemux conflicts [--json]: which agents touch the same files, and which pairs would conflict on
// merge (and which conflict with the current base), computed by git in memory.
import type { GlobalOptions } from '../project/context.js';
import type { CommandSpec } from './spec.js';

export interface ConflictsOptions extends GlobalOptions {
  json?: boolean;
}

export const spec: CommandSpec<ConflictsOptions> = {
  name: 'conflicts',
  description: 'which agents touch the same files, and which pairs would conflict on merge',
  options: [{ flags: '--json', description: 'print one JSON object' }],
  run: (_args, opts) => conflicts(opts),
};

export async function conflicts(opts: ConflictsOptions): Promise<number> {
  const { openContext } = await import('../project/context.js');
  const { takeInventory } = await import('../agents/inventory.js');
  const { conflictRadar } = await import('../agents/review/conflicts.js');
  const ctx = await openContext(opts);
  // git only: which windows run does not change what would conflict (tmux is not asked)
  const inv = await takeInventory(ctx, { session: null, panes: [] });
  if (inv.agents.some((a) => a.remote)) await (await import('../agents/hosts/remove.js')).bringHome(ctx, inv.agents, (line) => ctx.out.warn(line)); // their branches, fetched home
  const radar = await conflictRadar(ctx, inv.agents);
  if (opts.json) {
    ctx.out.print(JSON.stringify({ project: ctx.layout.project, ...radar }));
    return 0;
  }
  const touching = radar.pairs.filter((p) => p.overlap.length > 0);
  const conflicting = touching.filter((p) => p.conflict);
  for (const p of conflicting) {
    ctx.out.print(`CONFLICT  ${p.a} <-> ${p.b}: ${p.conflicts.join(', ')}`);
  }
  for (const p of touching.filter((x) => !x.conflict)) {
    ctx.out.print(`overlap   ${p.a} <-> ${p.b}: both change ${p.overlap.join(', ')} (merges cleanly)`);
  }
  for (const b of radar.bases.filter((x) => x.conflict)) {
    ctx.out.print(`CONFLICT  ${b.name} <-> ${b.base} (${b.behind} new commit${b.behind === 1 ? '' : 's'} on ${b.base}): ${b.conflicts.join(', ')}`);
  }
  for (const b of radar.bases.filter((x) => !x.conflict && x.behind > 0)) {
    ctx.out.print(`behind    ${b.name}: ${b.behind} new commit${b.behind === 1 ? '' : 's'} on ${b.base} (merges cleanly)`);
  }
  const n = conflicting.length + radar.bases.filter((x) => x.conflict).length;
  ctx.out.print(n === 0 ? `no conflicts among ${radar.bases.length} agents` : `${n} conflicting pair${n === 1 ? '' : 's'}`);
  return 0;
}
