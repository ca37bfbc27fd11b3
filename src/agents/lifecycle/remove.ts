// Remove agents without losing work: refuse a worktree with uncommitted changes or commits not in
// base unless forced; when forced, save a patch and the untracked files to the trash first. The
// branch is kept unless it is fully merged and treemux created it.
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { agentRecords } from '../../project/paths.js';
import type { WorkState } from '../../git/index.js';
import { oneLine } from '../../util/output.js';
import type { Ctx } from '../../project/context.js';
import type { AgentView } from '../inventory.js';
import { release } from './isolation.js';

export interface Blocker {
  agent: AgentView;
  work: WorkState;
}

export function trashDir(ctx: Ctx, name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return join(ctx.repo.commonDir, 'treemux', 'trash', `${name}-${stamp}`);
}

/** What would be lost by removing each agent (agents with nothing to lose are left out). */
export async function findBlockers(ctx: Ctx, agents: AgentView[]): Promise<Blocker[]> {
  const blockers: Blocker[] = [];
  for (const agent of agents) {
    if (!agent.worktree) continue;
    const work = await ctx.repo.workState(agent.worktree.path, agent.spec.base);
    if (work.uncommitted.length > 0 || work.unmergedCommits > 0 || work.branchDeleted) blockers.push({ agent, work });
  }
  return blockers;
}

export function describeBlocker({ agent, work }: Blocker): string {
  const parts: string[] = [];
  if (work.uncommitted.length > 0) {
    const files = work.uncommitted.slice(0, 3).join(', ') + (work.uncommitted.length > 3 ? ', …' : '');
    parts.push(`${work.uncommitted.length} uncommitted file${work.uncommitted.length === 1 ? '' : 's'} (${files})`);
  }
  if (work.unmergedCommits > 0) {
    parts.push(`${work.unmergedCommits} commit${work.unmergedCommits === 1 ? '' : 's'} not in ${agent.spec.base}`);
  }
  if (work.branchDeleted) {
    const at = work.branchDeleted.lastCommit ? `, last at ${work.branchDeleted.lastCommit.slice(0, 12)}` : '';
    parts.push(`a branch that was deleted by hand (${agent.worktree?.branch ?? agent.spec.branch}${at})`);
  }
  return `${agent.name} has ${parts.join(' and ')}`;
}

export interface Removal {
  name: string;
  trash?: string;
  keptBranch?: string;
  /** it was removed, but something it held could not be given back */
  warnings?: string[];
  error?: string;
}

/** Remove one agent (the caller has decided it may be removed). */
export async function removeAgent(ctx: Ctx, agent: AgentView, opts: { save: boolean }): Promise<Removal> {
  const { repo, tmux } = ctx;
  const result: Removal = { name: agent.name };
  if (agent.worktree && opts.save) {
    const dest = trashDir(ctx, agent.name);
    await repo.saveToTrash(agent.worktree.path, agent.spec.base, dest);
    result.trash = dest;
  }
  if (agent.pane) await tmux.killWindow(agent.pane.window_id);
  // after the window (its connections close with it), before the worktree (a SQLite file is saved from it)
  const released = await release(ctx, agent, { trashDir: result.trash });
  if (released.warnings.length > 0) result.warnings = released.warnings;
  if (agent.worktree) await repo.removeWorktree(agent.worktree.path, { force: true });
  else if (!existsSync(agent.spec.worktree)) await repo.removeWorktree(agent.spec.worktree); // its folder was deleted by hand: git's entry goes

  const branch = agent.worktree?.branch ?? agent.spec.branch;
  if (await repo.branchExists(branch)) {
    const createdBranch = agent.record?.createdBranch ?? agent.marker?.createdBranch ?? false;
    const merged = await repo.isMerged(branch, agent.spec.base).catch(() => false); // not known to be merged (its base gone?): the branch is kept
    if (merged && createdBranch) await repo.deleteBranch(branch, { force: true });
    else result.keptBranch = branch;
  }
  await clearRecords(ctx, agent.name, result.trash);
  await ctx.state.update((s) => {
    delete s.agents[agent.name];
    if (s.pending?.[agent.name]) delete s.pending[agent.name];
    if (s.queue?.includes(agent.name)) s.queue = s.queue.filter((n) => n !== agent.name);
  });
  return result;
}

/**
 * The agent's log, raw events and hook events go with it (a new agent of that name starts with none):
 * into the trash beside its saved work, else away.
 */
async function clearRecords(ctx: Ctx, name: string, trash: string | undefined): Promise<void> {
  for (const file of agentRecords(ctx.repo.commonDir, name)) {
    if (trash) await rename(file, join(trash, basename(dirname(file)) === 'events' ? 'events.jsonl' : basename(file))).catch(() => undefined); // it never had this file (no hook events, say): nothing to keep
    await rm(file, { force: true });
  }
}

/** Remove several agents; each failure is reported and the rest go on. */
export async function removeAgents(ctx: Ctx, agents: AgentView[], opts: { force: boolean }): Promise<Removal[]> {
  const dirty = new Set((await findBlockers(ctx, agents)).map((b) => b.agent.name));
  const results: Removal[] = [];
  for (const agent of agents) {
    try {
      results.push(await removeAgent(ctx, agent, { save: opts.force && dirty.has(agent.name) }));
    } catch (err) {
      results.push({ name: agent.name, error: oneLine(err) });
    }
  }
  return results;
}

export function describeRemoval(r: Removal, cwdShown: (p: string) => string): string {
  if (r.error) return `${r.name}: not removed: ${r.error}`;
  const bits = [`${r.name}: removed`];
  if (r.trash) bits.push(`work saved in ${cwdShown(r.trash)}`);
  if (r.keptBranch) bits.push(`kept branch ${r.keptBranch}`);
  for (const w of r.warnings ?? []) bits.push(`warning: ${w}`);
  return bits.join('; ');
}
