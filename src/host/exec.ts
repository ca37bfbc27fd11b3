// The one door through which treemux starts a process outside tmux/ and git/ (which have their own):
// setup commands, merge.test, database command providers, sqlite3, the headless agent runner's
// program, the demo agent's git. Every call is an argument array (a shell only when the user wrote a
// shell command, as `sh -c COMMAND`), so user text never becomes code by accident; a later host (ssh)
// routes these calls without touching the callers.
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { execa } from 'execa';

export interface RunOptions {
  cwd?: string;
  /** Added to (or, with `extendEnv: false`, instead of) this process's environment. */
  env?: Record<string, string | undefined>;
  extendEnv?: boolean;
  /** Written to the program's stdin; without it stdin is closed. */
  input?: string;
  timeoutMs?: number;
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
    all: true,
    stripFinalNewline: true,
  });
  return {
    exitCode: r.exitCode ?? null,
    signal: r.signal ?? null,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
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
