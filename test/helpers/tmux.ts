// Test helper: real tmux servers on private sockets, isolated from the developer's own tmux.
//
// The first isolatedTmux() of a test process drops TMUX / TMUX_PANE (so nothing can talk to the
// tmux the tests were started from), and points TMUX_TMPDIR (where the sockets live), HOME and
// XDG_CONFIG_HOME (where tmux looks for a user config) at a fresh temp folder. Every server is started
// by the helper with `-f /dev/null`, so no configuration file at all is read. The last kill() removes
// the temp folder and restores HOME, XDG_CONFIG_HOME and TMUX_TMPDIR (TMUX stays unset).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { Tmux } from '../../src/tmux/index.js';

export interface IsolatedTmux {
  /** The `-L` socket name (`tmx-<random>`). */
  socket: string;
  /** The class under test, on this socket. */
  tmux: Tmux;
  /**
   * Raw `tmux -L socket -f /dev/null <args>` (no escaping: a lone ";" separates commands); stdout
   * without the final newline. Rejects on failure. Beware: new-session etc. start a server if none runs.
   */
  run(args: readonly string[], input?: string): Promise<string>;
  /** Full path of the socket file. */
  socketPath: string;
  /** The private TMUX_TMPDIR, HOME and scratch folders (shared by the live servers of this process). */
  dirs: { root: string; tmuxTmpdir: string; home: string; scratch: string };
  /** pid of the server started by the helper (undefined with `start: false`). */
  serverPid: number | undefined;
  /** kill-server (waiting until the server process is gone) and release the temp folder. Idempotent. */
  kill(): Promise<void>;
}

export interface IsolatedTmuxOptions {
  /**
   * Start the server (default true). It is started without sessions and with exit-empty off, so it
   * stays up with zero sessions. `false` gives a socket name on which no server runs.
   */
  start?: boolean;
}

interface Env {
  root: string;
  tmuxTmpdir: string;
  home: string;
  scratch: string;
  saved: Record<string, string | undefined>;
  live: Set<string>;
}

const RESTORED = ['HOME', 'XDG_CONFIG_HOME', 'TMUX_TMPDIR'] as const;
let env: Env | null = null;
let exitHookInstalled = false;

function acquireEnv(): Env {
  delete process.env.TMUX;
  delete process.env.TMUX_PANE;
  if (env) return env;
  // Short path: a unix socket path must stay under ~100 bytes.
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'treemux-tmux-')));
  const e: Env = {
    root,
    tmuxTmpdir: path.join(root, 't'),
    home: path.join(root, 'home'),
    scratch: path.join(root, 'scratch'),
    saved: Object.fromEntries(RESTORED.map((k) => [k, process.env[k]])),
    live: new Set(),
  };
  for (const dir of [e.tmuxTmpdir, e.home, path.join(e.home, '.config'), e.scratch]) mkdirSync(dir, { recursive: true });
  process.env.TMUX_TMPDIR = e.tmuxTmpdir;
  process.env.HOME = e.home;
  process.env.XDG_CONFIG_HOME = path.join(e.home, '.config');
  env = e;
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Safety net for a run that dies before its afterAll: no server outlives the test process.
    process.on('exit', () => {
      if (!env) return;
      for (const socket of env.live) {
        try {
          execFileSync('tmux', ['-L', socket, 'kill-server'], {
            stdio: 'ignore',
            env: { ...process.env, TMUX_TMPDIR: env.tmuxTmpdir },
          });
        } catch {
          // already gone
        }
      }
      rmSync(env.root, { recursive: true, force: true });
    });
  }
  return e;
}

function releaseEnv(e: Env): void {
  if (e.live.size > 0 || env !== e) return;
  rmSync(e.root, { recursive: true, force: true });
  for (const k of RESTORED) {
    const v = e.saved[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  env = null;
}

/** Whether a process still runs; a zombie (exited, not yet reaped by init) counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat'); // no procfs: trust kill(0); gone if the file vanished
  }
}

/** A tmux server of its own on a random socket, with a Tmux client for it. */
export async function isolatedTmux(opts: IsolatedTmuxOptions = {}): Promise<IsolatedTmux> {
  const e = acquireEnv();
  const socket = `tmx-${randomBytes(5).toString('hex')}`;
  e.live.add(socket);
  const uid = process.getuid?.() ?? 0;
  const socketPath = path.join(e.tmuxTmpdir, `tmux-${uid}`, socket);

  const run = async (args: readonly string[], input?: string): Promise<string> => {
    const r = await execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
      input,
      env: { TMUX_TMPDIR: e.tmuxTmpdir },
      stripFinalNewline: true,
    });
    return r.stdout;
  };

  let serverPid: number | undefined;
  let killed = false;
  const kill = async (): Promise<void> => {
    if (killed) return;
    killed = true;
    let pid = serverPid;
    try {
      pid = Number(await run(['display-message', '-p', '#{pid}'])) || pid;
    } catch {
      // no server
    }
    try {
      await run(['kill-server']);
    } catch {
      // no server
    }
    if (pid !== undefined) {
      const p = pid;
      await waitFor(() => !processAlive(p), { timeoutMs: 10_000, what: `tmux server ${p} (${socket}) to exit` });
    }
    rmSync(socketPath, { force: true });
    e.live.delete(socket);
    releaseEnv(e);
  };

  if (opts.start !== false) {
    try {
      await run(['start-server', ';', 'set-option', '-s', 'exit-empty', 'off']);
      serverPid = Number(await run(['display-message', '-p', '#{pid}']));
    } catch (err) {
      await kill();
      throw err;
    }
  }

  return {
    socket,
    tmux: new Tmux({ socket }),
    run,
    socketPath,
    dirs: { root: e.root, tmuxTmpdir: e.tmuxTmpdir, home: e.home, scratch: e.scratch },
    get serverPid() {
      return serverPid;
    },
    kill,
  };
}

/** T without its falsy members (what waitFor can return). */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export interface WaitForOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Poll interval (default 50 ms). */
  intervalMs?: number;
  /** What is awaited, for the error message. */
  what: string;
  /** Extra diagnostics for the error message (e.g. the captured pane). */
  dump?: () => unknown;
}

/**
 * Polls `fn` until it returns a truthy value (returned) or the deadline passes; then throws an Error
 * naming `what`, with the last value or error of `fn` and the output of `dump()`.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitForOptions): Promise<Truthy<T>> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      last = await fn();
      lastError = undefined;
      if (last) return last as Truthy<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  let dumped = '';
  if (opts.dump) {
    try {
      dumped = String(await opts.dump());
    } catch (err) {
      dumped = `(dump failed: ${String(err)})`;
    }
  }
  const lines = [`timed out after ${timeoutMs} ms waiting for ${opts.what}`];
  if (lastError !== undefined) lines.push(`last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  else lines.push(`last value: ${JSON.stringify(last)}`);
  if (opts.dump) lines.push('--- dump ---', dumped, '--- end of dump ---');
  throw new Error(lines.join('\n'));
}

/**
 * tmux 3.3a sometimes misses the SIGCHLD of a pane's program: the pane shows dead (`pane_dead` 1)
 * but `pane_dead_status` stays empty until some other child of the server exits (seen in about 1 of
 * 100 quick exits, with or without respawn-pane). Running a trivial job gives the server a SIGCHLD,
 * on which it reaps every exited child. Call it while polling for an exit status.
 */
export async function nudgeServer(t: IsolatedTmux): Promise<void> {
  await t.run(['run-shell', 'true']);
}

/** A dump function for waitFor: the screen of the pane and every pane of the server. */
export function paneDump(t: IsolatedTmux, paneId: string): () => Promise<string> {
  return async () => {
    const screen = await t.run(['capture-pane', '-p', '-J', '-t', paneId, '-S', '-200']).catch((err) => `(capture failed: ${String(err)})`);
    const panes = await t
      .run(['list-panes', '-a', '-F', '#{pane_id} #{window_id} #{window_name} dead=#{pane_dead} status=#{pane_dead_status} cmd=#{pane_current_command}'])
      .catch((err) => `(list-panes failed: ${String(err)})`);
    return `screen of ${paneId}:\n${screen}\npanes:\n${panes}`;
  };
}
