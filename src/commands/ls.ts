// treemux ls [--json]: every agent with branch, worktree, status and last line. The facts come from
// agents/listing.ts; here they become a table for the terminal.
import type { GlobalOptions } from '../project/context.js';
import { treemuxLine } from '../util/invocation.js';
import type { CommandSpec } from './spec.js';

export interface LsOptions extends GlobalOptions {
  json?: boolean;
}

export const spec: CommandSpec<LsOptions> = {
  name: 'ls',
  description: 'every agent with branch, worktree, status and last line',
  options: [{ flags: '--json', description: 'print one JSON object' }],
  run: (_args, opts) => ls(opts),
};

export async function ls(opts: LsOptions): Promise<number> {
  const { openContext, shown } = await import('../project/context.js');
  const { listAgents } = await import('../agents/listing.js');
  const ctx = await openContext(opts);
  const data = await listAgents(ctx);
  if (opts.json) {
    ctx.out.print(JSON.stringify(data));
    return 0;
  }
  if (data.agents.length === 0) {
    ctx.out.print(`${data.project}: no agents (add some to the layout, then \`${treemuxLine(['up'])}\`)`);
    return 0;
  }
  // a HOST column once an agent runs elsewhere (a worktree there is shown as HOST:PATH's path there)
  const hosts = data.agents.some((a) => a.host !== 'local');
  const rows = data.agents.map((a) => [
    a.name,
    ...(hosts ? [a.host] : []),
    a.created || a.status === 'queued' ? a.status : 'not created',
    a.branch,
    Object.entries(a.ports).map(([n, p]) => `${n}:${p}`).join(' ') || '-',
    a.database?.name ?? '-',
    !a.created ? '-' : a.host !== 'local' ? a.worktree : ctx.cwd === a.worktree ? '.' : shown(a.worktree, ctx.cwd),
    a.lastLine,
  ]);
  ctx.out.print(table([['AGENT', ...(hosts ? ['HOST'] : []), 'STATUS', 'BRANCH', 'PORTS', 'DATABASE', 'WORKTREE', 'LAST LINE'], ...rows]));
  return 0;
}

/** Columns padded to their widest cell, two spaces apart; the last one is not padded. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}
