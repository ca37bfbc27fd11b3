// treemux ls [--json]: every agent with branch, worktree, status and last line.
import type { Ctx, GlobalOptions } from '../project/context.js';
import type { AgentView } from '../agents/inventory.js';
import { join } from 'node:path';
import { treemuxLine } from '../util/invocation.js';
import type { CommandSpec } from './spec.js';

export interface LsOptions extends GlobalOptions {
  json?: boolean;
}

export interface AgentJson {
  name: string;
  branch: string;
  base: string;
  worktree: string;
  window: string | null;
  ports: Record<string, number>;
  database: { kind: string; name: string | null; url: string | null } | null;
  status: string;
  lastLine: string;
  created: boolean;
  exitCode: number | null;
  mode: 'interactive' | 'headless';
  /** the outcome once known (a headless result, an exit status); null before */
  ok: boolean | null;
  /** Claude Code's own cost figure for a headless agent's runs */
  costUsd: number | null;
}

export const spec: CommandSpec<LsOptions> = {
  name: 'ls',
  description: 'every agent with branch, worktree, status and last line',
  options: [{ flags: '--json', description: 'print one JSON object' }],
  run: (_args, opts) => ls(opts),
};

export async function listAgents(ctx: Ctx): Promise<{ project: string; session: string; agents: AgentJson[] }> {
  const { takeInventory } = await import('../agents/inventory.js');
  const { Observer } = await import('../agents/status/watcher.js');
  const { maskUrl } = await import('../db/index.js');
  const inv = await takeInventory(ctx);
  // the watcher's own rules, observed once: one capture per live agent (ls runs once, it does not poll)
  const rows = await new Observer(ctx).rows(inv, inv.panes, (paneId) => ctx.tmux.capturePane(paneId, 60));
  return {
    project: ctx.layout.project,
    session: ctx.layout.session,
    agents: inv.agents.map((a, i) => ({
      name: a.name,
      branch: a.spec.branch,
      base: a.spec.base,
      worktree: a.spec.worktree,
      window: a.pane ? a.name : null,
      ports: a.record?.ports ?? {},
      database: rows[i]!.created ? databaseOf(ctx, a, maskUrl) : null,
      status: rows[i]!.status,
      lastLine: rows[i]!.lastLine,
      created: rows[i]!.created,
      exitCode: rows[i]!.exitCode,
      mode: rows[i]!.mode,
      ok: rows[i]!.ok,
      costUsd: rows[i]!.costUsd,
    })),
  };
}

/** The agent's database with any password masked; before it exists, what it will be where known. */
function databaseOf(ctx: Ctx, a: AgentView, maskUrl: (url: string) => string): AgentJson['database'] {
  const made = a.record?.database;
  if (made) return { kind: made.kind, name: made.name, url: maskUrl(made.url) };
  const db = ctx.layout.layout.database;
  if (db.kind === 'none') return null;
  if (db.kind === 'sqlite') return { kind: 'sqlite', name: db.path, url: `file:${join(a.spec.worktree, db.path)}` };
  return { kind: db.kind, name: null, url: null };
}

export async function ls(opts: LsOptions): Promise<number> {
  const { openContext, shown } = await import('../project/context.js');
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
  const rows = data.agents.map((a) => [
    a.name,
    a.created || a.status === 'queued' ? a.status : 'not created',
    a.branch,
    Object.entries(a.ports).map(([n, p]) => `${n}:${p}`).join(' ') || '-',
    a.database?.name ?? '-',
    a.created ? (ctx.cwd === a.worktree ? '.' : shown(a.worktree, ctx.cwd)) : '-',
    a.lastLine,
  ]);
  ctx.out.print(table([['AGENT', 'STATUS', 'BRANCH', 'PORTS', 'DATABASE', 'WORKTREE', 'LAST LINE'], ...rows]));
  return 0;
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}
