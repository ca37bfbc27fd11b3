// treemux merge [AGENT…] [--dry-run] [--cleanup]: merge in dependency order, testing after each.
// Every line goes to stdout as it happens (one stream, so in order): a line per agent, then what
// happened in all, then what to do next when it stopped.
import type { GlobalOptions } from '../project/context.js';
import type { AgentView } from '../agents/inventory.js';
import type { Failure, MergeOutcome, MergeStepResult } from '../agents/review/mergeQueue.js';
import type { Violation } from '../agents/review/scope.js';
import { UserError } from '../util/output.js';
import { shellLine, treemuxLine } from '../util/invocation.js';
import type { CommandSpec } from './spec.js';

export interface MergeOptions extends GlobalOptions {
  dryRun?: boolean;
  cleanup?: boolean;
}

export const spec: CommandSpec<MergeOptions> = {
  name: 'merge',
  description: 'merge agents into base in dependency order, testing after each; stop at the first failure',
  arguments: [{ name: '[agents...]', description: 'default: every agent with commits ahead of base' }],
  options: [
    { flags: '--dry-run', description: 'do everything but move base' },
    { flags: '--cleanup', description: 'then remove the merged agents like rm' },
  ],
  run: (args, opts) => merge(args, opts),
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describeViolations(v: readonly Violation[]): string {
  const shown = v.slice(0, 3).map((x) => `${x.file} ${x.why}`).join(', ');
  return `${plural(v.length, 'scope violation')}: ${shown}${v.length > 3 ? ', …' : ''}`;
}

/** Why an agent did not merge, in one line. */
export function failureText(f: Failure): string {
  switch (f.kind) {
    case 'conflict': return `conflicts with ${f.with.join(', ')} in ${f.files.join(', ')}`;
    case 'test-failed': return `\`${f.test}\` failed (exit ${f.exit}) after merging it`;
    case 'failed': return `git merge failed: ${f.error}`;
  }
}

function stepLines(s: MergeStepResult, dryRun: boolean): string[] {
  switch (s.kind) {
    case 'merged': {
      const tested = s.tested ? `, \`${s.tested}\` passed` : '';
      const warn = s.violations.length ? ` — ⚠ ${describeViolations(s.violations)}` : '';
      return [`${s.agent}: ${dryRun ? 'would merge' : 'merged'} (${plural(s.commits, 'commit')})${tested}${warn}`];
    }
    case 'skipped':
      return [`${s.agent}: left out (it depends on ${s.because}, which would not merge)`];
    case 'nothing':
      return [`${s.agent}: nothing to merge (no commits ahead of its base)`];
    default:
      return [`${s.agent}: ${dryRun ? 'would stop here' : 'STOPPED'}: ${failureText(s)}`, ...(s.kind === 'test-failed' ? s.lines.map((l) => `  ${l}`) : [])];
  }
}

/** How to get a failed agent merged. */
function nextSteps(f: Failure, agent: AgentView | undefined, base: string): string[] {
  if (!agent?.worktree) {
    // its branch is all there is: bring the agent back first, in a worktree on that branch
    return [`to merge ${f.agent}: \`${treemuxLine(['up', f.agent])}\` brings it back on its branch, to work on it there; then run \`${treemuxLine(['merge'])}\` again`];
  }
  const cd = `cd ${shellLine([agent.worktree.path])} && `;
  switch (f.kind) {
    case 'conflict':
      return [
        `to merge ${f.agent}: bring ${base} into its branch and resolve the conflict there, yourself:`,
        `  ${cd}git merge ${shellLine([base])}`,
        `or ask the agent to:`,
        `  ${treemuxLine(['send', f.agent, `Merge ${base} into your branch, resolve the conflicts in ${f.files.join(', ')}, run the tests and commit.`])}`,
        `then run \`${treemuxLine(['merge'])}\` again`,
      ];
    case 'test-failed':
      return [
        `to merge ${f.agent}: make \`${f.test}\` pass on its branch with ${base} merged in (${cd}git merge ${shellLine([base])}), or ask the agent:`,
        `  ${treemuxLine(['send', f.agent, `Merge ${base} into your branch, make \`${f.test}\` pass and commit.`])}`,
        `then run \`${treemuxLine(['merge'])}\` again`,
      ];
    case 'failed':
      return [`see \`${treemuxLine(['diff', f.agent])}\`; then run \`${treemuxLine(['merge'])}\` again`];
  }
}

function summary(outcome: MergeOutcome, agents: AgentView[]): string[] {
  const { base, dryRun } = outcome;
  const lines: string[] = [];
  if (outcome.merged.length) {
    lines.push(`${dryRun ? 'would merge' : 'merged'} into ${base}: ${outcome.merged.join(', ')}${dryRun ? ' (dry run: nothing moved)' : ` (${base} now at ${outcome.to.slice(0, 12)})`}`);
  }
  for (const v of outcome.violated) {
    lines.push(`⚠ ${v.agent} ${dryRun ? 'would be' : 'was'} merged with ${describeViolations(v.violations)} (see \`${treemuxLine(['diff', v.agent])}\`)`);
  }
  if (outcome.refusal) lines.push(`a real merge would refuse to start now: ${outcome.refusal}`);
  if (!outcome.stopped) return lines;
  if (dryRun) {
    lines.push(`a real merge would stop at ${outcome.stopped.agent}${outcome.merged.length ? `; \`${treemuxLine(['merge', ...outcome.merged])}\` merges the others` : ''}`);
  } else {
    lines.push(`stopped at ${outcome.stopped.agent}: ${failureText(outcome.stopped)}`);
    if (outcome.stopped.kind === 'conflict') for (const f of outcome.stopped.files) lines.push(`  ${f}`);
    if (outcome.notTried.length) lines.push(`not tried: ${outcome.notTried.join(', ')} (after ${outcome.stopped.agent} in the queue)`);
    lines.push(`${base} ${outcome.merged.length ? `includes only ${outcome.merged.join(', ')}` : 'was not moved'}; nothing half-merged was left anywhere`);
  }
  for (const f of dryRun ? outcome.failures : [outcome.stopped]) lines.push(...nextSteps(f, agents.find((a) => a.name === f.agent), base));
  return lines;
}

export async function merge(names: string[], opts: MergeOptions): Promise<number> {
  const { openContext, waitNotice } = await import('../project/context.js');
  const { pick, takeInventory } = await import('../agents/inventory.js');
  const { mergeQueue } = await import('../agents/review/mergeQueue.js');
  const { recordMerged } = await import('../agents/review/record.js');
  const { describeRemoval, removeAgents } = await import('../agents/lifecycle/remove.js');
  const { startQueued } = await import('../agents/lifecycle/startQueue.js');
  const { aheadCount } = await import('../git/index.js');
  const ctx = await openContext(opts);
  return ctx.state.exclusive(async () => {
    const inv = await takeInventory(ctx);
    let agents = pick(inv, names);
    if (agents.some((a) => a.remote)) {
      // agents on other hosts: their branches are fetched home first, then merged as any other
      const { bringHome } = await import('../agents/hosts/remove.js');
      const away = agents.find((x) => x.remote?.unreachable && names.includes(x.name));
      if (away) throw new UserError(`${away.name}: host ${away.spec.host} cannot be reached (${away.remote!.unreachable}): its branch cannot be fetched`);
      await bringHome(ctx, agents, (line) => ctx.out.info(line), { strict: true });
    }
    if (names.length === 0) {
      const ahead = [];
      for (const a of agents) if ((await ctx.repo.branchExists(a.spec.branch)) && (await aheadCount(ctx.repo.root, a.spec.base, a.spec.branch)) > 0) ahead.push(a);
      agents = ahead;
    }
    if (agents.length === 0) {
      ctx.out.print('nothing to merge: no agent has commits ahead of its base');
      return 0;
    }
    for (const a of agents) if (!(await ctx.repo.branchExists(a.spec.branch))) throw new UserError(`${a.name}: branch ${a.spec.branch} does not exist`);
    const dryRun = Boolean(opts.dryRun);
    const outcome = await mergeQueue(ctx, agents, { dryRun, onStep: (s) => stepLines(s, dryRun).forEach((l) => ctx.out.print(l)) });
    for (const line of summary(outcome, agents)) ctx.out.print(line);
    if (!dryRun && outcome.merged.length) await recordMerged(ctx, outcome.merged, outcome.base, outcome.to);
    if (outcome.stopped) {
      if (!dryRun && outcome.merged.length) await startQueued(ctx);
      return 1;
    }
    if (outcome.refusal) return 1;
    if (opts.cleanup && !dryRun && outcome.merged.length) {
      const merged = agents.filter((a) => outcome.merged.includes(a.name));
      for (const r of await removeAgents(ctx, merged, { force: false })) ctx.out.info(describeRemoval(r, (p) => p));
    }
    if (!dryRun && outcome.merged.length) await startQueued(ctx);
    return 0;
  }, waitNotice(ctx));
}
