// apply's steps that make an agent's place before its program runs: worktree, marker, environment,
// instructions, the kind's files, its log, its record, setup. Each registers its undo.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRegularFile, writeFileIn } from '../../host/fs.js';
import { writeMarker } from '../../state/index.js';
import { crashPoint } from '../../util/crash.js';
import { logPath } from '../../project/paths.js';
import { shown, type Ctx } from '../../project/context.js';
import { kindOf } from '../kinds/index.js';
import { renderInstructions } from './instructions.js';
import { envFileNeedsExclude, environmentLines, provision } from './isolation.js';
import { runSetup } from './setup.js';
import { hookArgv, testCommandOf, treemuxCommandLine } from './spawn.js';
import { journalPending, record } from './record.js';
import type { AgentStep } from './plan.js';
import type { AgentRun, Shared } from './apply.js';

type StepOf<T extends AgentStep['type']> = Extract<AgentStep, { type: T }>;

export async function createWorktree(ctx: Ctx, run: AgentRun, step: StepOf<'create-worktree'>): Promise<void> {
  const { repo } = ctx;
  const { name, spec } = run.view;
  // the journal first: a run killed right after git made the branch still knows it made it
  const willCreate = !(await repo.branchExists(spec.branch));
  await journalPending(ctx, run.view, step.source, willCreate || step.createdBranch);
  const made = await repo.addWorktree(spec.worktree, spec.branch, spec.base);
  crashPoint('worktree-made');
  run.createdBranch = made.createdBranch;
  run.undo.push(async () => {
    await repo.removeWorktree(spec.worktree, { force: true });
    if (made.createdBranch) await repo.deleteBranch(spec.branch, { force: true });
  });
  run.say('info', `${name}: worktree ${spec.worktree} on ${spec.branch}${made.createdBranch ? ` (new, from ${spec.base})` : ''}`);
  if (step.clearMerged) await ctx.state.update((s) => void delete s.merged?.[name]);
}

export async function markWorktree(ctx: Ctx, run: AgentRun, step: StepOf<'write-marker'>): Promise<void> {
  const { name, spec } = run.view;
  const gitDir = await ctx.repo.worktreeGitDir(spec.worktree);
  const marker = { source: step.source, createdBranch: run.createdBranch ?? step.createdBranch, createdAt: step.createdAt ?? new Date().toISOString() };
  await writeMarker(gitDir, { project: ctx.layout.project, agent: name, base: spec.base, task: spec.task, ...marker });
  run.marker = marker;
}

/** Ports, Redis share, database, copies, env file; the env file excluded from git once per run when it is not ignored. */
export async function provisionAgent(ctx: Ctx, shared: Shared, run: AgentRun): Promise<void> {
  run.iso = await provision(ctx, shared.inv, run.view, run.undo, shared.redisDbs, (line) => run.say('info', line));
  const envFile = await envFileNeedsExclude(ctx, run.view.spec.worktree);
  if (envFile && !shared.excluded.has(envFile)) {
    await ctx.repo.addExcludes([`/${envFile}`]);
    shared.excluded.add(envFile);
    run.say('warn', `${envFile} is not ignored by git: excluded it in .git/info/exclude so agents never commit it`);
  }
}

export async function writeInstructions(ctx: Ctx, run: AgentRun, step: StepOf<'write-instructions'>): Promise<void> {
  const { spec } = run.view;
  const testCommand = await testCommandOf(ctx, spec.worktree);
  const text = renderInstructions({
    project: ctx.layout.project,
    agent: spec,
    others: step.others,
    testCommand,
    environment: environmentLines(need(run.iso, 'provision'), ctx.layout.layout.env?.file ?? null),
    treemux: step.operator ? treemuxCommandLine(ctx) : undefined,
  });
  const file = kindOf(spec.kind).instructionsFile;
  const target = join(spec.worktree, file);
  // never over a file the repository tracks (a checkout has every tracked file: one that is not there is not tracked)
  if (existsSync(target) && (await ctx.repo.isTracked(spec.worktree, file))) {
    run.say('warn', `${spec.name}: ${file} is tracked by the repository: treemux's instructions were not written (the agent reads the repository's own)`);
    return;
  }
  await writeFileIn(spec.worktree, target, text);
}

export async function prepareKind(run: AgentRun): Promise<void> {
  await kindOf(run.view.spec.kind).prepare(run.view.spec.worktree, hookArgv(run.view.spec.kind));
}

/**
 * The agent's log is treemux's own file: setup appends to it, and tmux's pipe opens it by name with
 * the shell's `>>`, so it must be a plain file, not a link someone planted.
 */
export async function prepareLog(ctx: Ctx, run: AgentRun): Promise<void> {
  const log = logPath(ctx.repo.commonDir, run.view.name);
  if (await ensureRegularFile(ctx.repo.commonDir, log, { mode: 0o600 })) run.say('warn', `${run.view.name}: ${shown(log, ctx.cwd)} was not a plain file (a link?): replaced`);
}

/** The record is written before anything slow, so a crash in setup still leaves a known agent. */
export async function recordAgent(ctx: Ctx, run: AgentRun, step: StepOf<'record'>): Promise<void> {
  run.facts = { ...need(run.marker, 'write-marker'), iso: need(run.iso, 'provision'), setup: step.setup };
  await record(ctx, run.view, run.facts, run.view.pane);
}

export async function setUp(ctx: Ctx, run: AgentRun): Promise<void> {
  const facts = need(run.facts, 'record');
  const { name, spec } = run.view;
  const env = { ...process.env, ...facts.iso.env } as Record<string, string>;
  const setup = await runSetup(ctx, name, spec.worktree, facts.iso.vars, env, (line) => run.say('info', line));
  facts.setup = setup.ok ? 'ok' : 'failed';
  run.failure = setup.reason;
}

/** What an earlier step of the plan gave (the plan puts that step first). */
export function need<T>(value: T | undefined, step: string): T {
  if (value === undefined) throw new Error(`internal: the ${step} step did not run first`);
  return value;
}
