// Runs git for the git module: always an argument array through simple-git, never a shell.
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { GitError } from './errors.js';

// simple-git strips every ambient GIT_* variable from git's environment (good: a stray GIT_DIR from a
// hook cannot redirect us), but a user's own choice of config files must still apply.
const PASSED_ENV = ['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_NOSYSTEM', 'GIT_CEILING_DIRECTORIES'];

/** A simple-git instance working in `dir`. */
export function gitIn(dir: string): SimpleGit {
  if (!existsSync(dir)) throw new GitError(`${dir} does not exist`);
  return simpleGit({ baseDir: dir, allowEnvironment: PASSED_ENV });
}

/** `git <args>` in `dir`; its stdout untrimmed. Failures become a one-line GitError. */
export async function git(dir: string, args: string[]): Promise<string> {
  const instance = gitIn(dir);
  try {
    return await instance.raw(args);
  } catch (err) {
    throw new GitError(`git ${commandName(args)}: ${reason(err)}`);
  }
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
    const v = await simpleGit({ baseDir: tmpdir(), allowEnvironment: PASSED_ENV }).version();
    return v.installed ? `${v.major}.${v.minor}.${v.patch}` : null;
  } catch {
    return null;
  }
}
