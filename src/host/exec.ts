// The one door through which treemux starts a process outside tmux/ and git/ (which have their own):
// setup commands, merge.test, database command providers, sqlite3, the headless agent runner's
// program, the demo agent's git. Every call is an argument array (a shell only when the user wrote a
// shell command, as `sh -c COMMAND`), so user text never becomes code by accident; a later host (ssh)
// routes these calls without touching the callers.
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * execa, loaded on first use: a command that starts no process (ls while a dashboard runs) does not
 * pay for loading it. The tmux/ and git/ modules start their processes through this one.
 */
export const execa: typeof import('execa').execa = (async (...args: Parameters<typeof import('execa').execa>) =>
  (await import('execa')).execa(...args)) as never;

/** What `collect` brings back: the exit code and the whole output (error: it could not be started). */
export interface Collected {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: NodeJS.ErrnoException;
}

/**
 * Run FILE to its end with Node's own spawn and collect its output: the light way for tmux and git,
 * called hundreds of times by `up` and once or twice by `send`/`jump`, where execa's and simple-git's
 * own work (and loading them) cost more than the programs. stdin gets INPUT, then is closed.
 */
export function collect(
  file: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<Collected> {
  const started = TRACE ? performance.now() : 0;
  return new Promise((settle: (c: Collected) => void) => {
    const resolve = TRACE ? traced(settle, started, file, args) : settle;
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // a program that outlives its time (ssh to a host that stopped answering) is killed: code null
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ code: null, stdout, stderr, error }));
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr: code === null && timer ? `${stderr}timed out after ${opts.timeoutMs} ms` : stderr });
    });
    child.stdin.on('error', () => undefined); // the program may end without reading its input
    child.stdin.end(opts.input ?? '');
  });
}

// TREEMUX_TRACE_EXEC=1: each tmux and git call on stderr, with when it started (ms since this
// process began) and how long it took, to see where a command's time goes
const TRACE = process.env.TREEMUX_TRACE_EXEC === '1';
function traced(resolve: (c: Collected) => void, started: number, file: string, args: readonly string[]): (c: Collected) => void {
  return (c) => {
    process.stderr.write(`exec ${started.toFixed(0)} +${(performance.now() - started).toFixed(0)} ${file} ${args.slice(0, 4).join(' ')}\n`);
    resolve(c);
  };
}

export interface RunOptions {
  cwd?: string;
  /** Added to (or, with `extendEnv: false`, instead of) this process's environment. */
  env?: Record<string, string | undefined>;
  extendEnv?: boolean;
  /** Written to the program's stdin; without it stdin is closed. */
  input?: string;
  timeoutMs?: number;
  /** 'buffer': stdout kept as bytes in `buffer` (an archive), not decoded */
  encoding?: 'buffer';
}

export interface RunResult {
  /** null when the program did not run or was killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they came. */
  all: string;
  ok: boolean;
  /** The program was not found (ENOENT). */
  notFound: boolean;
  timedOut: boolean;
  /** A one-line summary of a failure ("Command failed with exit code 2: …"). */
  message: string;
  /** stdout as bytes, with `encoding: 'buffer'` */
  buffer?: Buffer;
}

/** Run FILE with ARGS to its end; never throws for the program's own failure (see `ok`). */
export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await execa(file, [...args], {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: opts.extendEnv ?? true,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
    timeout: opts.timeoutMs,
    reject: false,
    all: opts.encoding !== 'buffer',
    stripFinalNewline: opts.encoding !== 'buffer',
    ...(opts.encoding === 'buffer' ? { encoding: 'buffer' as const } : {}),
  });
  const bytes = opts.encoding === 'buffer' && r.stdout instanceof Uint8Array ? Buffer.from(r.stdout) : undefined;
  return {
    ...(bytes ? { buffer: bytes } : {}),
    exitCode: r.exitCode ?? null,
    signal: r.signal ?? null,
    stdout: bytes ? '' : String(r.stdout ?? ''),
    stderr: r.stderr instanceof Uint8Array ? Buffer.from(r.stderr).toString('utf8') : String(r.stderr ?? ''),
    all: String(r.all ?? ''),
    ok: !r.failed,
    notFound: r.code === 'ENOENT',
    timedOut: r.timedOut === true,
    message: r.shortMessage ?? '',
  };
}

/** Run a command line the user wrote (setup, merge.test) with `sh -c`, in CWD. */
export function runShell(command: string, opts: RunOptions = {}): Promise<RunResult> {
  return run('sh', ['-c', command], opts);
}

/** Run FILE to its end synchronously and return its stdout; throws on failure (for small programs like the demo agent). */
export function runSync(file: string, args: readonly string[], opts: { cwd?: string } = {}): string {
  return execFileSync(file, [...args], { cwd: opts.cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export type Started = ChildProcessByStdio<null, Readable, Readable>;

/** Start FILE with ARGS, stdin closed, stdout and stderr piped to the caller (the headless runner reads them line by line). */
export function start(file: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Started {
  return spawn(file, [...args], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
}

/**
 * Start FILE with ARGS detached from this process's stdio and wait for it to exit (a program that
 * forks its own background process and returns, like `ssh -f`); its exit code, null when it could not
 * run or outlived TIMEOUT_MS (then it is killed).
 */
export function startDetached(file: string, args: readonly string[], timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(file, [...args], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', () => resolve(null));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
