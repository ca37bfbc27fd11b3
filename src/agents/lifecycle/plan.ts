// What `up` does, decided before anything is done: the agents it was asked for (desired) against what
// git, tmux and the state show of them (observed) give a list of typed steps, each with its reason.
// Pure: no tmux, no git, no files, no clock. apply.ts runs the steps.
import { isAlive, isDead } from '../status/alive.js';
import { ALL_KINDS, kindOf, type KindName } from '../kinds/index.js';
import type { ResolvedAgent } from '../../layout/index.js';
import type { RunRecord } from '../../state/index.js';
import { PLACEHOLDER_FIELD } from '../../tmux/format.js';
import type { AgentView, Inventory } from '../inventory.js';
import { INSTRUCTIONS_FILE } from './instructions.js';

/** Files treemux writes into every worktree; excluded from commits via <common>/info/exclude. */
/** What treemux writes in the worktrees of agents of these kinds, as info/exclude patterns (Claude's instructions file always, as before there were kinds). */
export function writtenFiles(kinds: Iterable<KindName>): string[] {
  const files = new Set([`/${INSTRUCTIONS_FILE}`]);
  for (const name of kinds) {
    const kind = kindOf(name);
    files.add(`/${kind.instructionsFile}`);
    for (const f of kind.writtenFiles) files.add(f);
  }
  return [...files];
}

/** Every kind's written files (for what the layout does not say: doctor, tests). */
export const WRITTEN_FILES = writtenFiles(ALL_KINDS.map((k) => k.name));

export interface Desired {
  /** the agents to bring up, as the inventory resolved them (spec: their layout entry, made concrete) */
  agents: readonly AgentView[];
  /** headless agents to continue with this prompt (`send`): the same conversation, a new run */
  followUps?: Readonly<Record<string, string>>;
}

/** What runs in an agent's window. */
export type Program =
  /** its interactive program; `session`: the conversation it resumes (when its kind can) */
  | { type: 'agent'; session?: string }
  /** a headless run under `treemux run`: the task, a follow-up, or an interrupted run resumed */
  | { type: 'headless'; why: 'task' | 'follow-up' | 'interrupted'; prompt: string; resume?: string }
  /** a headless run that ended while its window was gone: its log */
  | { type: 'show-log' }
  /** set by apply when setup fails: why the agent did not start (the window ends at once) */
  | { type: 'show-failure'; reason: string };

/** Steps for the whole run, before any agent's. */
export type SessionStep =
  /** windows whose making a killed treemux cut short (still running the placeholder) are not agents; a waiting dashboard is started instead (session.ts) */
  | { type: 'clear-placeholders'; windowIds: string[]; reason: string }
  /** the project's session and its dashboard window, made or found (and the dashboard brought back) */
  | { type: 'ensure-session'; exists: boolean; reason: string }
  | { type: 'exclude-written-files'; files: string[]; reason: string };

/** Where the agent's program goes, and what it is. */
export type WindowStep =
  /** a new window, at the dashboard's number + `slot` when that is free */
  | { type: 'start-window'; agent: string; slot: number; program: Program; newRun?: NewRun; resumed: boolean; reason: string }
  /** its dead pane (or a finished headless run's, for a follow-up) starts the program again */
  | { type: 'respawn-pane'; agent: string; paneId: string; program: Program; newRun?: NewRun; resumed: boolean; reason: string }
  /** its window is kept as it is: running, or showing a finished headless run */
  | { type: 'nothing-to-do'; agent: string; why: 'running' | 'finished'; paneId: string; newRun?: NewRun; reason: string };

/** A headless run starts: its record's run is stamped `starting` (counting on from `previous`). */
export interface NewRun {
  previous?: RunRecord;
}

/** Steps for one agent, in the order they run. A step that fails undoes what the agent's earlier steps made. */
export type AgentStep =
  /** `createdBranch`: what the record or marker say so far (git says whether this one makes it) */
  | { type: 'create-worktree'; agent: string; source: 'layout' | 'added'; createdBranch: boolean; clearMerged: boolean; reason: string }
  /** `createdAt` undefined: now; `createdBranch` unless a worktree made now says otherwise */
  | { type: 'write-marker'; agent: string; source: 'layout' | 'added'; createdBranch: boolean; createdAt?: string; reason: string }
  | { type: 'provision'; agent: string; reason: string }
  | { type: 'write-instructions'; agent: string; others: ResolvedAgent[]; operator: boolean; reason: string }
  | { type: 'prepare-kind'; agent: string; reason: string }
  | { type: 'prepare-log'; agent: string; reason: string }
  | { type: 'record'; agent: string; setup?: 'ok' | 'failed'; reason: string }
  | { type: 'run-setup'; agent: string; reason: string }
  | WindowStep;

export type Step = SessionStep | AgentStep;

export function plan(desired: Desired, observed: Inventory): Step[] {
  const steps: Step[] = [];
  const placeholders = observed.panes.filter((p) => p[PLACEHOLDER_FIELD] === '1' && p['@treemux-role'] !== 'dash').map((p) => p.window_id);
  if (placeholders.length > 0) steps.push({ type: 'clear-placeholders', windowIds: placeholders, reason: 'a killed treemux left them half made' });
  steps.push({ type: 'ensure-session', exists: observed.session !== null, reason: observed.session ? 'the session exists' : 'no session yet' });
  steps.push({ type: 'exclude-written-files', files: writtenFiles(new Set(desired.agents.map((a) => a.spec.kind))), reason: 'treemux writes them into every worktree' });
  for (const agent of desired.agents) steps.push(...agentSteps(agent, observed, desired.followUps?.[agent.name]));
  return steps;
}

function agentSteps(a: AgentView, observed: Inventory, followUp: string | undefined): AgentStep[] {
  const agent = a.name;
  const createdBranch = a.record?.createdBranch ?? a.marker?.createdBranch ?? false;
  const steps: AgentStep[] = [];
  if (!a.worktree) {
    const clearMerged = Boolean(observed.state.merged?.[agent]); // a new run: what start_after waits for is its next merge
    steps.push({ type: 'create-worktree', agent, source: a.inLayout ? 'layout' : 'added', createdBranch, clearMerged, reason: 'it has no worktree' });
  }
  const source = a.inLayout ? 'layout' : (a.record?.source ?? a.marker?.source ?? 'added');
  const createdAt = a.record?.createdAt ?? a.marker?.createdAt;
  steps.push(
    { type: 'write-marker', agent, source, createdBranch, createdAt, reason: 'the worktree says whose it is' },
    { type: 'provision', agent, reason: 'ports, Redis, database, copies and env file: made or found again' },
    {
      type: 'write-instructions',
      agent,
      others: observed.agents.filter((o) => o.name !== agent).map((o) => o.spec),
      operator: a.spec.role === 'operator',
      reason: 'rewritten from the layout at every up',
    },
    { type: 'prepare-kind', agent, reason: `what ${a.spec.kind} needs in the worktree` },
    { type: 'prepare-log', agent, reason: 'the log is treemux’s own plain file' },
    { type: 'record', agent, setup: a.record?.setup, reason: 'recorded before anything slow: a crash in setup leaves a known agent' },
  );
  if (a.record?.setup !== 'ok') {
    steps.push({ type: 'run-setup', agent, reason: a.record?.setup === 'failed' ? 'setup failed last time' : 'setup has not run' });
  }
  steps.push(windowStep(a, followUp));
  return steps;
}

/** Where and what the agent runs, from its window (none, dead, alive) and its mode and run. */
export function windowStep(a: AgentView, followUp: string | undefined): WindowStep {
  const agent = a.name;
  const kind = kindOf(a.spec.kind);
  // an agent whose window comes back continues its conversation instead of starting over (if its kind can)
  const session = !isAlive(a.pane) ? kind.interactiveSession(a.record) : undefined;
  const headless = a.spec.mode === 'headless';
  const fresh = !a.worktree;
  // a headless run that ended is not run again (`send` continues it); a window that was lost shows its log
  const finished = hasFinishedRun(a) && followUp === undefined;
  if (finished && a.pane) return { type: 'nothing-to-do', agent, why: 'finished', paneId: a.pane.pane_id, reason: 'its headless run finished (send continues it)' };
  const program: Program = finished ? { type: 'show-log' } : headless ? headlessProgram(a, followUp) : { type: 'agent', session };
  const newRun = headless && !finished ? { previous: fresh ? undefined : a.record?.run } : undefined;
  const resumed = Boolean(session);
  if (!a.pane) {
    return { type: 'start-window', agent, slot: a.spec.index, program, newRun, resumed, reason: finished ? 'its window is gone: it shows the finished run' : 'it has no window' };
  }
  if (isDead(a.pane) || followUp !== undefined) {
    return { type: 'respawn-pane', agent, paneId: a.pane.pane_id, program, newRun, resumed, reason: followUp !== undefined ? 'a follow-up for its finished run' : 'its program exited' };
  }
  // (as before plan and apply were split: a running headless agent's record is stamped with a new run all the same)
  return { type: 'nothing-to-do', agent, why: 'running', paneId: a.pane.pane_id, newRun, reason: 'its program is running' };
}

/** A headless agent whose run ended (in its worktree as it is now): `up` does not run it again. */
export function hasFinishedRun(a: AgentView): boolean {
  return a.spec.mode === 'headless' && Boolean(a.worktree) && a.record?.run?.phase === 'done';
}

/** An interrupted run continues its conversation; a follow-up continues a finished one; otherwise the task starts one. */
function headlessProgram(a: AgentView, followUp: string | undefined): Program {
  const conversation = kindOf(a.spec.kind).headlessSession(a.record);
  if (followUp !== undefined) return { type: 'headless', why: 'follow-up', prompt: followUp, resume: conversation };
  if (conversation && a.record?.run) return { type: 'headless', why: 'interrupted', prompt: 'Continue where you left off.', resume: conversation };
  return { type: 'headless', why: 'task', prompt: a.spec.task };
}

/** The plan's agent steps, agent by agent, in order (an agent asked for twice is brought up twice). */
export function agentGroups(steps: readonly Step[]): { agent: string; steps: AgentStep[] }[] {
  const groups: { agent: string; steps: AgentStep[] }[] = [];
  for (const step of steps) {
    if (!('agent' in step)) continue;
    const last = groups[groups.length - 1];
    // every agent's steps begin with create-worktree, or write-marker when its worktree exists
    const begins = step.type === 'create-worktree' || (step.type === 'write-marker' && last?.steps[last.steps.length - 1]?.type !== 'create-worktree');
    if (!last || begins || last.agent !== step.agent) groups.push({ agent: step.agent, steps: [step] });
    else last.steps.push(step);
  }
  return groups;
}
