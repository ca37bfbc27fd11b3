// Test helper: throwaway git repositories under a private HOME and global git config, so tests never
// read or write the user's own git settings. Real git, no mocks.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

const GLOBAL_CONFIG = `[user]
\tname = Treemux Test
\temail = test@treemux.invalid
[init]
\tdefaultBranch = main
[advice]
\tdetachedHead = false
[commit]
\tgpgsign = false
[core]
\tautocrlf = false
`;

let active: { restore: () => void; home: string } | null = null;

/**
 * Points HOME, XDG_CONFIG_HOME and GIT_CONFIG_GLOBAL at a fresh temp home (with user.name/email and
 * init.defaultBranch main), ignores the system config and drops ambient GIT_* variables (e.g. a GIT_DIR
 * from a hook). Idempotent; returns the function that restores the previous environment.
 */
export function isolateGitEnv(): () => void {
  if (active) return active.restore;
  const saved = { ...process.env };
  const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'treemux-home-')));
  mkdirSync(path.join(home, '.config'));
  writeFileSync(path.join(home, '.gitconfig'), GLOBAL_CONFIG);
  for (const key of Object.keys(process.env)) if (key.startsWith('GIT_')) delete process.env[key];
  Object.assign(process.env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
  });
  const restore = () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    rmSync(home, { recursive: true, force: true });
    active = null;
  };
  active = { restore, home };
  return restore;
}

export interface MakeRepoOptions {
  /** Folder name of the repository (default "repo"); may contain spaces. */
  name?: string;
  /** Files of the first commit (default: README.md). An empty object makes no commit. */
  files?: Record<string, string>;
}

export interface TestRepo {
  /** The repository's main checkout (realpath). */
  dir: string;
  /** Temp folder holding `dir`; free for worktrees and other scratch files. */
  tmp: string;
  /** `git <args>` in `cwd` (default `dir`); stdout without the final newline. Throws on failure. */
  git(args: string[], cwd?: string): Promise<string>;
  /** Writes a file (parents created) relative to `cwd` (default `dir`). */
  write(rel: string, content: string | Uint8Array, cwd?: string): Promise<void>;
  /** Writes the files, stages everything and commits; returns the new commit id. */
  commit(message: string, files?: Record<string, string>, cwd?: string): Promise<string>;
  cleanup(): void;
}

/** A new repository in its own temp folder, with one commit. Isolates the git environment first. */
export async function makeRepo(opts: MakeRepoOptions = {}): Promise<TestRepo> {
  isolateGitEnv();
  const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'treemux-git-')));
  const dir = path.join(tmp, opts.name ?? 'repo');
  const run = async (args: string[], cwd = dir) => (await execa('git', args, { cwd })).stdout;
  const write = async (rel: string, content: string | Uint8Array, cwd = dir) => {
    await mkdir(path.dirname(path.join(cwd, rel)), { recursive: true });
    await writeFile(path.join(cwd, rel), content);
  };
  const commit = async (message: string, files: Record<string, string> = {}, cwd = dir) => {
    for (const [rel, content] of Object.entries(files)) await write(rel, content, cwd);
    await run(['add', '--all'], cwd);
    await run(['commit', '--quiet', '--allow-empty', '--message', message], cwd);
    return run(['rev-parse', 'HEAD'], cwd);
  };
  await mkdir(dir);
  await run(['init', '--quiet']);
  const files = opts.files ?? { 'README.md': '# test\n' };
  if (Object.keys(files).length > 0) await commit('initial', files);
  return { dir, tmp, git: run, write, commit, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}
