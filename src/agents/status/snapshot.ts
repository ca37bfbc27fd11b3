// What the watcher knows of every agent at a moment: a row per agent, and a stream of them. The
// dashboard, the sidebar, `wait` and `ls` read these; the watcher (watcher.ts) makes them.
import type { Status } from './status.js';

export interface AgentRow {
  name: string;
  /** the number of its tmux window, else its 1-based place in the layout (the number key that jumps to it) */
  index: number;
  status: Status;
  /** false: declared in the layout, not made (status `stopped`); `r` makes it */
  created: boolean;
  mode: 'interactive' | 'headless';
  /** how its work went, once known (a headless result, an exit status); null before */
  ok: boolean | null;
  /** Claude Code's own cost figure for a headless agent's runs; null when none */
  costUsd: number | null;
  /** a queued agent's start_after agents not merged yet (empty: it waits for a free slot) */
  waitingFor?: string[];
  /** ms since the epoch when the current status began */
  since: number;
  branch: string;
  base: string;
  ports: Record<string, number>;
  /** database name (null: none) */
  database: string | null;
  lastLine: string;
  worktree: string;
  task: string;
  /** files changed against base (committed or not), when known */
  changedFiles: number | null;
  /** the agent has a tmux window */
  hasWindow: boolean;
  exitCode: number | null;
  /** files changed outside its scope or inside its avoid list */
  violations?: string[];
  /** predicted merge conflicts: with another agent (its name) or with its base that moved */
  conflicts?: { with: string; files: string[] }[];
}

export interface Snapshot {
  project: string;
  session: string;
  agents: AgentRow[];
  /** ms since the epoch */
  at: number;
}

/** A stream of snapshots: subscribe returns an unsubscribe function; current() the latest. */
export interface Source {
  current(): Snapshot;
  subscribe(listener: (s: Snapshot) => void): () => void;
}
