// treemux diff [AGENT] [--json]: files each agent changed against its base, scope violations marked.
import type { GlobalOptions } from '../project/context.js';
import type { AgentDiff } from '../agents/review/conflicts.js';
import type { CommandSpec } from './spec.js';

export interface DiffOptions extends GlobalOptions {
  json?: boolean;
}

export const spec: CommandSpec<DiffOptions> = {
  name: 'diff',
  description: 'files each agent changed against its base, scope violations marked',
  arguments: [{ name: '[agents...]' }],
  options: [{ flags: '--json', description: 'print one JSON object' }],
  run: (args, opts) => diff(args, opts),
};

export async function diff(names: string[], opts: DiffOptions): Promise<number> {
  const { openContext } = await import('../project/context.js');
  const { pick, takeInventory } = await import('../agents/inventory.js');
  const { diffOf } = await import('../agents/review/conflicts.js');
  const ctx = await openContext(opts);
  const agents = pick(await takeInventory(ctx), names).filter((a) => a.worktree);
  const diffs: AgentDiff[] = [];
  for (const a of agents) {
    if (!a.remote) {
      diffs.push(await diffOf(a));
      continue;
    }
    // an agent on another host: its worktree asked there, its branch fetched home
    const { remoteChanges } = await import('../agents/hosts/remove.js');
    const { violations } = await import('../agents/review/scope.js');
    const { committed, uncommitted } = await remoteChanges(ctx, a);
    diffs.push({ name: a.name, branch: a.spec.branch, base: a.spec.base, committed, uncommitted, violations: violations([...new Set([...committed, ...uncommitted])], a.spec) });
  }
  if (opts.json) {
    ctx.out.print(JSON.stringify({ project: ctx.layout.project, agents: diffs }));
    return 0;
  }
  for (const d of diffs) {
    const files = [...new Set([...d.committed, ...d.uncommitted])].sort();
    const flagged = new Map(d.violations.map((v) => [v.file, v.why]));
    const head = `${d.name} (${d.branch} vs ${d.base}): ${files.length} file${files.length === 1 ? '' : 's'} changed` +
      ` (${d.committed.length} committed, ${d.uncommitted.length} uncommitted)` +
      (d.violations.length ? `, ${d.violations.length} scope violation${d.violations.length === 1 ? '' : 's'}` : '');
    ctx.out.print(head);
    for (const f of files) {
      const why = flagged.get(f);
      const state = d.uncommitted.includes(f) ? (d.committed.includes(f) ? 'committed+uncommitted' : 'uncommitted') : 'committed';
      ctx.out.print(`  ${why ? '!' : ' '} ${f}  (${state})${why ? `  SCOPE VIOLATION: ${why}` : ''}`);
    }
  }
  return 0;
}
