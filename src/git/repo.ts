// The repository treemux works on: its main checkout, branches and linked worktrees.
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { BaseMissingError, BranchCheckedOutError, GitError, NotARepoError, PathExistsError } from './errors.js';
import { canonicalPath, git, gitIn, lines, reason } from './exec.js';
import { mergeExcludeBlock, parseStatusPaths, parseWorktreeList, type Worktree } from './parse.js';
import { saveToTrash, type TrashResult } from './trash.js';
import { readFileIn, writeFileIn } from '../host/fs.js';
import { headOf } from './trash.js';

export interface WorkState {
  /** Paths (relative to the worktree) with uncommitted changes, untracked ones included, ignored ones not. */
  uncommitted: string[];
  /** Commits on the worktree's HEAD that are not in base. */
  unmergedCommits: number;
  /** its branch was deleted by hand: the commit it was last at, when known */
  branchDeleted?: { lastCommit: string | null };
}

/** Opens the repository around `cwd`: its main checkout or any linked worktree, or a folder inside one. */
export async function openRepo(cwd: string): Promise<Repo> {
  const dir = path.resolve(cwd);
  if (!existsSync(dir)) throw new NotARepoError(dir);
  let common: string;
  try {
    common = (await gitIn(dir).raw(['rev-parse', '--git-common-dir'])).trim();
  } catch (err) {
    throw /not a git repository/i.test(String(err)) ? new NotARepoError(dir) : new GitError(`git rev-parse: ${reason(err)}`);
  }
  const commonDir = canonicalPath(path.resolve(dir, common));
  const main = (await listWorktreesIn(dir))[0];
  if (!main || main.bare) throw new GitError(`${commonDir} is a bare repository; treemux needs a checkout`);
  return new Repo(main.path, commonDir);
}

async function listWorktreesIn(dir: string): Promise<Worktree[]> {
  const nul = await git(dir, ['worktree', 'list', '--porcelain', '-z']).catch(() => null);
  const list = nul !== null ? parseWorktreeList(nul) : parseWorktreeList(await git(dir, ['worktree', 'list', '--porcelain']), '\n');
  return list.map((w) => ({ ...w, path: canonicalPath(w.path) }));
}

/** True when nothing is at `p`, or only an empty directory. */
async function isFreePath(p: string): Promise<boolean> {
  const stat = await lstat(p).catch(() => null);
  return stat === null || (stat.isDirectory() && (await readdir(p)).length === 0);
}


/** Removes `from` and its parents up to `upTo` while they are empty. */
async function removeEmptyDirs(from: string, upTo: string): Promise<void> {
  for (let dir = from; dir.startsWith(upTo); dir = path.dirname(dir)) {
    if (!(await rmdir(dir).then(() => true, () => false))) return;
  }
}

export class Repo {
  readonly name: string;

  constructor(
    /** Absolute, symlink-free path of the main worktree. */
    readonly root: string,
    /** Absolute git common dir (e.g. `<root>/.git`). */
    readonly commonDir: string,
  ) {
    this.name = path.basename(root);
  }

  private git(args: string[]): Promise<string> {
    return git(this.root, args);
  }

  /** A path given relative to the repository root, made absolute and symlink-free. */
  private abs(p: string): string {
    return canonicalPath(path.resolve(this.root, p));
  }

  /** The branch checked out in the main worktree; null when detached. */
  async currentBranch(): Promise<string | null> {
    return (await this.git(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim() || null;
  }

  async branchExists(name: string): Promise<boolean> {
    const ref = `refs/heads/${name}`;
    return lines(await this.git(['for-each-ref', '--format=%(refname)', ref])).includes(ref);
  }

  /** The commit id `ref` names, or null. */
  async resolveRef(ref: string): Promise<string | null> {
    if (ref === '' || ref.startsWith('-')) return null; // never an option
    const out = await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '');
    return out.trim() || null;
  }

  async localBranches(): Promise<string[]> {
    const out = await this.git(['for-each-ref', '--format=%(refname)', 'refs/heads/']);
    return lines(out).map((r) => r.replace(/^refs\/heads\//, ''));
  }

  /** The commit id of `base`, or BaseMissingError. */
  async requireBase(base: string): Promise<string> {
    const id = await this.resolveRef(base);
    if (id === null) throw new BaseMissingError(base, await this.localBranches());
    return id;
  }

  /** Every worktree, the main one first; paths absolute and symlink-free. */
  listWorktrees(): Promise<Worktree[]> {
    return listWorktreesIn(this.root);
  }

  /**
   * Checks `branch` out in a new worktree at `p` (relative paths: from the root), creating the branch
   * from `base` when missing. Already there with that branch: nothing to do. On failure nothing is left.
   */
  async addWorktree(p: string, branch: string, base: string): Promise<{ createdBranch: boolean }> {
    const target = this.abs(p);
    await this.git(['worktree', 'prune']);
    const plan = await this.planWorktree(target, branch);
    if (plan === 'exists') return { createdBranch: false };
    const baseId = plan === 'create' ? await this.requireBase(base) : null;
    const made = await mkdir(path.dirname(target), { recursive: true });
    try {
      await this.git(['worktree', 'add', '--quiet', ...(baseId !== null ? ['-b', branch, target, baseId] : [target, branch])]);
    } catch (err) {
      await this.undoAdd(target, baseId !== null ? branch : null, made);
      throw err;
    }
    return { createdBranch: baseId !== null };
  }

  private async planWorktree(target: string, branch: string): Promise<'exists' | 'checkout' | 'create'> {
    const worktrees = await this.listWorktrees();
    const atPath = worktrees.find((w) => w.path === target);
    if (atPath) {
      if (atPath.branch === branch) return 'exists';
      throw new PathExistsError(target);
    }
    const holder = worktrees.find((w) => w.branch === branch);
    if (holder) throw new BranchCheckedOutError(branch, holder.path);
    if (!(await isFreePath(target))) throw new PathExistsError(target);
    return (await this.branchExists(branch)) ? 'checkout' : 'create';
  }

  private async undoAdd(target: string, createdBranch: string | null, madeDir: string | undefined): Promise<void> {
    const ignore = () => undefined;
    if ((await this.listWorktrees()).some((w) => w.path === target)) {
      await this.git(['worktree', 'remove', '--force', '--force', target]).catch(ignore);
    }
    await this.git(['worktree', 'prune']).catch(ignore);
    if (createdBranch !== null && (await this.branchExists(createdBranch))) {
      await this.git(['branch', '--delete', '--force', '--', createdBranch]).catch(ignore);
    }
    if (madeDir !== undefined) await removeEmptyDirs(path.dirname(target), madeDir);
  }

  /** `git worktree remove` (`--force --force` with force: dirty or locked too), then prune. */
  async removeWorktree(p: string, opts: { force?: boolean } = {}): Promise<void> {
    const target = this.abs(p);
    // a folder deleted by hand leaves git's entry only: prune takes that away
    if (existsSync(target)) {
      await this.git(['worktree', 'remove', ...(opts.force ? ['--force', '--force'] : []), target]);
    }
    await this.git(['worktree', 'prune']);
  }

  /** True when every commit of `branch` is reachable from `base`. */
  async isMerged(branch: string, base: string): Promise<boolean> {
    const [tip, baseId] = await Promise.all([this.branchTip(branch), this.requireBase(base)]);
    if (tip === null) throw new GitError(`branch ${branch} does not exist`);
    return (await this.git(['rev-list', '--count', `${baseId}..${tip}`])).trim() === '0';
  }

  /** The commit of local branch `name` (not a same-named tag), else whatever `name` resolves to. */
  private async branchTip(name: string): Promise<string | null> {
    return (await this.resolveRef(`refs/heads/${name}`)) ?? this.resolveRef(name);
  }

  /** `git branch -d` (`-D` with force: even when not merged into the main worktree's HEAD). */
  async deleteBranch(name: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.git(['branch', '--delete', ...(opts.force ? ['--force'] : []), '--', name]);
  }

  async workState(worktreePath: string, base: string): Promise<WorkState> {
    const baseId = await this.requireBase(base);
    const head = await headOf(worktreePath);
    const [status, count] = await Promise.all([
      git(worktreePath, ['--no-optional-locks', 'status', '--porcelain', '-z', '--untracked-files=all']),
      head.id ? git(worktreePath, ['rev-list', '--count', `${baseId}..${head.id}`]) : Promise.resolve('0'),
    ]);
    const state: WorkState = { uncommitted: parseStatusPaths(status), unmergedCommits: Number(count.trim()) };
    if (head.lost) state.branchDeleted = { lastCommit: head.id };
    return state;
  }

  /** Saves a worktree's uncommitted work under `destDir` without touching the worktree or its index. */
  async saveToTrash(worktreePath: string, base: string, destDir: string): Promise<TrashResult> {
    return saveToTrash(worktreePath, { name: base, id: await this.resolveRef(base) }, destDir);
  }

  /** Adds patterns to `<commonDir>/info/exclude` (all worktrees read it), in treemux's own block. */
  async addExcludes(patterns: string[]): Promise<void> {
    const bad = patterns.find((p) => /[\r\n]/.test(p));
    if (bad !== undefined) throw new GitError(`exclude pattern has a line break: ${JSON.stringify(bad)}`);
    const file = path.join(this.commonDir, 'info', 'exclude');
    const next = mergeExcludeBlock((await readFileIn(this.commonDir, file)) ?? '', patterns);
    if (next !== null) await writeFileIn(this.commonDir, file, next);
  }

  /** The per-worktree git dir (`<commonDir>/worktrees/<id>`; the common dir for the main one). */
  async worktreeGitDir(worktreePath: string): Promise<string> {
    return canonicalPath((await git(worktreePath, ['rev-parse', '--absolute-git-dir'])).trim());
  }

  /**
   * The per-worktree git dirs of all linked worktrees, keyed by worktree path, read from
   * `<common>/worktrees/<id>/gitdir` without running git (cheap enough for every refresh).
   */
  async worktreeAdminDirs(): Promise<Map<string, string>> {
    const dir = path.join(this.commonDir, 'worktrees');
    const map = new Map<string, string>();
    let ids: string[];
    try {
      ids = await readdir(dir);
    } catch {
      return map;
    }
    for (const id of ids) {
      try {
        const dotGit = (await readFile(path.join(dir, id, 'gitdir'), 'utf8')).trim();
        map.set(canonicalPath(path.dirname(dotGit)), path.join(dir, id));
      } catch {
        // not a worktree admin dir, or being created right now
      }
    }
    return map;
  }

  /** Which of these paths (relative to the main checkout) git tracks as symbolic links. */
  async trackedLinks(rels: readonly string[]): Promise<Set<string>> {
    if (rels.length === 0) return new Set();
    const out = await git(this.root, ['ls-files', '-s', '-z', '--', ...rels.map((r) => `:(literal)${r}`)]);
    const links = new Set<string>();
    for (const entry of out.split('\0')) {
      const m = /^120000 [0-9a-f]+ \d+\t(.*)$/s.exec(entry);
      if (m) links.add(m[1]!);
    }
    return links;
  }

  /**
   * Files whose change times move when a worktree's branch or base move (a commit, a merge, a reset,
   * a checkout), so that a watcher can notice with a stat instead of running git: the worktree's HEAD,
   * the loose refs of branch and base, and packed-refs. Not the index: every `git status` (a shell
   * prompt's too) rewrites it.
   */
  watchFiles(adminDir: string | undefined, branch: string, base: string): string[] {
    const files = [path.join(this.commonDir, 'packed-refs'), ...[branch, base].map((b) => path.join(this.commonDir, 'refs', 'heads', ...b.split('/')))];
    if (adminDir) files.push(path.join(adminDir, 'HEAD'));
    return files;
  }

  /** How many files the worktree changed against base: committed since the merge base, or not committed. */
  async changedFiles(worktreePath: string, base: string): Promise<number> {
    const [committed, status] = await Promise.all([
      git(worktreePath, ['diff', '--name-only', '-z', `${base}...HEAD`]).catch(() => ''),
      git(worktreePath, ['status', '--porcelain', '-z', '--untracked-files=all']).catch(() => ''),
    ]);
    const files = new Set(committed.split('\0').filter(Boolean));
    for (const path of parseStatusPaths(status)) files.add(path);
    return files.size;
  }

  /** `git check-ignore`: whether `relPath` (relative to the worktree) is ignored there. */
  async isIgnored(worktreePath: string, relPath: string): Promise<boolean> {
    return (await git(worktreePath, ['check-ignore', '--', relPath])).trim() !== '';
  }
}
