// What `treemux wait` decides from the watcher's rows: which agents still work, which finished,
// and how. Pure.
import type { AgentRow } from './snapshot.js';
import type { Status } from './status.js';
import { treemuxLine } from '../../util/invocation.js';

export interface Finished {
  name: string;
  status: Status;
  /** why it did not finish well (null: it did) */
  problem: string | null;
  /** the line printed when it finishes */
  line: string;
}

export interface Settled {
  /** nothing watched is queued (with a way to start), starting or busy */
  done: boolean;
  pending: { name: string; status: Status | 'unknown' }[];
  finished: Finished[];
}

const WORKING: ReadonlySet<Status> = new Set(['queued', 'starting', 'busy']);
/** statuses that hold a slot under max_parallel (a finished headless run is `exited`) */
const HOLDING: ReadonlySet<Status> = new Set(['starting', 'busy', 'waiting', 'idle']);

/** `maxParallel` (0: no limit) tells a queued agent that no slot will free without the user. */
export function settle(rows: readonly AgentRow[], watched: readonly string[], maxParallel = 0): Settled {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const holders = rows.filter((r) => HOLDING.has(r.status));
  // every slot is held by an agent at its prompt or waiting for the user: nothing frees one by itself
  const slotsStuck = maxParallel > 0 && holders.length >= maxParallel && holders.every((r) => r.status === 'idle' || r.status === 'waiting');
  const pending: Settled['pending'] = [];
  const finished: Finished[] = [];
  for (const name of watched) {
    const row = byName.get(name);
    if (!row) {
      pending.push({ name, status: 'unknown' });
      continue;
    }
    const problem = problemOf(row, byName, slotsStuck);
    if (problem === undefined) {
      pending.push({ name, status: row.status });
      continue;
    }
    finished.push({ name, status: row.status, problem, line: finishLine(row, problem) });
  }
  return { done: pending.length === 0, pending, finished };
}

/** undefined: still working; null: finished well; a string: why it did not. */
function problemOf(row: AgentRow, byName: Map<string, AgentRow>, slotsStuck: boolean): string | null | undefined {
  if (row.status === 'queued') {
    // a queued agent whose start_after agents have all stopped working waits for a merge: for the user
    const after = row.waitingFor ?? [];
    if (after.length === 0 && slotsStuck) return 'waits for a free slot, and the agents holding them are idle or wait for you (end one, or raise max_parallel)';
    const working = (n: string) => { const st = byName.get(n)?.status ?? 'stopped'; return WORKING.has(st) || st === 'unreachable'; }; // a host away may still be at work
    const stuck = after.length > 0 && after.every((n) => !working(n));
    return stuck ? `waits for ${after.join(', ')} to be merged (treemux merge ${after.join(' ')})` : undefined;
  }
  // a host that cannot be reached now may come back with the agent still at work: waited for (--timeout bounds it)
  if (WORKING.has(row.status) || row.status === 'unreachable') return undefined;
  // a headless run whose result said it failed, its program still exiting: its exit status comes in a
  // moment (the runner records it once the program ended), and the line names it
  if (row.mode === 'headless' && row.ok === false && row.exitCode === null && row.pane?.alive) return undefined;
  if (row.status === 'waiting') return 'waits for you';
  if (row.status === 'idle') return null;
  if (row.ok === true) return null;
  if (row.status === 'stopped' && row.ok === null) return `is stopped (its window is gone: ${treemuxLine(['up'])} brings it back)`;
  if (row.ok === null && row.exitCode === null) return 'exited';
  return `failed${row.exitCode !== null && row.exitCode !== 0 ? ` (exit ${row.exitCode})` : ''}`;
}

function finishLine(row: AgentRow, problem: string | null): string {
  const mark = problem === null ? '✓' : '✗';
  const what = problem === null ? row.status : `${row.status}, ${problem}`;
  const cost = row.costUsd !== null ? ` · $${row.costUsd.toFixed(4)}` : '';
  return `${row.name}: ${mark} ${what}${cost}${row.lastLine ? ` · ${row.lastLine}` : ''}`;
}
