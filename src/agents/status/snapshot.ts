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
  /** the database as it was made, its URL with any password masked (ls --json shows it) */
  db?: { kind: string; name: string; url: string };
  lastLine: string;
  worktree: string;
  task: string;
  /** files changed against base (committed or not), when known */
  changedFiles: number | null;
  /** the agent has a tmux window */
  hasWindow: boolean;
  /**
   * The sizes of its pane log and hook events when this row was made (null: none): a reader whose
   * files are bigger now knows the row is behind them (fresh.ts). Not news for the views.
   */
  seen?: { log: number | null; events: number | null };
  /**
   * How much its pane has printed so far (its log's size; absent while none is kept). Unlike `seen`,
   * news for the views: one that shows the agent's screen reads it again when this moves.
   */
  activity?: number;
  /** its pane and window (tmux ids), and whether its program still runs: `send` and `jump` go there */
  pane?: { id: string; window: string; alive: boolean };
  /** the host it runs on, when not this one (its pane, window and worktree are there) */
  host?: string;
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
  /**
   * What the leader's look rests on, so that a one-shot command (ls, send, jump) can tell whether
   * the snapshot answers for it: the tmux server, state.json as last read (mtime:size), and the
   * layout's agents (name, branch, worktree). See fresh.ts.
   */
  basis?: SnapshotBasis;
  /** the project's tmux session and its dashboard's window (ids), when the leader saw them */
  tmux?: { session: string; dash?: string };
}

export interface SnapshotBasis {
  server: string;
  state: string;
  layout: string;
}

/** A stream of snapshots: subscribe returns an unsubscribe function; current() the latest. */
export interface Source {
  current(): Snapshot;
  subscribe(listener: (s: Snapshot) => void): () => void;
}
