// Runs git for the git module: always an argument array, never a shell.
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collect } from '../host/exec.js';
import { GitError } from './errors.js';

// Every ambient GIT_* variable (and PAGER, PREFIX, SSH_ASKPASS, VISUAL) is kept out of git's
// environment, as simple-git's environment guard does (a stray GIT_DIR from a hook cannot redirect
// us), but a user's own choice of config files must still apply.
const PASSED_ENV = ['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_NOSYSTEM', 'GIT_CEILING_DIRECTORIES'];
const GUARDED = new Set(['pager', 'prefix', 'ssh_askpass', 'visual']);
const PASSED = new Set(PASSED_ENV.map((k) => k.toLowerCase()));

/** This process's environment as git gets it. */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    const key = k.toLowerCase().trim();
    if ((key.startsWith('git_') || GUARDED.has(key)) && !PASSED.has(key)) continue;
    env[k] = v;
  }
  env.GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS = 'true'; // an abbreviated option is refused, not guessed
  return env;
}

/**
 * `git <args>` in `dir`; its stdout untrimmed. Failures become a one-line GitError: as with
 * simple-git, a failure is an exit code with something on stderr (`rev-parse --verify --quiet` says
 * "no" by its exit code alone, and resolves with nothing). Run with Node's own spawn: `up` makes
 * hundreds of these, and each cost tens of milliseconds more through simple-git's queue.
 */
export async function git(dir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  if (!existsSync(dir)) throw new GitError(`${dir} does not exist`);
  const r = await collect('git', args, { cwd: dir, env: { ...gitEnv(), ...extraEnv } });
  if (r.error) throw new GitError(`git ${commandName(args)}: ${r.error.code === 'ENOENT' ? 'git is not installed (not found on PATH)' : r.error.message}`);
  if (r.code !== 0 && r.stderr.length > 0) throw new GitError(`git ${commandName(args)}: ${reason(r.stdout + r.stderr)}`);
  return r.stdout;
}

/** Output lines without the trailing empty one. */
export function lines(out: string): string[] {
  return out.split('\n').filter((l) => l !== '');
}

function commandName(args: string[]): string {
  const words = args.filter((a) => !a.startsWith('-'));
  return words[0] === 'worktree' ? words.slice(0, 2).join(' ') : (words[0] ?? '');
}

/** The line of a git failure that says why (its first fatal/error line, else its last line), unprefixed. */
export function reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const all = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = all.find((l) => /^(fatal|error): /.test(l)) ?? all[all.length - 1] ?? 'failed';
  return line.replace(/^(fatal|error): /, '');
}

/** Absolute path with symlinks resolved as far as the path exists (so missing paths compare too). */
export function canonicalPath(p: string): string {
  const abs = path.resolve(p);
  try {
    return realpathSync.native(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(canonicalPath(parent), path.basename(abs));
  }
}

/** The installed git's version ("2.39.5"), or null when git is missing. */
export async function gitVersion(): Promise<string | null> {
  try {
    const r = await collect('git', ['--version'], { cwd: tmpdir(), env: gitEnv() });
    const m = r.code === 0 ? /(\d+)\.(\d+)(?:\.(\d+))?/.exec(r.stdout) : null;
    return m ? `${m[1]}.${m[2]}.${m[3] ?? 0}` : null;
  } catch {
    return null;
  }
}
