// apply's last step for an agent: its program in a new window, in its dead pane again, or nothing
// (it runs; a finished headless run stays shown). A setup that failed puts its reason in the window
// in place of the program, and the agent is reported failed, its worktree and window kept.
import { logPath, mark } from '../../project/paths.js';
import { shown, type Ctx } from '../../project/context.js';
import type { Spawn } from '../../tmux/index.js';
import { sidebarWidth } from '../../layout/names.js';
import type { ResolvedAgent } from '../../layout/resolve.js';
import { AGENT_OPTION } from '../inventory.js';
import { kindOf } from '../kinds/index.js';
import type { Isolation } from './isolation.js';
import { logFile } from './setup.js';
import { agentSpawn, failureSpawn, headlessSpawn, logsSpawn, paneSpawn } from './spawn.js';
import { record, startingRun, type Facts } from './record.js';
import { need } from './prepare.js';
import type { Program, WindowStep } from './plan.js';
import type { AgentRun, Shared } from './apply.js';

/** Setup failed: the agent is not started; its window shows why and counts as exited. */
export class SetupFailed extends Error {}

type StepOf<T extends WindowStep['type']> = Extract<WindowStep, { type: T }>;

export async function startWindow(ctx: Ctx, shared: Shared, run: AgentRun, step: StepOf<'start-window'>): Promise<void> {
  const { name, spec } = run.view;
  const { program, spawn, facts } = await launch(ctx, run, step);
  const logSize = await logSizeOf(ctx, name);
  // at the window number the dashboard shows for it (its place in the layout), when that is free;
  // the sidebar (with `sidebar:`) at its left, a pane that runs no treemux process, painted by the
  // dashboard (src/ui/sidebars.ts)
  const width = sidebarWidth(ctx.layout.layout.sidebar);
  const created = await ctx.tmux.newWindow(
    shared.place.sessionId,
    name,
    { ...spawn, windowOptions: { [AGENT_OPTION]: name }, paneOptions: { '@treemux-role': 'agent' } },
    { index: shared.place.dashIndex + step.slot, sidebar: width === null ? undefined : { width } },
  );
  run.undo.push(() => ctx.tmux.killWindow(created.windowId));
  await addPanes(ctx, created.paneId, spec.worktree, facts.iso);
  const headless = spec.mode === 'headless';
  if (!run.failure) run.say('info', `${name}: window ${name} ${program.type === 'show-log' ? 'shows its finished run' : `running ${spec.command}${headless ? ' (headless)' : ''}${step.resumed ? ' (resumed)' : ''}`}`);
  if (runsProgram(program)) run.started = { name, at: Date.now(), logSize, paneId: created.paneId };
  await record(ctx, run.view, { ...facts, run: undefined, failure: run.failure }, { window_id: created.windowId, pane_id: created.paneId });
  failIfSetupFailed(ctx, run);
}

export async function respawnPane(ctx: Ctx, run: AgentRun, step: StepOf<'respawn-pane'>): Promise<void> {
  const { name, spec } = run.view;
  const pane = need(run.view.pane, 'inventory');
  const { program, spawn, facts } = await launch(ctx, run, step);
  const logSize = await logSizeOf(ctx, name);
  // (a follow-up may find the runner of the finished run still starting queued agents: it waits for
  // the lock the caller holds, and the new run, when it ends, starts them instead)
  await ctx.tmux.respawnPane(step.paneId, spawn);
  if (!run.failure) run.say('info', `${name}: restarted ${spec.command} (it had exited${step.resumed ? '; resumed its conversation' : ''})`);
  if (runsProgram(program)) run.started = { name, at: Date.now(), logSize, paneId: step.paneId };
  await record(ctx, run.view, { ...facts, run: undefined, failure: run.failure }, pane);
  failIfSetupFailed(ctx, run);
}

export async function keepWindow(ctx: Ctx, run: AgentRun, step: StepOf<'nothing-to-do'>): Promise<void> {
  const facts = need(run.facts, 'record');
  const pane = need(run.view.pane, 'inventory');
  if (step.why === 'finished') {
    // its window goes on showing the finished run (a setup that failed now is not reported)
    await record(ctx, run.view, facts, pane);
    return;
  }
  await stampRun(ctx, run, facts, step);
  await record(ctx, run.view, { ...facts, run: undefined, failure: run.failure }, pane);
  failIfSetupFailed(ctx, run);
}

/** The program to run (the failure in its place when setup failed), how, and its run stamped in the record first. */
async function launch(ctx: Ctx, run: AgentRun, step: StepOf<'start-window' | 'respawn-pane'>): Promise<{ program: Program; spawn: Spawn; facts: Facts }> {
  const facts = need(run.facts, 'record');
  const program: Program = run.failure ? { type: 'show-failure', reason: run.failure } : step.program;
  let spawn = spawnOf(ctx, run.view.spec, facts.iso, program);
  await stampRun(ctx, run, facts, step);
  // the window's output goes to the agent's log from its first byte (a headless runner writes its own)
  if (run.view.spec.mode !== 'headless') spawn = { ...spawn, log: logPath(ctx.repo.commonDir, run.view.name) };
  return { program, spawn, facts };
}

/** A headless run starting now is in the record before its window runs it (not when setup failed). */
async function stampRun(ctx: Ctx, run: AgentRun, facts: Facts, step: WindowStep): Promise<void> {
  if (!step.newRun || run.failure) return;
  facts.run = startingRun(step.newRun.previous);
  await record(ctx, run.view, facts, run.view.pane);
}

function spawnOf(ctx: Ctx, spec: ResolvedAgent, iso: Isolation, program: Program): Spawn {
  switch (program.type) {
    case 'show-failure':
      return failureSpawn(spec, program.reason);
    case 'show-log':
      return logsSpawn(ctx, spec);
    case 'headless':
      return headlessSpawn(ctx, spec, iso.vars, iso.env, { prompt: program.prompt, resume: program.resume });
    case 'agent':
      return agentSpawn(ctx, spec, iso.vars, iso.env, program.session);
  }
}

/** A program of the agent's own runs (one that shows a log or a failure does not count as started). */
function runsProgram(program: Program): boolean {
  return program.type === 'agent' || program.type === 'headless';
}

/** The size of its log now: what the program prints comes after. */
async function logSizeOf(ctx: Ctx, name: string): Promise<number> {
  return (await mark(logPath(ctx.repo.commonDir, name)))?.size ?? 0;
}

function failIfSetupFailed(ctx: Ctx, run: AgentRun): void {
  if (!run.failure) return;
  run.undo.length = 0; // keep what was made: the agent exists, its window shows why it did not start
  throw new SetupFailed(`${run.failure}; the agent was not started (log: ${shown(logFile(ctx, run.view.name), ctx.cwd)})`);
}

/** The layout's extra panes below the agent. */
async function addPanes(ctx: Ctx, agentPane: string, worktree: string, iso: Isolation): Promise<void> {
  const { layout } = ctx.layout;
  for (const pane of layout.panes) {
    await ctx.tmux.splitPane(agentPane, { ...paneSpawn(ctx, worktree, pane.command, iso), paneOptions: { '@treemux-role': `pane:${pane.name}` } }, { below: true, size: '30%' });
  }
}
