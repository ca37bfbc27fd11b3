// How an agent's work went, and whether it still holds one of `max_parallel`'s slots. Pure: the
// callers bring what tmux, the state and the watcher know.
import type { RunRecord } from '../../state/index.js';
import type { Status } from './status.js';

export interface OutcomeInput {
  mode: 'interactive' | 'headless';
  status: Status;
  /** the pane's exit status, when it has exited and tmux knows it */
  exitCode: number | null;
  run?: RunRecord;
  /** why it could not start (setup failed) */
  failure?: string;
}

/**
 * true or false once the outcome is known, null before: a headless run's result (Claude's
 * `!is_error`, or a plain program's exit status); an interactive agent's exit status once it has
 * exited; false for an agent whose setup failed, or whose headless run ended without a result.
 */
export function outcomeOf(a: OutcomeInput): boolean | null {
  if (a.failure && (a.status === 'exited' || a.status === 'stopped')) return false;
  if (a.mode === 'headless' && a.run) {
    if (a.run.phase === 'done') return a.run.ok ?? false;
    // the window ended (or is gone) before the runner could write the end: it died without a result
    if (a.status === 'exited' || a.status === 'stopped') return false;
    return null;
  }
  if (a.status === 'exited' && a.exitCode !== null) return a.exitCode === 0;
  return null;
}

/** Still running its program: holds a slot under max_parallel (a finished headless run does not). */
export function holdsSlot(a: { paneAlive: boolean; mode: 'interactive' | 'headless'; run?: RunRecord }): boolean {
  if (!a.paneAlive) return false;
  return !(a.mode === 'headless' && a.run?.phase === 'done');
}
