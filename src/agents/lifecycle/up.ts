// Bring agents up: for each, create whatever is missing (worktree and branch, instructions, window)
// and start it. Safe to run again. A failure for one agent undoes what was made for it, is reported
// in one line, and does not stop the others.
import { isAlive, isDead } from '../status/alive.js';
import { ensureRegularFile, writeFileIn } from '../../host/fs.js';
import { join } from 'node:path';
import { writeMarker, type RunRecord } from '../../state/index.js';
import { oneLine } from '../../util/output.js';
import type { Ctx } from '../../project/context.js';
import { renderInstructions, INSTRUCTIONS_FILE } from './instructions.js';
import { AGENT_OPTION, type AgentView, type Inventory } from '../inventory.js';
import { envFileNeedsExclude, environmentLines, provision, type Isolation } from './isolation.js';
import { logFile, runSetup } from './setup.js';
import { ALL_KINDS, kindOf } from '../kinds/index.js';
import { logPath, mark } from '../../project/paths.js';
import { crashPoint } from '../../util/crash.js';
import { PLACEHOLDER_FIELD } from '../../tmux/format.js';
import { withoutPassword, type DbInfo } from '../../db/index.js';
import { shown } from '../../project/context.js';
import { agentSpawn, failureSpawn, headlessSpawn, logsSpawn, paneSpawn, sidebarSpawn, testCommandOf, treemuxCommandLine } from './spawn.js';
import { ensureSession, releaseKeys } from './session.js';
import { earlyExits, type Start } from './earlyExit.js';

export { ensureSession, releaseKeys } from './session.js';
export { EARLY_EXIT_MS } from './earlyExit.js';

/** Files treemux writes into every worktree; excluded from commits via <common>/info/exclude. */
export const WRITTEN_FILES = [`/${INSTRUCTIONS_FILE}`, ...new Set(ALL_KINDS.flatMap((k) => k.writtenFiles))];

export interface UpResult {
  sessionId: string;
  dashWindowId: string | null;
  failed: { name: string; reason: string }[];
  started: string[];
}

type Undo = () => Promise<unknown>;

export interface UpOptions {
  /** headless agents to continue with this prompt (`send`): the same conversation, a new run */
  followUps?: Record<string, string>;
}

export async function upAgents(ctx: Ctx, inv: Inventory, agents: AgentView[], opts: UpOptions = {}): Promise<UpResult> {
  // `starting` from now until each window runs, and out of the queue in the same write, so that no
  // reader (wait!) ever sees an agent on its way up as stopped
  const names = agents.map((a) => a.name);
  await ctx.state.update((s) => {
    s.starting = [...new Set([...(s.starting ?? []), ...names])];
    if (s.queue?.some((n) => names.includes(n))) s.queue = s.queue.filter((n) => !names.includes(n));
  });
  try {
    return await upAll(ctx, inv, agents, opts);
  } finally {
    await ctx.state
      .update((s) => {
        s.starting = (s.starting ?? []).filter((n) => !names.includes(n));
        if (s.starting.length === 0) delete s.starting;
      })
      .catch(() => undefined);
  }
}

async function upAll(ctx: Ctx, inv: Inventory, agents: AgentView[], opts: UpOptions): Promise<UpResult> {
  // windows whose making a killed treemux cut short (still running the placeholder) are not agents
  for (const p of inv.panes.filter((p) => p[PLACEHOLDER_FIELD] === '1')) await ctx.tmux.killWindow(p.window_id);
  const { sessionId, dashWindowId, dashIndex, made } = await ensureSession(ctx, inv);
  await ctx.repo.addExcludes(WRITTEN_FILES);
  const result: UpResult = { sessionId, dashWindowId, failed: [], started: [] };
  const run: RunShared = { redisDbs: new Set(), excluded: new Set(), dashIndex };
  const starts: Start[] = [];
  for (const agent of agents) {
    const undo: Undo[] = [];
    try {
      const started = await upOne(ctx, inv, agent, sessionId, undo, run, opts.followUps?.[agent.name]);
      if (started) {
        result.started.push(agent.name);
        if (agent.spec.mode === 'interactive') starts.push(started);
      }
    } catch (err) {
      const reason = oneLine(err);
      const undone = undo.length > 0;
      for (const step of undo.reverse()) await step().catch(() => undefined);
      result.failed.push({ name: agent.name, reason });
      ctx.out.warn(`${agent.name}: ${reason}${undone ? ' (undone)' : ''}`);
    }
  }
  for (const early of await earlyExits(ctx, sessionId, starts)) {
    result.started = result.started.filter((n) => n !== early.name);
    result.failed.push(early);
    ctx.out.warn(`${early.name}: ${early.reason}`);
  }
  if (made && result.failed.length > 0) {
    // a session this run made, in which no agent has a window: nothing half made is left behind
    const panes = await ctx.tmux.listPanes(sessionId);
    if (!panes.some((p) => p['@treemux-agent']) && !(await ctx.state.read()).queue?.length) {
      await ctx.tmux.killSession(sessionId);
      await releaseKeys(ctx);
      result.sessionId = '';
      result.dashWindowId = null;
    }
  }
  return result;
}

/** What agents brought up in one run share: Redis dbs handed out, env files already excluded, where the dashboard is. */
interface RunShared {
  redisDbs: Set<number>;
  excluded: Set<string>;
  dashIndex: number;
}

/** Setup failed: the agent is not started; its window shows why and counts as exited. */
export class SetupFailed extends Error {}

async function upOne(ctx: Ctx, inv: Inventory, agent: AgentView, sessionId: string, undo: Undo[], run: RunShared, followUp?: string): Promise<Start | null> {
  const { repo, tmux, layout, out } = ctx;
  const spec = agent.spec;
  let createdBranch = agent.record?.createdBranch ?? agent.marker?.createdBranch ?? false;

  const freshWorktree = !agent.worktree;
  if (!agent.worktree) {
    // the journal first: a run killed right after git made the branch still knows it made it
    const willCreate = !(await repo.branchExists(spec.branch));
    await ctx.state.update((s) => {
      s.pending ??= {};
      s.pending[agent.name] = {
        name: agent.name,
        branch: spec.branch,
        base: spec.base,
        worktree: spec.worktree,
        task: spec.task,
        source: agent.inLayout ? 'layout' : 'added',
        createdBranch: willCreate || createdBranch,
        at: new Date().toISOString(),
      };
    });
    const made = await repo.addWorktree(spec.worktree, spec.branch, spec.base);
    crashPoint('worktree-made');
    createdBranch = made.createdBranch;
    undo.push(async () => {
      await repo.removeWorktree(spec.worktree, { force: true });
      if (made.createdBranch) await repo.deleteBranch(spec.branch, { force: true });
    });
    out.info(`${agent.name}: worktree ${spec.worktree} on ${spec.branch}${made.createdBranch ? ` (new, from ${spec.base})` : ''}`);
    // a new run of this agent: what start_after waits for is its next merge
    if (inv.state.merged?.[agent.name]) await ctx.state.update((s) => void delete s.merged?.[agent.name]);
  }

  const gitDir = await repo.worktreeGitDir(spec.worktree);
  const createdAt = agent.record?.createdAt ?? agent.marker?.createdAt ?? new Date().toISOString();
  const source = agent.inLayout ? 'layout' : (agent.record?.source ?? agent.marker?.source ?? 'added');
  await writeMarker(gitDir, {
    project: layout.project,
    agent: agent.name,
    base: spec.base,
    task: spec.task,
    source,
    createdBranch,
    createdAt,
  });

  const iso = await provision(ctx, inv, agent, undo, run.redisDbs);
  const envFile = await envFileNeedsExclude(ctx, spec.worktree);
  if (envFile && !run.excluded.has(envFile)) {
    await repo.addExcludes([`/${envFile}`]);
    run.excluded.add(envFile);
    out.warn(`${envFile} is not ignored by git: excluded it in .git/info/exclude so agents never commit it`);
  }

  const others = inv.agents.filter((a) => a.name !== agent.name).map((a) => a.spec);
  const testCommand = await testCommandOf(ctx, spec.worktree);
  await writeFileIn(
    spec.worktree,
    join(spec.worktree, INSTRUCTIONS_FILE),
    renderInstructions({
      project: layout.project,
      agent: spec,
      others,
      testCommand,
      environment: environmentLines(iso, layout.layout.env?.file ?? null),
      treemux: spec.role === 'operator' ? treemuxCommandLine(ctx) : undefined,
    }),
  );

  const kind = kindOf(spec.kind);
  await kind.prepare(spec.worktree);

  // the agent's log is treemux's own file: setup appends to it, and tmux's pipe opens it by name with
  // the shell's `>>`, so it must be a plain file, not a link someone planted
  const log = logPath(ctx.repo.commonDir, agent.name);
  if (await ensureRegularFile(ctx.repo.commonDir, log, { mode: 0o600 })) out.warn(`${agent.name}: ${shown(log, ctx.cwd)} was not a plain file (a link?): replaced`);

  const facts: Facts = { createdBranch, createdAt, source, iso, setup: agent.record?.setup };
  // The record is written before anything slow, so a crash in setup still leaves a known agent.
  await record(ctx, agent, facts, agent.pane);

  let failure: string | undefined;
  if (facts.setup !== 'ok') {
    const setup = await runSetup(ctx, agent.name, spec.worktree, iso.vars, { ...process.env, ...iso.env } as Record<string, string>);
    facts.setup = setup.ok ? 'ok' : 'failed';
    failure = setup.reason;
  }
  // An agent whose window comes back continues its conversation instead of starting over (if its kind can).
  const session = !isAlive(agent.pane) ? kind.interactiveSession(agent.record) : undefined;
  const headless = spec.mode === 'headless';
  // a headless run that ended is not run again (`send` continues it); a window that was lost shows its log
  const finished = headless && !freshWorktree && agent.record?.run?.phase === 'done' && followUp === undefined;
  if (finished && agent.pane) {
    await record(ctx, agent, facts, agent.pane);
    return null;
  }
  let spawn;
  if (failure) spawn = failureSpawn(spec, failure);
  else if (finished) spawn = logsSpawn(ctx, spec);
  else if (headless) {
    // an interrupted run continues its conversation; otherwise the task starts one
    const conversation = kind.headlessSession(agent.record);
    const resume =
      followUp !== undefined
        ? { prompt: followUp, resume: conversation }
        : conversation && agent.record?.run
          ? { prompt: 'Continue where you left off.', resume: conversation }
          : { prompt: spec.task };
    spawn = headlessSpawn(ctx, spec, iso.vars, iso.env, resume);
    const previous = freshWorktree ? undefined : agent.record?.run;
    facts.run = { ...previous, phase: 'starting', runs: (previous?.runs ?? 0) + 1, startedAt: new Date().toISOString(), endedAt: undefined, ok: undefined };
    await record(ctx, agent, facts, agent.pane);
  } else spawn = agentSpawn(ctx, spec, iso.vars, iso.env, kind.resumeArgs(session));

  // the window's output goes to the agent's log from its first byte (a headless runner writes its own)
  if (!headless) spawn = { ...spawn, log: logPath(ctx.repo.commonDir, agent.name) };
  let started: Start | null = null;
  const logSize = (await mark(logPath(ctx.repo.commonDir, agent.name)))?.size ?? 0;
  const now = () => ({ name: agent.name, at: Date.now(), logSize });
  let pane = agent.pane;
  if (!pane) {
    // at the window number the dashboard shows for it (its place in the layout), when that is free
    const created = await tmux.newWindow(
      sessionId,
      agent.name,
      { ...spawn, windowOptions: { [AGENT_OPTION]: agent.name }, paneOptions: { '@treemux-role': 'agent' } },
      { index: run.dashIndex + agent.spec.index },
    );
    undo.push(() => tmux.killWindow(created.windowId));
    await addPanes(ctx, created.paneId, spec.worktree, agent.name, iso);
    if (!failure) out.info(`${agent.name}: window ${agent.name} ${finished ? 'shows its finished run' : `running ${spec.command}${headless ? ' (headless)' : ''}${session ? ' (resumed)' : ''}`}`);
    if (!failure && !finished) started = { ...now(), paneId: created.paneId };
    await record(ctx, agent, { ...facts, run: undefined, failure }, { window_id: created.windowId, pane_id: created.paneId });
  } else if (isDead(pane) || followUp !== undefined) {
    // (a follow-up may find the runner of the finished run still starting queued agents: it waits for
    // the lock the caller holds, and the new run, when it ends, starts them instead)
    await tmux.respawnPane(pane.pane_id, spawn);
    if (!failure) out.info(`${agent.name}: restarted ${spec.command} (it had exited${session ? '; resumed its conversation' : ''})`);
    if (!failure) started = { ...now(), paneId: pane.pane_id };
    await record(ctx, agent, { ...facts, run: undefined, failure }, pane);
  } else {
    await record(ctx, agent, { ...facts, run: undefined, failure }, pane);
  }
  if (failure) {
    undo.length = 0; // keep what was made: the agent exists, its window shows why it did not start
    throw new SetupFailed(`${failure}; the agent was not started (log: ${shown(logFile(ctx, agent.name), ctx.cwd)})`);
  }
  return started;
}

/** The sidebar at the left (with `sidebar: true`) and the layout's extra panes below the agent. */
async function addPanes(ctx: Ctx, agentPane: string, worktree: string, agent: string, iso: Isolation): Promise<void> {
  const { layout } = ctx.layout;
  for (const pane of layout.panes) {
    await ctx.tmux.splitPane(agentPane, { ...paneSpawn(ctx, worktree, pane.command, iso), paneOptions: { '@treemux-role': `pane:${pane.name}` } }, { below: true, size: '30%' });
  }
  if (layout.sidebar) {
    await ctx.tmux.splitPane(agentPane, { ...sidebarSpawn(ctx, worktree, agent), paneOptions: { '@treemux-role': 'sidebar' } }, { left: true, size: '30' });
  }
}

/**
 * What state.json keeps of an agent's database: the URL without its password (PostgreSQL's and
 * MySQL's come back from the layout's URL to drop it; a command provider's `drop` gets {db.url}
 * without it).
 */
function storedDatabase(db: DbInfo): DbInfo {
  return { ...db, url: withoutPassword(db.url) };
}

interface Facts {
  createdBranch: boolean;
  createdAt: string;
  source: 'layout' | 'added';
  iso: Isolation;
  setup?: 'ok' | 'failed';
  failure?: string;
  /** a headless run starting now (undefined: the record's run is kept) */
  run?: RunRecord;
}

async function record(
  ctx: Ctx,
  agent: AgentView,
  facts: Facts,
  pane: { window_id: string; pane_id: string } | undefined,
): Promise<void> {
  await ctx.state.update((s) => {
    s.project = ctx.layout.project;
    if (s.pending?.[agent.name]) {
      delete s.pending[agent.name]; // the record says it all now
      if (Object.keys(s.pending).length === 0) delete s.pending;
    }
    s.agents[agent.name] = {
      ...s.agents[agent.name], // keeps what others wrote (the Claude session id from its hook)
      name: agent.name,
      branch: agent.spec.branch,
      base: agent.spec.base,
      worktree: agent.spec.worktree,
      task: agent.spec.task,
      source: facts.source,
      createdAt: facts.createdAt,
      createdBranch: facts.createdBranch,
      windowId: pane?.window_id,
      paneId: pane?.pane_id,
      ports: facts.iso.ports,
      // no password in state.json
      database: facts.iso.database ? storedDatabase(facts.iso.database) : undefined,
      redis: facts.iso.redis ?? undefined,
      setup: facts.setup,
      failure: facts.failure,
      ...(facts.run ? { run: facts.run } : {}),
    };
  });
}

