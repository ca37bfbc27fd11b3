// The merge queue: agents merged into base one at a time, in dependency order, each first in a
// temporary integration worktree where `merge.test` runs; base advances only past what merged and
// passed. Nothing is ever left half-merged: no MERGE_HEAD, no conflict markers, no stash, and the
// user's checkouts are never touched except to fast-forward a main checkout whose tracked files are
// clean (untracked files that no merged file would overwrite do not stand in the way).
// A real merge stops at the first failure; a dry run goes on past it (leaving out the agent that
// failed and those that depend on it), so that it tells about every agent in one go.
import { runShell } from '../../host/exec.js';
import { join } from 'node:path';
import { addDetachedWorktree, advanceBranch, aheadCount, branchFiles, checkoutChanges, commitOf, fastForward, filesBetween, mergeInto, resetScratch } from '../../git/index.js';
import { expand } from '../../layout/placeholders.js';
import { UserError } from '../../util/output.js';
import type { Ctx } from '../../project/context.js';
import type { AgentView } from '../inventory.js';
import { agentVars } from '../lifecycle/spawn.js';
import { stateDir } from '../../project/paths.js';
import { violations, type Violation } from './scope.js';

/** What happened to one agent in the queue, as it happens. */
export type MergeStepResult =
  | { agent: string; kind: 'merged'; commits: number; tested: string | null; violations: Violation[] }
  | { agent: string; kind: 'conflict'; commits: number; files: string[]; with: string[] }
  | { agent: string; kind: 'test-failed'; commits: number; test: string; exit: string; lines: string[] }
  | { agent: string; kind: 'failed'; commits: number; error: string }
  /** a dry run leaves out an agent whose dependency could not be merged */
  | { agent: string; kind: 'skipped'; because: string }
  /** it has no commits ahead of base */
  | { agent: string; kind: 'nothing' };

export type Failure = Extract<MergeStepResult, { kind: 'conflict' | 'test-failed' | 'failed' }>;

export interface MergeOutcome {
  merged: string[];
  /** agents that merged with scope violations in their commits */
  violated: { agent: string; violations: Violation[] }[];
  /** where a real merge stopped (a dry run: the first agent that would stop it) */
  stopped?: Failure;
  /** a dry run: every agent that would not merge */
  failures: Failure[];
  skipped: string[];
  /** agents after the stop that were not tried (a real merge) */
  notTried: string[];
  /** a dry run: why a real merge would refuse to start now (the checkout of base is not ready) */
  refusal?: string;
  base: string;
  from: string;
  to: string;
  dryRun: boolean;
}

/** `depends_on` first, then layout order; a cycle is an error (the layout loader refuses them too). */
export function dependencyOrder(agents: AgentView[]): AgentView[] {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const done = new Set<string>();
  const out: AgentView[] = [];
  const visit = (a: AgentView, path: string[]) => {
    if (done.has(a.name)) return;
    if (path.includes(a.name)) throw new UserError(`depends_on cycle: ${[...path, a.name].join(' -> ')}`);
    for (const dep of a.spec.dependsOn) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, a.name]);
    }
    done.add(a.name);
    out.push(a);
  };
  for (const a of [...agents].sort((x, y) => x.spec.index - y.spec.index)) visit(a, []);
  return out;
}

export async function mergeQueue(
  ctx: Ctx,
  agents: AgentView[],
  opts: { dryRun: boolean; onStep?: (step: MergeStepResult) => void },
): Promise<MergeOutcome> {
  const { repo } = ctx;
  const target = await targetOf(ctx, agents, opts.dryRun);
  const integration = join(stateDir(repo.commonDir), `merge-${process.pid}-${Date.now()}`);
  await addDetachedWorktree(repo.root, integration, target.from);
  const { base, from, refusal } = target;
  const outcome: MergeOutcome = { merged: [], violated: [], failures: [], skipped: [], notTried: [], refusal, base, from, to: from, dryRun: opts.dryRun };
  try {
    await mergeInOrder(ctx, integration, target, outcome, (s) => opts.onStep?.(s));
  } finally {
    // a scratch worktree left behind (treemux killed here) is pruned by git; it never holds the user's work
    await repo.removeWorktree(integration, { force: true }).catch(() => undefined);
  }
  if (!opts.dryRun && outcome.to !== from) await land(ctx, target, outcome.to);
  return outcome;
}

/** Where the queue merges to and what stands in its way, before anything is done. */
interface Target {
  base: string;
  from: string;
  order: AgentView[];
  /** the checkout of base, if any: it moves with base */
  checkout?: { path: string; where: string };
  /** each agent's committed files against base */
  files: Map<string, string[]>;
  refusal?: string;
}

async function targetOf(ctx: Ctx, agents: AgentView[], dryRun: boolean): Promise<Target> {
  const { repo, layout } = ctx;
  const bases = new Set(agents.map((a) => a.spec.base));
  if (bases.size > 1) throw new UserError(`these agents have different bases (${[...bases].join(', ')}): merge them separately`);
  const base = [...bases][0] ?? layout.base;
  const from = await commitOf(repo.root, base);
  const order = dependencyOrder(agents);
  // wherever base is checked out (the main checkout or a linked worktree), it moves with its files,
  // and only when its tracked files are clean (moving the branch under a checkout would make its files
  // look like changes) and no file the agents bring in would overwrite an untracked one there
  const wt = (await repo.listWorktrees()).find((w) => w.branch === base && !w.bare);
  const checkout = wt ? { path: wt.path, where: wt.main ? 'the main checkout' : `the checkout at ${wt.path}` } : undefined;
  const files = new Map<string, string[]>();
  // a branch git cannot diff brings no files to check; its merge says why it fails
  for (const agent of order) files.set(agent.name, await branchFiles(repo.root, base, agent.spec.branch).catch(() => [] as string[]));
  let refusal: string | undefined;
  if (checkout) {
    try {
      await refuseDirty(checkout.path, checkout.where, base, [...files.values()].flat());
    } catch (err) {
      if (!dryRun) throw err;
      refusal = (err as Error).message;
    }
  }
  return { base, from, order, checkout, files, refusal };
}

/** Merge each agent in turn in the integration worktree, recording in OUTCOME as it goes. */
async function mergeInOrder(ctx: Ctx, integration: string, target: Target, outcome: MergeOutcome, step: (s: MergeStepResult) => void): Promise<void> {
  const { order, base } = target;
  const changed = new Map<string, string[]>(); // committed files of the agents merged so far
  const left = new Set<string>(); // agents left out (failed, or depend on one that did)
  for (const [i, agent] of order.entries()) {
    const blocking = agent.spec.dependsOn.filter((d) => left.has(d));
    if (blocking.length) {
      left.add(agent.name);
      outcome.skipped.push(agent.name);
      step({ agent: agent.name, kind: 'skipped', because: blocking.join(', ') });
      continue;
    }
    const commits = await aheadCount(ctx.repo.root, base, agent.spec.branch);
    if (commits === 0) {
      step({ agent: agent.name, kind: 'nothing' });
      continue;
    }
    const failure = await mergeOne(ctx, integration, agent, commits, changed);
    if (failure) {
      step(failure);
      outcome.failures.push(failure);
      left.add(agent.name);
      if (!outcome.dryRun) {
        outcome.stopped = failure;
        outcome.notTried = order.slice(i + 1).map((a) => a.name);
        return;
      }
      outcome.stopped ??= failure;
      // the next agents are tried on what merged so far, not on this one's merge or test files
      await resetScratch(integration, outcome.to);
      continue;
    }
    const mine = target.files.get(agent.name) ?? [];
    const found = violations(mine, agent.spec);
    if (found.length) outcome.violated.push({ agent: agent.name, violations: found });
    step({ agent: agent.name, kind: 'merged', commits, tested: ctx.layout.layout.merge.test ?? null, violations: found });
    changed.set(agent.name, mine);
    outcome.merged.push(agent.name);
    outcome.to = await commitOf(integration, 'HEAD');
  }
}

/** Move base to TO: with its checkout's files when it is checked out, else the branch alone. */
async function land(ctx: Ctx, target: Target, to: string): Promise<void> {
  const { checkout, base, from } = target;
  if (!checkout) return advanceBranch(ctx.repo.root, base, to, from);
  // again, just before moving it: the tests may have run for minutes while someone worked there
  await refuseDirty(checkout.path, checkout.where, base, await filesBetween(ctx.repo.root, from, to), true);
  await fastForward(checkout.path, to); // moves base and that checkout together
}

/** Does writing `file` need the place of `untracked` (the same path, or one is a folder of the other)? */
function collides(file: string, untracked: string): boolean {
  const u = untracked.replace(/\/$/, '');
  return file === u || file.startsWith(`${u}/`) || u.startsWith(`${file}/`);
}

/**
 * Refuse a checkout of base with changes to tracked files, or with an untracked file where one of
 * `incoming` (files the merge brings) would go. `after`: the merges were done (only base did not move).
 */
async function refuseDirty(dir: string, where: string, base: string, incoming: string[], after = false): Promise<void> {
  const { tracked, untracked } = await checkoutChanges(dir);
  const nothing = after ? `${base} was not moved (the merges were not kept)` : 'nothing was merged';
  if (tracked.length > 0) {
    throw new UserError(`${where} has uncommitted changes on ${base} (${tracked.slice(0, 3).join(', ')}): commit or stash them first; ${nothing}`);
  }
  const inTheWay = untracked.filter((u) => incoming.some((f) => collides(f, u)));
  if (inTheWay.length > 0) {
    throw new UserError(`${where} has untracked files that the merge would overwrite (${inTheWay.slice(0, 3).join(', ')}): move them away first; ${nothing}`);
  }
}

/** Merge one agent in the integration worktree and run the test; the failure, or null. */
async function mergeOne(
  ctx: Ctx,
  integration: string,
  agent: AgentView,
  commits: number,
  changed: ReadonlyMap<string, string[]>,
): Promise<Failure | null> {
  const r = await mergeInto(integration, agent.spec.branch, `treemux: merge ${agent.name} (${agent.spec.branch})`);
  if (!r.ok) {
    if (!r.conflicts.length) return { agent: agent.name, kind: 'failed', commits, error: r.error ?? 'unknown error' };
    // whose changes it collides with: agents merged before it, else base itself (it moved meanwhile)
    const withAgents = [...changed].filter(([, f]) => f.some((x) => r.conflicts.includes(x))).map(([name]) => name);
    return { agent: agent.name, kind: 'conflict', commits, files: r.conflicts, with: withAgents.length ? withAgents : [agent.spec.base] };
  }
  const test = ctx.layout.layout.merge.test;
  if (!test) return null;
  const t = await runShell(expand(test, agentVars(ctx, agent.spec)), { cwd: integration });
  if (t.exitCode === 0) return null;
  const lines = t.all.trim().split('\n').filter(Boolean).slice(-10);
  return { agent: agent.name, kind: 'test-failed', commits, test, exit: String(t.exitCode ?? t.signal), lines };
}
