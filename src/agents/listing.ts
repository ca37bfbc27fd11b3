// What `treemux ls` says about each agent (and `ls --json` prints as it is): its branch, worktree,
// window, ports, database, and the watcher's status, observed once.
import { join } from 'node:path';
import { maskUrl } from '../db/mask.js';
import type { Ctx } from '../project/context.js';
import type { ResolvedAgent } from '../layout/index.js';
import type { AgentRow } from './status/snapshot.js';
import { exactSnapshot } from './status/fresh.js';

export interface AgentJson {
  name: string;
  branch: string;
  base: string;
  worktree: string;
  window: string | null;
  /** where it runs: `local`, or a name under hosts: (its worktree is a path there) */
  host: string;
  /** its agent kind: claude, codex, gemini, opencode or other */
  kind: string;
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

export interface AgentListing {
  project: string;
  session: string;
  agents: AgentJson[];
}

/**
 * Every agent as `ls` shows it. While a dashboard (the leading watcher) runs and its snapshot
 * answers for this layout and state (status/fresh.ts), its rows are read from there: no tmux, git or
 * screen is touched. Otherwise the watcher's own rules are applied once, here.
 */
export async function listAgents(ctx: Ctx): Promise<AgentListing> {
  const snapshot = await exactSnapshot(ctx);
  if (snapshot) return listing(ctx, ctx.layout.agents.map((spec, i) => ({ spec, made: snapshot.agents[i]!.db, row: snapshot.agents[i]! })));
  const { takeInventory } = await import('./inventory.js');
  const { Observer } = await import('./status/observer.js');
  const inv = await takeInventory(ctx);
  // one capture per live agent (ls runs once, it does not poll)
  const rows = await new Observer(ctx).rows(inv, inv.panes, (paneId) => ctx.tmux.capturePane(paneId, 60));
  return listing(ctx, inv.agents.map((a, i) => ({ spec: a.spec, made: a.record?.database, row: rows[i]! })));
}

/** Each agent: its spec, its database as made (if it was), and its row. */
type Listed = { spec: ResolvedAgent; made: { kind: string; name: string; url: string } | undefined; row: AgentRow };

function listing(ctx: Ctx, agents: Listed[]): AgentListing {
  return {
    project: ctx.layout.project,
    session: ctx.layout.session,
    agents: agents.map(({ spec, made, row }) => ({
      name: spec.name,
      branch: spec.branch,
      base: spec.base,
      // a worktree on another host: its path there (`~` expanded once the host was looked at)
      worktree: row.created || spec.host !== 'local' ? row.worktree || spec.worktree : spec.worktree,
      window: row.hasWindow ? spec.name : null,
      host: row.host ?? spec.host,
      kind: spec.kind,
      ports: row.ports,
      database: row.created ? databaseOf(ctx, spec, made) : null,
      status: row.status,
      lastLine: row.lastLine,
      created: row.created,
      exitCode: row.exitCode,
      mode: row.mode,
      ok: row.ok,
      costUsd: row.costUsd,
    })),
  };
}

/** The agent's database with any password masked; before it exists, what it will be where known. */
function databaseOf(ctx: Ctx, spec: ResolvedAgent, made: Listed['made']): AgentJson['database'] {
  if (made) return { kind: made.kind, name: made.name, url: maskUrl(made.url) };
  const db = ctx.layout.layout.database;
  if (db.kind === 'none') return null;
  if (db.kind === 'sqlite') return { kind: 'sqlite', name: db.path, url: `file:${join(spec.worktree, db.path)}` };
  return { kind: db.kind, name: null, url: null };
}
