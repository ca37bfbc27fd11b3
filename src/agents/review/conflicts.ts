// Review before merging: each agent's changed files with scope violations, and the conflict radar
// (every pair of agents, and each agent against the current base), computed by git in memory.
import { aheadCount, changedFilesList, commitOf, committedFilesList, predictMerge } from '../../git/index.js';
import type { Ctx } from '../../project/context.js';
import type { AgentView } from '../inventory.js';
import { violations, type Violation } from './scope.js';

export interface AgentDiff {
  name: string;
  branch: string;
  base: string;
  committed: string[];
  uncommitted: string[];
  violations: Violation[];
}

export async function diffOf(agent: AgentView): Promise<AgentDiff> {
  const wt = agent.worktree!.path;
  const { committed, uncommitted } = await changedFilesList(wt, agent.spec.base);
  const all = [...new Set([...committed, ...uncommitted])];
  return {
    name: agent.name,
    branch: agent.spec.branch,
    base: agent.spec.base,
    committed,
    uncommitted,
    violations: violations(all, agent.spec),
  };
}

export interface PairReport {
  a: string;
  b: string;
  /** files both changed (committed) */
  overlap: string[];
  conflict: boolean;
  conflicts: string[];
}

export interface BaseReport {
  name: string;
  base: string;
  /** base moved since the agent branched */
  behind: number;
  conflict: boolean;
  conflicts: string[];
}

/** A predicted merge of two commits: whether it conflicts, and in which files. */
export interface Prediction {
  conflict: boolean;
  conflicts: string[];
}

/**
 * Merge predictions cached by the pair of commit ids: a pair is computed again only when one moved.
 * Whoever asks again and again (the leading watcher's radar) holds one; a one-off caller gets a new one.
 */
export class MergePredictions {
  private cache = new Map<string, Prediction>();

  async predict(root: string, a: string, b: string): Promise<Prediction> {
    const key = [a, b].sort().join(':');
    const hit = this.cache.get(key);
    if (hit) return hit;
    const p = await predictMerge(root, a, b);
    const value = { conflict: !p.clean, conflicts: p.conflicts };
    this.cache.set(key, value);
    return value;
  }
}

/** Every pair of agents with a worktree, and each against its base: what they share and what would conflict. */
export async function conflictRadar(
  ctx: Ctx,
  agents: AgentView[],
  predictions: MergePredictions = new MergePredictions(),
): Promise<{ pairs: PairReport[]; bases: BaseReport[] }> {
  const root = ctx.repo.root;
  const live = agents.filter((a) => a.worktree);
  const heads = new Map<string, string>();
  const files = new Map<string, Set<string>>();
  for (const a of live) {
    heads.set(a.name, await commitOf(root, a.spec.branch));
    files.set(a.name, new Set(await committedFilesList(a.worktree!.path, a.spec.base))); // merges take commits only
  }
  const pairs: PairReport[] = [];
  for (let i = 0; i < live.length; i++) {
    for (let j = i + 1; j < live.length; j++) {
      const [a, b] = [live[i]!, live[j]!];
      const overlap = [...files.get(a.name)!].filter((f) => files.get(b.name)!.has(f)).sort();
      const p = overlap.length ? await predictions.predict(root, heads.get(a.name)!, heads.get(b.name)!) : { conflict: false, conflicts: [] };
      pairs.push({ a: a.name, b: b.name, overlap, ...p });
    }
  }
  const bases: BaseReport[] = [];
  for (const a of live) {
    const baseHead = await commitOf(root, a.spec.base);
    const behind = await aheadCount(root, a.spec.branch, baseHead); // base commits the agent does not have
    const p = behind > 0 ? await predictions.predict(root, baseHead, heads.get(a.name)!) : { conflict: false, conflicts: [] };
    bases.push({ name: a.name, base: a.spec.base, behind, ...p });
  }
  return { pairs, bases };
}
