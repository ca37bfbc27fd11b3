// What `up` writes into state.json about an agent: the journal entry before its worktree is made
// (so a run killed right after git made the branch still knows it made it), then its record.
import { withoutPassword, type DbInfo } from '../../db/index.js';
import type { RunRecord } from '../../state/index.js';
import type { Ctx } from '../../project/context.js';
import type { AgentView } from '../inventory.js';
import type { Isolation } from './isolation.js';

/** What `up` has learnt and made of an agent so far. */
export interface Facts {
  createdBranch: boolean;
  createdAt: string;
  source: 'layout' | 'added';
  iso: Isolation;
  setup?: 'ok' | 'failed';
  failure?: string;
  /** a headless run starting now (undefined: the record's run is kept) */
  run?: RunRecord;
}

/** The journal, before git makes the worktree (and maybe the branch). */
export async function journalPending(ctx: Ctx, agent: AgentView, source: 'layout' | 'added', createdBranch: boolean): Promise<void> {
  const spec = agent.spec;
  await ctx.state.update((s) => {
    s.pending ??= {};
    s.pending[agent.name] = {
      name: agent.name,
      branch: spec.branch,
      base: spec.base,
      worktree: spec.worktree,
      task: spec.task,
      source,
      createdBranch,
      at: new Date().toISOString(),
    };
  });
}

/** A headless run starting now, counting on from the previous one (when its worktree is not new). */
export function startingRun(previous: RunRecord | undefined): RunRecord {
  return { ...previous, phase: 'starting', runs: (previous?.runs ?? 0) + 1, startedAt: new Date().toISOString(), endedAt: undefined, ok: undefined };
}

export async function record(
  ctx: Ctx,
  agent: AgentView,
  facts: Facts,
  pane: { window_id: string; pane_id: string } | undefined,
): Promise<void> {
  await ctx.state.update((s) => {
    s.project = ctx.layout.project;
    if (s.pending?.[agent.name]) {
      delete s.pending[agent.name]; // the record says it all now
      if (Object.keys(s.pending).length === 0) delete s.pending;
    }
    s.agents[agent.name] = {
      ...s.agents[agent.name], // keeps what others wrote (the Claude session id from its hook)
      name: agent.name,
      branch: agent.spec.branch,
      base: agent.spec.base,
      worktree: agent.spec.worktree,
      task: agent.spec.task,
      source: facts.source,
      createdAt: facts.createdAt,
      createdBranch: facts.createdBranch,
      windowId: pane?.window_id,
      paneId: pane?.pane_id,
      ports: facts.iso.ports,
      // no password in state.json
      database: facts.iso.database ? storedDatabase(facts.iso.database) : undefined,
      redis: facts.iso.redis ?? undefined,
      setup: facts.setup,
      failure: facts.failure,
      ...(facts.run ? { run: facts.run } : {}),
    };
  });
}

/**
 * What state.json keeps of an agent's database: the URL without its password (PostgreSQL's and
 * MySQL's come back from the layout's URL to drop it; a command provider's `drop` gets {db.url}
 * without it).
 */
function storedDatabase(db: DbInfo): DbInfo {
  return { ...db, url: withoutPassword(db.url) };
}
