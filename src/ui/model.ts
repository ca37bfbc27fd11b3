// What the dashboard and the sidebar show, and what they can ask for. The data comes from the
// watcher (src/agents/status/watcher.ts) through a Source; the actions are carried out by the command that
// mounts the UI. Components never talk to tmux, git or files themselves.
import type { Status } from '../agents/status/status.js';

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

/** What the UI can ask for. Every promise resolves to a one-line message to show, or null. */
export interface Actions {
  jump(name: string): Promise<string | null>;
  send(name: string, text: string): Promise<string | null>;
  sendAll(text: string): Promise<string | null>;
  /** create an agent like `treemux add NAME --task TASK` */
  add(name: string, task: string): Promise<string | null>;
  /** what removing would lose (the same refusal rules as `rm`); null when nothing */
  removalBlocker(name: string): Promise<string | null>;
  /** remove like `rm` (force: like `rm --force`) */
  remove(name: string, force: boolean): Promise<string | null>;
  /** restart an exited agent */
  restart(name: string): Promise<string | null>;
  /** the last lines of the agent's log, ANSI-stripped */
  log(name: string, lines: number): Promise<string[]>;
  quit(): void;
}
