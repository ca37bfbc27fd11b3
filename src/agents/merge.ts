// The merge queue: agents merged into base one at a time, in dependency order, each first in a
// temporary integration worktree where `merge.test` runs; base advances only past what merged and
// passed. Nothing is ever left half-merged: no MERGE_HEAD, no conflict markers, no stash, and the
// user's checkouts are never touched except to fast-forward a clean main checkout.
import { execa } from 'execa';
import { join } from 'node:path';
import { addDetachedWorktree, advanceBranch, aheadCount, commitOf, fastForward, mergeInto } from '../git/index.js';
import { expand } from '../layout/index.js';
import { UserError } from '../util/output.js';
import type { Ctx } from './context.js';
import type { AgentView } from './inventory.js';
import { agentVars } from './spawn.js';
import { stateDir } from './files.js';

export interface MergeOutcome {
  merged: string[];
  /** where it stopped, and why (one line), when it did */
  stopped?: { agent: string; reason: string; details: string[] };
  base: string;
  from: string;
  to: string;
  dryRun: boolean;
  /** the main checkout has base checked out but could not be updated */
  mainNote?: string;
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

export async function mergeQueue(ctx: Ctx, agents: AgentView[], opts: { dryRun: boolean }): Promise<MergeOutcome> {
  const { repo, layout } = ctx;
  const bases = new Set(agents.map((a) => a.spec.base));
  if (bases.size > 1) throw new UserError(`these agents have different bases (${[...bases].join(', ')}): merge them separately`);
  const base = [...bases][0] ?? layout.base;
  const from = await commitOf(repo.root, base);
  const order = dependencyOrder(agents);

  // wherever base is checked out (the main checkout or a linked worktree), it moves with its files,
  // and only when clean: moving the branch under a checkout would make its files look like changes
  const checkout = (await repo.listWorktrees()).find((w) => w.branch === base && !w.bare);
  if (checkout && !opts.dryRun) {
    const dirty = (await repo.workState(checkout.path, base)).uncommitted;
    if (dirty.length > 0) {
      const where = checkout.main ? 'the main checkout' : `the checkout at ${checkout.path}`;
      throw new UserError(`${where} has uncommitted changes on ${base} (${dirty.slice(0, 3).join(', ')}): commit or stash them first; nothing was merged`);
    }
  }

  const integration = join(stateDir(repo.commonDir), `merge-${process.pid}-${Date.now()}`);
  await addDetachedWorktree(repo.root, integration, from);
  const outcome: MergeOutcome = { merged: [], base, from, to: from, dryRun: opts.dryRun };
  try {
    for (const agent of order) {
      const ahead = await aheadCount(repo.root, base, agent.spec.branch);
      if (ahead === 0) {
        ctx.out.info(`${agent.name}: nothing to merge (no commits ahead of ${base})`);
        continue;
      }
      ctx.out.info(`${agent.name}: merging ${agent.spec.branch} (${ahead} commit${ahead === 1 ? '' : 's'})`);
      const step = await mergeInto(integration, agent.spec.branch, `treemux: merge ${agent.name} (${agent.spec.branch})`);
      if (!step.ok) {
        outcome.stopped = step.conflicts.length
          ? { agent: agent.name, reason: `conflicts with what is merged so far in ${step.conflicts.join(', ')}`, details: step.conflicts }
          : { agent: agent.name, reason: `git merge failed: ${step.error ?? 'unknown error'}`, details: [] };
        break;
      }
      const test = layout.layout.merge.test;
      if (test) {
        const r = await execa('sh', ['-c', expand(test, agentVars(ctx, agent.spec))], { cwd: integration, reject: false, all: true, stdin: 'ignore' });
        if (r.exitCode !== 0) {
          const lines = String(r.all ?? '').trim().split('\n').filter(Boolean).slice(-10);
          outcome.stopped = { agent: agent.name, reason: `\`${test}\` failed (exit ${r.exitCode ?? r.signal}) after merging it`, details: lines };
          break;
        }
      }
      outcome.merged.push(agent.name);
      outcome.to = await commitOf(integration, 'HEAD');
    }
  } finally {
    await repo.removeWorktree(integration, { force: true }).catch(() => undefined);
  }

  if (!opts.dryRun && outcome.to !== from) {
    if (checkout) await fastForward(checkout.path, outcome.to); // moves base and that clean checkout together
    else await advanceBranch(repo.root, base, outcome.to, from);
  }
  return outcome;
}
