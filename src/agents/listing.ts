// What `treemux ls` says about each agent (and `ls --json` prints as it is): its branch, worktree,
// window, ports, database, and the watcher's status, observed once.
import { join } from 'node:path';
import { maskUrl } from '../db/index.js';
import type { Ctx } from '../project/context.js';
import { takeInventory, type AgentView } from './inventory.js';
import { Observer } from './status/watcher.js';

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

export interface AgentListing {
  project: string;
  session: string;
  agents: AgentJson[];
}

export async function listAgents(ctx: Ctx): Promise<AgentListing> {
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
      database: rows[i]!.created ? databaseOf(ctx, a) : null,
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
function databaseOf(ctx: Ctx, a: AgentView): AgentJson['database'] {
  const made = a.record?.database;
  if (made) return { kind: made.kind, name: made.name, url: maskUrl(made.url) };
  const db = ctx.layout.layout.database;
  if (db.kind === 'none') return null;
  if (db.kind === 'sqlite') return { kind: 'sqlite', name: db.path, url: `file:${join(a.spec.worktree, db.path)}` };
  return { kind: db.kind, name: null, url: null };
}
