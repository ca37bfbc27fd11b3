// Running up's plan: the session's steps, then the agents' side by side (up to PARALLEL at once). A
// step that fails undoes what the agent's earlier steps made (each registers its undo), is reported
// in one event, and does not stop the other agents. What agents share is taken in turn: ports,
// databases and Redis dbs (provision) and state.json (record) one agent at a time, windows in the
// layout's order. Progress goes out as events (events.ts), each agent's together, in layout order.
import { oneLine } from '../../util/output.js';
import type { Ctx } from '../../project/context.js';
import type { AgentView, Inventory } from '../inventory.js';
import type { Isolation } from './isolation.js';
import type { Facts } from './record.js';
import type { Start } from './earlyExit.js';
import type { OnEvent } from './events.js';
import { ensureSession, type SessionPlace } from './session.js';
import { agentGroups, type AgentStep, type Desired, type SessionStep, type Step } from './plan.js';
import { createWorktree, markWorktree, need, prepareKind, prepareLog, provisionAgent, recordAgent, setUp, writeInstructions } from './prepare.js';
import { keepWindow, respawnPane, startWindow } from './window.js';
import { deferred, eachBounded, Mutex, OrderedEvents, PARALLEL } from './together.js';

type Undo = () => Promise<unknown>;

/** What agents brought up in one run share: the session, Redis dbs handed out, env files already excluded. */
export interface Shared {
  inv: Inventory;
  place: SessionPlace;
  redisDbs: Set<number>;
  excluded: Set<string>;
}

/** One agent's steps as they run: what they have made and learnt so far. */
export interface AgentRun {
  view: AgentView;
  /** what to take away again if a later step fails, in the order it was made */
  undo: Undo[];
  /** a line of progress from the step running now */
  say: (level: 'info' | 'warn', line: string) => void;
  /** whether the worktree made now made its branch too (git says) */
  createdBranch?: boolean;
  marker?: Pick<Facts, 'source' | 'createdBranch' | 'createdAt'>;
  iso?: Isolation;
  facts?: Facts;
  /** why setup failed */
  failure?: string;
  /** the program started in its window, to watch for an early exit */
  started: Start | null;
}

export interface Applied {
  place: SessionPlace;
  /** agents whose program was started */
  started: string[];
  failed: { name: string; reason: string }[];
  /** interactive programs started, to watch for an early exit */
  starts: Start[];
}

export async function apply(ctx: Ctx, inv: Inventory, desired: Desired, steps: readonly Step[], emit: OnEvent): Promise<Applied> {
  let place: SessionPlace | undefined;
  for (const step of steps) if (!('agent' in step)) place = (await applySessionStep(ctx, inv, step)) ?? place;
  const shared: Shared = { inv, place: need(place, 'ensure-session'), redisDbs: new Set(), excluded: new Set() };
  const applied: Applied = { place: shared.place, started: [], failed: [], starts: [] };
  const groups = agentGroups(steps);
  const events = new OrderedEvents(groups.map((g) => g.agent), emit);
  const turns = groups.map(() => deferred());
  const serial = new Mutex();
  // the dashboard of a session made now starts once the windows are made (session.ts), also when this fails
  const windowsMade = ctx.repo.batch(() =>
    eachBounded(groups, PARALLEL, async (group, i) => {
      const view = need(desired.agents.find((a) => a.name === group.agent), 'desired');
      const taking: Taking = { serial, windowTurn: i === 0 ? Promise.resolve() : turns[i - 1]!.promise, done: turns[i]!.resolve };
      try {
        await applyAgent(ctx, shared, view, group.steps, (e) => events.push(group.agent, e), applied, taking);
      } finally {
        taking.done();
        events.finish(group.agent);
      }
    }),
  );
  await windowsMade.catch(async (err: unknown) => {
    await shared.place.startDash?.().catch(() => undefined); // the failure says more than a dashboard that did not start
    throw err;
  });
  await shared.place.startDash?.();
  // the order agents were brought up in is the layout's, whichever finished first
  const order = new Map(groups.map((g, i) => [g.agent, i]));
  applied.started.sort((a, b) => order.get(a)! - order.get(b)!);
  applied.failed.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
  applied.starts.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
  return applied;
}

/** Steps that take what agents share: one agent at a time. */
const SERIAL_STEPS: ReadonlySet<Step['type']> = new Set(['provision', 'record']);
/** Steps that make or restart its window: in the layout's order, so windows come in that order. */
const WINDOW_STEPS: ReadonlySet<Step['type']> = new Set(['start-window', 'respawn-pane', 'nothing-to-do']);

/** How one agent takes its turns with the others. */
interface Taking {
  serial: Mutex;
  /** settles when the agent before it in the layout has had its window made (or failed) */
  windowTurn: Promise<void>;
  /** this agent's window step is over (or it failed): the next may make its own */
  done: () => void;
}

async function applySessionStep(ctx: Ctx, inv: Inventory, step: SessionStep): Promise<SessionPlace | undefined> {
  switch (step.type) {
    case 'clear-placeholders':
      for (const windowId of step.windowIds) await ctx.tmux.killWindow(windowId);
      return undefined;
    case 'ensure-session':
      return ensureSession(ctx, inv);
    case 'exclude-written-files':
      await ctx.repo.addExcludes(step.files);
      return undefined;
  }
}

async function applyAgent(ctx: Ctx, shared: Shared, view: AgentView, steps: AgentStep[], emit: OnEvent, applied: Applied, taking: Taking): Promise<void> {
  const agent = view.name;
  let current: Step['type'] = steps[0]!.type;
  const run: AgentRun = { view, undo: [], started: null, say: (level, line) => emit({ type: 'step', agent, step: current, level, line }) };
  emit({ type: 'agent-started', agent });
  try {
    for (const step of steps) {
      current = step.type;
      if (WINDOW_STEPS.has(step.type)) await taking.windowTurn;
      if (SERIAL_STEPS.has(step.type)) await taking.serial.run(() => applyStep(ctx, shared, run, step));
      else await applyStep(ctx, shared, run, step);
      if (WINDOW_STEPS.has(step.type)) taking.done();
    }
  } catch (err) {
    const reason = oneLine(err);
    const undone = run.undo.length > 0;
    for (const undo of run.undo.reverse()) await undo().catch(() => undefined); // best effort: the failure reported is the step's, not its undo's
    applied.failed.push({ name: agent, reason });
    emit({ type: 'agent-failed', agent, reason, undone });
    return;
  }
  if (run.started) {
    applied.started.push(agent);
    if (view.spec.mode === 'interactive') applied.starts.push(run.started);
  }
  emit({ type: 'agent-up', agent, started: run.started !== null });
}

function applyStep(ctx: Ctx, shared: Shared, run: AgentRun, step: AgentStep): Promise<void> {
  switch (step.type) {
    case 'create-worktree':
      return createWorktree(ctx, run, step);
    case 'write-marker':
      return markWorktree(ctx, run, step);
    case 'provision':
      return provisionAgent(ctx, shared, run);
    case 'write-instructions':
      return writeInstructions(ctx, run, step);
    case 'prepare-kind':
      return prepareKind(run);
    case 'prepare-log':
      return prepareLog(ctx, run);
    case 'record':
      return recordAgent(ctx, run, step);
    case 'run-setup':
      return setUp(ctx, run);
    case 'start-window':
      return startWindow(ctx, shared, run, step);
    case 'respawn-pane':
      return respawnPane(ctx, run, step);
    case 'nothing-to-do':
      return keepWindow(ctx, run, step);
  }
}
