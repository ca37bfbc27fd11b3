// An agent's row in the snapshot, from what the Observer remembers of it. Pure.
import { isAlive } from './alive.js';
import { maskUrl } from '../../db/mask.js';
import { isDead } from './alive.js';
import type { RunRecord } from '../../state/index.js';
import type { PaneRow } from '../../tmux/index.js';
import type { AgentView } from '../inventory.js';
import type { Memory } from './memory.js';
import { outcomeOf } from './outcome.js';
import type { AgentRow } from './snapshot.js';
import type { Status } from './status.js';

/** Where an agent's window is numbered: agent N's window is the dashboard's number + N (dash is 0, or tmux's base-index). */
export function dashIndexOf(panes: readonly PaneRow[]): number {
  return Number(panes.find((p) => p['@treemux-role'] === 'dash')?.window_index ?? 0);
}

/** The start_after agents a queued agent still waits for (none once it has a worktree). */
function waitingFor(agent: AgentView, merged: ReadonlySet<string>): string[] {
  return agent.worktree ? [] : agent.spec.startAfter.filter((n) => !merged.has(n));
}

/** What a queued agent waits for, as its last line. */
export function queuedLine(agent: AgentView, merged: ReadonlySet<string>): string {
  const after = waitingFor(agent, merged);
  return after.length ? `waits for ${after.join(', ')} to be merged into ${agent.spec.base}` : 'waits for a free slot (max_parallel)';
}

/** An agent of the layout that does not exist now: `r` (or `treemux up NAME`) makes it. */
export function notCreatedRow(agent: AgentView, now: number, dashIndex: number): AgentRow {
  return {
    name: agent.name,
    index: dashIndex + agent.spec.index,
    status: 'stopped',
    created: false,
    mode: agent.spec.mode,
    ok: null,
    costUsd: null,
    since: now,
    branch: agent.spec.branch,
    base: agent.spec.base,
    ports: {},
    database: null,
    lastLine: '',
    worktree: agent.spec.worktree,
    task: agent.spec.task,
    changedFiles: null,
    hasWindow: false,
    exitCode: null,
  };
}

/** The exit status: a headless run's, recorded before its window closes (the runner may still be starting queued agents), else the dead pane's. */
function exitCodeOf(run: RunRecord | undefined, pane: PaneRow | undefined): number | null {
  if (run?.phase === 'done' && run.exitCode !== undefined) return run.exitCode;
  return isDead(pane) && pane.pane_dead_status !== '' ? Number(pane.pane_dead_status) : null;
}

export function toRow(agent: AgentView, status: Status, mem: Memory, pane: PaneRow | undefined, merged: ReadonlySet<string>, dashIndex: number): AgentRow {
  const record = agent.record;
  const shown: Status = agent.worktree || pane || status === 'queued' || status === 'starting' ? status : 'stopped';
  const run = agent.spec.mode === 'headless' ? record?.run : undefined;
  const exitCode = exitCodeOf(run, pane);
  return {
    name: agent.name,
    // the number of its tmux window (prefix N goes there too), else its place in the layout
    // (a window on another host is numbered there: its place in the layout here)
    index: pane && !agent.remote ? Number(pane.window_index) : dashIndex + agent.spec.index,
    status: shown,
    created: true,
    mode: agent.spec.mode,
    ok: outcomeOf({ mode: agent.spec.mode, status: shown, exitCode, run, failure: record?.failure }),
    costUsd: run?.costUsd ?? null,
    ...(shown === 'queued' ? { waitingFor: waitingFor(agent, merged) } : {}),
    since: mem.since,
    branch: agent.spec.branch,
    base: agent.spec.base,
    ports: record?.ports ?? {},
    database: record?.database?.name ?? null,
    ...(record?.database ? { db: { ...record.database, url: maskUrl(record.database.url) } } : {}),
    lastLine: shown === 'queued' && !mem.lastLine ? queuedLine(agent, merged) : mem.lastLine,
    worktree: agent.spec.worktree,
    task: agent.spec.task,
    changedFiles: mem.changed.count,
    violations: mem.changed.violations,
    hasWindow: Boolean(pane),
    seen: { log: mem.logSize ?? null, events: mem.eventsSize ?? null },
    ...(mem.logSize !== undefined ? { activity: mem.logSize } : {}),
    ...(pane ? { pane: { id: pane.pane_id, window: pane.window_id, alive: isAlive(pane) } } : {}),
    ...(agent.remote ? { host: agent.remote.host } : {}),
    exitCode,
  };
}
