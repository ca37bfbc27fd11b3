// treemux's record of what it made, in <git common dir>/treemux/state.json, shared by all worktrees.
// Writes are atomic (temp file + rename) and serialised by a lock, so two treemux processes never
// interleave. The record is a cache of intent, not the truth: every command reconciles it with what
// git and tmux report (see src/agents/inventory.ts), so nothing is lost when this file is.
import { createHash } from 'node:crypto';
import { readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureDirIn, readFileIn, writeFileIn } from '../host/fs.js';
import { isHeld, lock, lockPathOf } from '../host/lock.js';

export interface AgentRecord {
  name: string;
  branch: string;
  base: string;
  worktree: string;
  task: string;
  /** where the agent came from: the layout file, or `treemux add` */
  source: 'layout' | 'added';
  createdAt: string;
  /** did treemux create the branch (so it may delete it once merged)? */
  createdBranch: boolean;
  windowId?: string;
  paneId?: string;
  /** named ports it holds (also in the machine-wide registry) */
  ports?: Record<string, number>;
  /** its database, as the provider made it, but its URL without a password (state.json is 0600 too) */
  database?: { kind: 'sqlite' | 'postgres' | 'mysql' | 'command'; name: string; url: string };
  /** its Redis share */
  redis?: { prefix: string; db: number };
  /** how its setup commands went; anything but 'ok' runs them again on the next up */
  setup?: 'ok' | 'failed';
  /** why the agent could not start (shown by ls while it is exited) */
  failure?: string;
  /** the agent client's conversation id (from its events): `up` resumes it when the window comes back */
  session?: string;
  /** the same, as treemux before 0.2 recorded Claude Code's (read, no longer written) */
  claudeSession?: string;
  /** a headless agent's run (print mode, or a plain program run to its end) */
  run?: RunRecord;
  /** a name under hosts: when it runs on another host (worktree, window and pane ids are there) */
  host?: string;
}

/**
 * A headless run, written by the runner in the agent's window (src/agents/lifecycle/runner.ts) as it goes:
 * when it starts, when Claude says who it is, when it first works, and when it ends. A `send` to a
 * finished agent starts another run of the same conversation: figures add up over the runs, the
 * outcome is the latest run's.
 */
export interface RunRecord {
  phase: 'starting' | 'busy' | 'done';
  /** how many runs this agent has had (1 for the first) */
  runs: number;
  startedAt: string;
  endedAt?: string;
  /** the latest run's outcome, once it is done: Claude's `!is_error`, else exit status 0 */
  ok?: boolean;
  /** Claude's result subtype (`success`, `error_max_turns`, …) */
  subtype?: string;
  exitCode?: number | null;
  signal?: string | null;
  /** the latest run's result text, and its last assistant text */
  result?: string;
  lastText?: string;
  sessionId?: string;
  /** Claude Code's own figures, summed over the runs; null when it gave none */
  costUsd?: number | null;
  /** Claude's session total at the last result, and that session's id: a resumed run's total_cost_usd includes the runs before it */
  sessionCostUsd?: number;
  sessionCostOf?: string;
  turns?: number | null;
  durationMs?: number | null;
  permissionDenials?: { tool: string; detail: string }[];
}

export interface State {
  version: 1;
  project?: string;
  sessionId?: string;
  agents: Record<string, AgentRecord>;
  /** agents waiting to start (max_parallel, start_after), by name; started in layout order */
  queue?: string[];
  /** agents being brought up right now (worktree, setup, window): `starting` until their window runs */
  starting?: string[];
  /** agents `treemux merge` merged into their base: what `start_after` waits for */
  merged?: Record<string, { at: string; base: string; commit: string }>;
  /**
   * The journal: what `up` is about to make for an agent, written before it makes it (its branch, its
   * worktree), and cleared once the agent's record says the same. A run killed half way leaves it,
   * and the next run (or `rm`, `down`) knows what was treemux's.
   */
  pending?: Record<string, PendingAgent>;
}

/** An agent whose worktree is being made: its record's first facts (createdBranch: whether this run creates the branch), and when. */
export type PendingAgent = Pick<AgentRecord, 'name' | 'branch' | 'base' | 'worktree' | 'task' | 'source' | 'createdBranch'> & { at: string };

const EMPTY: State = { version: 1, agents: {} };

export class StateStore {
  readonly dir: string;
  readonly file: string;

  constructor(commonDir: string) {
    this.dir = join(commonDir, 'treemux');
    this.file = join(this.dir, 'state.json');
  }

  async read(): Promise<State> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY);
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const whole = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { version: 1, agents: {}, ...parsed } : parsed;
    // these exact bytes were checked before (by this or another treemux): no schema needed (zod takes
    // ~50 ms to load, a one-shot command's largest part); the schema has no defaults or transforms, so
    // what it accepted is what it returns
    const digest = createHash('sha256').update(text).digest('hex');
    if (whole !== undefined && (await readFileIn(this.dir, this.checkedFile).catch(() => null)) === digest) return whole as State;
    // the schema (and zod) is loaded on the first read of new bytes: a command that reads no state does not load it
    const { stateSchema } = await import('./schema.js');
    const checked = stateSchema.safeParse(whole);
    if (checked.success && Object.entries(checked.data.agents).every(([k, a]) => a.name === k)) {
      await this.noteChecked(digest);
      return checked.data as State;
    }
    // Damaged bytes, or valid JSON of the wrong shape: not fatal, and not lost. The file is set aside
    // (kept, renamed) and the truth is rebuilt from git, tmux and the worktrees' markers.
    await this.setAside();
    return structuredClone(EMPTY);
  }

  /** Where the digest of the last state.json bytes that passed the schema is kept. */
  private get checkedFile(): string {
    return join(this.dir, 'state.checked');
  }

  /** Remember that these bytes passed (best effort: without it the next read checks again). */
  private async noteChecked(digest: string): Promise<void> {
    await writeFileIn(this.dir, this.checkedFile, digest, { mode: 0o600 }).catch(() => undefined);
  }

  /** Move a state file that cannot be used to state.json.bad-<time>, for a person to look at. */
  private async setAside(): Promise<void> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await rename(this.file, `${this.file}.bad-${stamp}`).catch(() => undefined); // another process set it aside first
  }

  /** Read, change and write the state under the lock. `change` may mutate the draft it is given. */
  async update(change: (draft: State) => void | Promise<void>): Promise<State> {
    // updates from this process take turns here first (agents brought up side by side), so that they
    // do not contend for the file lock with each other, only with other processes
    const mine = this.queue.then(() => this.updateLocked(change));
    this.queue = mine.catch(() => undefined);
    return mine;
  }

  private queue: Promise<unknown> = Promise.resolve();

  private async updateLocked(change: (draft: State) => void | Promise<void>): Promise<State> {
    await ensureDirIn(dirname(this.dir), this.dir);
    const release = await lock(this.file, { staleMs: 15_000, retries: 50 }); // the lock is state.json.lock
    try {
      const draft = await this.read();
      await change(draft);
      // private: it says where every agent's database and ports are (passwords are never kept in it)
      const text = `${JSON.stringify(draft, null, 2)}\n`;
      await writeAtomic(this.file, text, 0o600);
      // a draft that was read checked and changed by typed code: its bytes pass as they are
      await this.noteChecked(createHash('sha256').update(text).digest('hex'));
      return draft;
    } finally {
      await release();
    }
  }

  /**
   * Run `work` while holding the project's operations lock, so that two treemux processes changing
   * agents (up, rm, down, merge, the queue) take turns instead of both creating the same window or
   * worktree. While another holds it (its setup may run `npm install`), `onWait` hears once who, and
   * this waits up to `waitMs`.
   */
  async exclusive<T>(work: () => Promise<T>, opts: { onWait?: (holder: string) => void; waitMs?: number } = {}): Promise<T> {
    await ensureDirIn(dirname(this.dir), this.dir);
    const lockPath = join(this.dir, 'ops');
    const owner = join(this.dir, 'ops.owner');
    const take = () => lock(lockPath, { staleMs: 30_000, updateMs: 5_000 }); // the lock is treemux/ops.lock
    const deadline = Date.now() + (opts.waitMs ?? 15 * 60_000);
    let release: (() => Promise<void>) | undefined;
    let told = false;
    while (!release) {
      try {
        release = await take();
      } catch (err) {
        if (!isHeld(err)) throw err;
        const holder = await readFile(owner, 'utf8').catch(() => 'another treemux command');
        // a holder that is gone (killed, crashed) holds nothing: its lock is taken over at once,
        // instead of waiting for it to go stale
        const pid = Number(/\(pid (\d+)\)/.exec(holder)?.[1]);
        if (pid && pid !== process.pid && !alive(pid)) {
          await rm(lockPathOf(lockPath), { recursive: true, force: true });
          continue;
        }
        if (Date.now() > deadline) throw new Error(`${holder.trim()} has held this project's lock too long; try again when it has finished`);
        if (!told) opts.onWait?.(holder.trim());
        told = true;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await writeFileIn(this.dir, owner, `${describeSelf()}\n`).catch(() => undefined); // only a courtesy for whoever waits
    try {
      return await work();
    } finally {
      // the owner file goes first: a name left behind could make a waiter take a live holder's lock
      await rm(owner, { force: true });
      await release().catch(() => undefined);
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process: alive
  }
}

/** This process as the holder of the lock: `treemux up (pid 1234)`. */
function describeSelf(): string {
  const args = process.argv.slice(2);
  const what = args[0] === 'run' ? `the end of ${args[args.indexOf('--agent') + 1] ?? 'a'} headless run (starting queued agents)` : `treemux ${args.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}`;
  return `${what.slice(0, 80)} (pid ${process.pid})`;
}

/** The whole file anew, atomically (temp file and rename in its folder); a link there is replaced, never followed. */
export async function writeAtomic(file: string, content: string, mode = 0o644): Promise<void> {
  await writeFileIn(dirname(file), file, content, { mode });
}
