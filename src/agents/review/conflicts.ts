// Review before merging: each agent's changed files with scope violations, and the conflict radar
// (every pair of agents, and each agent against the current base), computed by git in memory.
import { aheadCount, branchFiles, branchHeads, changedFilesList, commitOf, committedFilesList, predictMerge } from '../../git/index.js';
import { Verdicts } from './verdicts.js';
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
 * Merge predictions by the pair of commit ids, kept on disk (verdicts.ts): a pair is merged again
 * only when one of them moved, whichever process asked first. Whoever asks again and again (the
 * leading watcher's radar) holds one; each `conflicts` run makes its own over the same file.
 */
export class MergePredictions {
  readonly verdicts: Verdicts;

  constructor(commonDir: string | null = null) {
    this.verdicts = new Verdicts(commonDir);
  }

  predict(root: string, a: string, b: string): Promise<Prediction> {
    return this.verdicts.get(`merge:${[a, b].sort().join(':')}`, async () => {
      const p = await predictMerge(root, a, b);
      return { conflict: !p.clean, conflicts: p.conflicts };
    });
  }
}

/** Every pair of agents with a worktree, and each against its base: what they share and what would conflict. */
export async function conflictRadar(
  ctx: Ctx,
  agents: AgentView[],
  predictions: MergePredictions = new MergePredictions(ctx.repo.commonDir),
): Promise<{ pairs: PairReport[]; bases: BaseReport[] }> {
  const root = ctx.repo.root;
  const v = predictions.verdicts;
  const live = agents.filter((a) => a.worktree);
  const known = await branchHeads(root); // every branch's commit in one call
  const commit = async (ref: string) => known.get(ref) ?? (await commitOf(root, ref));
  const heads = new Map<string, string>();
  const baseHeads = new Map<string, string>();
  const files = new Map<string, Set<string>>();
  for (const a of live) {
    const [head, baseHead] = [await commit(a.spec.branch), await commit(a.spec.base)];
    heads.set(a.name, head);
    baseHeads.set(a.name, baseHead);
    // merges take commits only: the files committed since the branch left base, by the two commits
    // an agent on another host: its branch as fetched home (hosts/remove.ts bringHome)
    const list = () => (a.remote ? branchFiles(root, a.spec.base, a.spec.branch).catch(() => []) : committedFilesList(a.worktree!.path, a.spec.base));
    const changed = head && baseHead ? await v.get(`files:${baseHead}:${head}`, list) : await list();
    files.set(a.name, new Set(changed));
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
    const [head, baseHead] = [heads.get(a.name)!, baseHeads.get(a.name)!];
    // base commits the agent does not have
    const behind = head && baseHead ? await v.get(`behind:${head}:${baseHead}`, () => aheadCount(root, a.spec.branch, baseHead)) : await aheadCount(root, a.spec.branch, baseHead);
    const p = behind > 0 ? await predictions.predict(root, baseHead, head) : { conflict: false, conflicts: [] };
    bases.push({ name: a.name, base: a.spec.base, behind, ...p });
  }
  await v.save();
  return { pairs, bases };
}
