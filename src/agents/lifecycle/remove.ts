// Remove agents without losing work: refuse a worktree with uncommitted changes or commits not in
// base unless forced; when forced, save a patch and the untracked files to the trash first. The
// branch is kept unless it is fully merged and treemux created it.
import { eachBounded, PARALLEL } from './together.js';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { agentRecords } from '../../project/paths.js';
import type { WorkState } from '../../git/index.js';
import type { State } from '../../state/index.js';
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
export async function findBlockers(ctx: Ctx, agents: AgentView[], known?: WorkStates): Promise<Blocker[]> {
  const work = known ?? (await workStates(ctx, agents));
  return agents.flatMap((agent) => {
    const w = work.get(agent.name);
    return w && (w.uncommitted.length > 0 || w.unmergedCommits > 0 || w.branchDeleted) ? [{ agent, work: w }] : [];
  });
}

/** Each agent's work (uncommitted files, commits not in base), by name: agents without a worktree have none. */
export type WorkStates = Map<string, WorkState>;

/** What each agent's worktree holds, asked of git side by side (up to PARALLEL at once). */
export async function workStates(ctx: Ctx, all: AgentView[]): Promise<WorkStates> {
  const work: WorkStates = new Map();
  const agents = all.filter((a) => !a.remote);
  const remote = all.filter((a) => a.remote);
  if (remote.length > 0) {
    // agents on other hosts: asked there (uncommitted) and here (their branch fetched home)
    const { remoteWork } = await import('../hosts/remove.js');
    for (const agent of remote) {
      // a host that cannot be reached: its work is not known, and its removal fails with the reason
      // (hosts/remove.ts) while the others go on
      const w = await remoteWork(ctx, agent).catch((err: unknown) => {
        if (agent.remote?.unreachable) return undefined;
        throw err; // its work could not be asked: nothing is removed on a guess
      });
      if (w) work.set(agent.name, w);
    }
  }
  await ctx.repo.batch(async () => {
    // every worktree's status at once, through a couple of shells (one failing is asked again on its own)
    const statuses = agents.length > 1 ? await ctx.repo.statuses(agents.flatMap((a) => (a.worktree ? [a.worktree.path] : []))) : new Map<string, string | Error>();
    await eachBounded(agents, PARALLEL, async (agent) => {
      if (!agent.worktree) return;
      const status = statuses.get(agent.worktree.path);
      work.set(agent.name, await ctx.repo.workState(agent.worktree.path, agent.spec.base, { status: typeof status === 'string' ? status : undefined }));
    });
  });
  return work;
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
export async function removeAgent(
  ctx: Ctx,
  agent: AgentView,
  opts: {
    save: boolean;
    /** its work as asked of git before (the commits counted then say whether its branch is merged) */
    work?: WorkState;
    /** its window was killed already (with others, in one tmux call) */
    windowGone?: boolean;
    /** the caller takes it out of state.json (with others, in one write) */
    stateLater?: boolean;
    /** the caller deletes its branch (with others, in one git call): it is put here */
    branchesLater?: string[];
    /** the caller removes its worktree (with others, in one go): it is put here */
    worktreesLater?: string[];
  },
): Promise<Removal> {
  const { repo, tmux } = ctx;
  const result: Removal = { name: agent.name };
  if (agent.worktree && opts.save) {
    const dest = trashDir(ctx, agent.name);
    await repo.saveToTrash(agent.worktree.path, agent.spec.base, dest);
    result.trash = dest;
  }
  if (agent.pane && !opts.windowGone) await tmux.killWindow(agent.pane.window_id);
  // after the window (its connections close with it), before the worktree (a SQLite file is saved from it)
  const released = await release(ctx, agent, { trashDir: result.trash });
  if (released.warnings.length > 0) result.warnings = released.warnings;
  if (agent.worktree && opts.worktreesLater) opts.worktreesLater.push(agent.worktree.path);
  else if (agent.worktree) await repo.removeWorktree(agent.worktree.path, { force: true });
  else if (!existsSync(agent.spec.worktree)) await repo.removeWorktree(agent.spec.worktree); // its folder was deleted by hand: git's entry goes

  const branch = agent.worktree?.branch ?? agent.spec.branch;
  if (await repo.branchExists(branch)) {
    const createdBranch = agent.record?.createdBranch ?? agent.marker?.createdBranch ?? false;
    // its worktree had the branch checked out: the commits counted then say it (no second look)
    const counted = opts.work && !opts.work.branchDeleted && agent.worktree?.branch === branch ? opts.work.unmergedCommits === 0 : undefined;
    const merged = counted ?? (await repo.isMerged(branch, agent.spec.base).catch(() => false)); // not known to be merged (its base gone?): the branch is kept
    if (merged && createdBranch) {
      if (opts.branchesLater) opts.branchesLater.push(branch);
      else await repo.deleteBranch(branch, { force: true });
    } else result.keptBranch = branch;
  }
  await clearRecords(ctx, agent.name, result.trash);
  if (!opts.stateLater) await ctx.state.update((s) => forget(s, [agent.name]));
  return result;
}

/** The agents' records go from state.json (and from its journal and queue). */
function forget(s: State, names: readonly string[]): void {
  for (const name of names) {
    delete s.agents[name];
    if (s.pending?.[name]) delete s.pending[name];
  }
  if (s.queue?.some((n) => names.includes(n))) s.queue = s.queue.filter((n) => !names.includes(n));
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
/** Remove several agents, side by side (up to PARALLEL at once); each failure is reported and the rest go on. */
export async function removeAgents(ctx: Ctx, all: AgentView[], opts: { force: boolean; work?: WorkStates }): Promise<Removal[]> {
  const work = opts.work ?? (await workStates(ctx, all));
  const dirty = new Set((await findBlockers(ctx, all, work)).map((b) => b.agent.name));
  const agents = all.filter((a) => !a.remote);
  const remote: Removal[] = [];
  if (agents.length < all.length) {
    // agents on other hosts go there, one by one (their work brought here first when forced)
    const { removeRemote } = await import('../hosts/remove.js');
    for (const agent of all.filter((a) => a.remote)) {
      remote.push(await removeRemote(ctx, agent, { save: opts.force && dirty.has(agent.name), work: work.get(agent.name), trash: trashDir(ctx, agent.name) }));
    }
  }
  const local = await removeLocal(ctx, agents, { force: opts.force, work, dirty });
  return all.map((a) => local.find((r) => r.name === a.name) ?? remote.find((r) => r.name === a.name)!);
}

async function removeLocal(ctx: Ctx, agents: AgentView[], opts: { force: boolean; work: WorkStates; dirty: Set<string> }): Promise<Removal[]> {
  const { work, dirty } = opts;
  const results: Removal[] = agents.map((a) => ({ name: a.name }));
  // their windows first, in one tmux call: the programs stop before their work is saved and taken away
  const windows = agents.flatMap((a) => (a.pane ? [a.pane.window_id] : []));
  const windowsGone = await ctx.tmux.killWindows(windows).then(() => true, () => false);
  const branches: string[][] = agents.map(() => []);
  const worktrees: string[][] = agents.map(() => []);
  await ctx.repo.batch(() =>
    eachBounded(agents, PARALLEL, async (agent, i) => {
      try {
        results[i] = await removeAgent(ctx, agent, {
          save: opts.force && dirty.has(agent.name),
          work: work.get(agent.name),
          windowGone: windowsGone,
          stateLater: true,
          branchesLater: branches[i],
          worktreesLater: worktrees[i],
        });
      } catch (err) {
        results[i] = { name: agent.name, error: oneLine(err) };
      }
    }),
  );
  // their worktrees in one go (before their branches: a branch checked out in one cannot be deleted)
  const stuck = await ctx.repo.removeWorktrees(worktrees.flat());
  for (const s of stuck) {
    const i = worktrees.findIndex((list) => list.includes(s.path));
    if (i < 0) continue;
    results[i] = { name: agents[i]!.name, error: `its worktree ${s.path} could not be removed: ${s.error}` };
    branches[i] = [];
  }
  // the merged branches treemux made, in one git call; one that could not go is kept, and said
  const gone = await ctx.repo.batch(() => ctx.repo.deleteBranches(branches.flat()));
  for (const g of gone.filter((x) => x.error)) {
    const r = results[branches.findIndex((list) => list.includes(g.name))];
    if (r) r.keptBranch = g.name;
  }
  const removed = results.filter((r) => !r.error).map((r) => r.name);
  if (removed.length > 0) await ctx.state.update((s) => forget(s, removed));
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
