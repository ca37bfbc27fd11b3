// The repository treemux works on: its main checkout, branches and linked worktrees.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { BaseMissingError, BranchCheckedOutError, GitError, PathExistsError } from './errors.js';
import { canonicalPath, git, lines, reason } from './exec.js';
import { collect } from '../host/exec.js';
import { headBranch, linkedGitDir } from './locate.js';
import { parseStatusPaths, type Worktree } from './parse.js';
import { headOf, saveToTrash, type TrashResult } from './trash.js';
import { addExcludeBlock, changedFilesCount, isFreePath, watchFilesOf, listWorktreesIn, onceIn, readAdminDirs, removeEmptyDirs, trackedLinksIn, worktreeStatuses, type Batch, type WorkState } from './worktrees.js';

export { openRepo } from './open.js';
export type { WorkState } from './worktrees.js';

export class Repo {
  readonly name: string;
  private batchFacts: Batch | null = null;
  private refChanges: Promise<unknown> = Promise.resolve();

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

  /**
   * Changes to the repository's worktrees and branches, one at a time within this process (agents
   * are brought up and down side by side): git reads every worktree's entry when adding or removing
   * one, and deleting a branch takes packed-refs.lock.
   */
  private oneAtATime<T>(change: () => Promise<T>): Promise<T> {
    const run = this.refChanges.then(change, change);
    this.refChanges = run.catch(() => undefined);
    return run;
  }

  /** Run FN with repository-wide facts read once (see Batch); nested calls share the outer batch. */
  async batch<T>(fn: () => Promise<T>): Promise<T> {
    if (this.batchFacts) return fn();
    this.batchFacts = { bases: new Map() };
    try {
      return await fn();
    } finally {
      this.batchFacts = null;
    }
  }

  /** `git worktree prune`, once per batch (agents asking at the same time wait for the same one). */
  private async prune(): Promise<void> {
    const run = () => this.git(['worktree', 'prune']).then(() => undefined);
    await (this.batchFacts ? onceIn(this.batchFacts, 'pruning', run) : run());
  }

  /** A path given relative to the repository root, made absolute and symlink-free. */
  private abs(p: string): string {
    return canonicalPath(path.resolve(this.root, p));
  }

  /** The branch checked out in the main worktree; null when detached. */
  async currentBranch(): Promise<string | null> {
    const read = headBranch(this.commonDir);
    if (read !== undefined) return read;
    return (await this.git(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim() || null;
  }

  async branchExists(name: string): Promise<boolean> {
    const b = this.batchFacts;
    if (b) return (await (b.branches ??= this.localBranches().then((l) => new Set(l)))).has(name);
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
    const b = this.batchFacts;
    if (!b) return this.resolveBase(base);
    // one look per base, shared by agents asking at the same time; a failure is not kept
    let id = b.bases.get(base);
    if (!id) {
      id = this.resolveBase(base);
      b.bases.set(base, id);
      id.catch(() => b.bases.delete(base));
    }
    return id;
  }

  private async resolveBase(base: string): Promise<string> {
    const id = await this.resolveRef(base);
    if (id === null) throw new BaseMissingError(base, await this.localBranches());
    return id;
  }

  /** Every worktree, the main one first; paths absolute and symlink-free. */
  async listWorktrees(): Promise<Worktree[]> {
    const b = this.batchFacts;
    if (!b) return listWorktreesIn(this.root);
    // one `git worktree list` per batch, shared by agents asking at the same time
    await onceIn(b, 'listing', async () => void (b.worktrees = await listWorktreesIn(this.root)));
    return (b.worktrees ?? []).map((w) => ({ ...w }));
  }

  /** Keep the batch's facts true after this Repo changed them. */
  private noted(change: { added?: Worktree; removed?: string; branchMade?: string; branchGone?: string }): void {
    const b = this.batchFacts;
    if (!b) return;
    if (change.added && b.worktrees) b.worktrees.push(change.added);
    if (change.removed && b.worktrees) b.worktrees = b.worktrees.filter((w) => w.path !== change.removed);
    if (change.branchMade) void b.branches?.then((s) => s.add(change.branchMade!), () => undefined);
    if (change.branchGone) void b.branches?.then((s) => s.delete(change.branchGone!), () => undefined);
  }

  /**
   * Checks `branch` out in a new worktree at `p` (relative paths: from the root), creating the branch
   * from `base` when missing. Already there with that branch: nothing to do. On failure nothing is left.
   */
  async addWorktree(p: string, branch: string, base: string): Promise<{ createdBranch: boolean }> {
    const target = this.abs(p);
    await this.prune();
    const plan = await this.planWorktree(target, branch);
    if (plan === 'exists') return { createdBranch: false };
    const baseId = plan === 'create' ? await this.requireBase(base) : null;
    const made = await mkdir(path.dirname(target), { recursive: true });
    try {
      // one at a time: `worktree add` reads every other worktree's entry, and one being made or removed beside it fails it
      await this.oneAtATime(() => this.git(['worktree', 'add', '--quiet', ...(baseId !== null ? ['-b', branch, target, baseId] : [target, branch])]));
    } catch (err) {
      this.batchFacts = this.batchFacts && { bases: this.batchFacts.bases }; // read again after a failure
      await this.undoAdd(target, baseId !== null ? branch : null, made);
      throw err;
    }
    this.noted({ added: { path: target, branch, head: baseId, detached: false, bare: false, locked: false, prunable: false, main: false }, branchMade: branch });
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
    // `worktree remove` takes git's entry with the folder; a folder deleted by hand leaves the entry: prune
    if (existsSync(target)) await this.oneAtATime(() => this.git(['worktree', 'remove', ...(opts.force ? ['--force', '--force'] : []), target]));
    else await this.oneAtATime(() => this.git(['worktree', 'prune']));
    this.noted({ removed: target });
  }

  /**
   * Worktrees taken away with everything in them, as `git worktree remove --force --force` takes each,
   * but all in one `rm -rf` (two git processes removing at once fail reading each other's entries, and
   * one at a time each is a process): every linked worktree's folder (links in it removed, never
   * followed), then git's entry for it; a run cut in between leaves entries that prune takes. A path
   * that is not a linked worktree of this repository goes by git, one at a time. Returns the paths
   * that could not be removed, with why.
   */
  async removeWorktrees(paths: readonly string[]): Promise<{ path: string; error: string }[]> {
    const linked: { target: string; admin: string }[] = [];
    const others: string[] = [];
    for (const p of paths) {
      const target = this.abs(p);
      const admin = existsSync(target) ? linkedGitDir(target, this.commonDir) : null;
      if (admin) linked.push({ target, admin });
      else others.push(p);
    }
    const failed: { path: string; error: string }[] = [];
    if (linked.length > 0) {
      const r = await this.oneAtATime(() => collect('rm', ['-rf', '--', ...linked.map((l) => l.target), ...linked.map((l) => l.admin)]));
      for (const l of linked) {
        if (existsSync(l.target) || existsSync(l.admin)) failed.push({ path: l.target, error: r.error?.message ?? (reason(r.stderr) || 'rm -rf left it') });
        else this.noted({ removed: l.target });
      }
    }
    for (const p of others) {
      await this.removeWorktree(p, { force: true }).catch((err: unknown) => failed.push({ path: this.abs(p), error: reason(err) }));
    }
    return failed;
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
    // one at a time: every branch deletion takes packed-refs.lock, which git waits for only 1 s
    await this.oneAtATime(() => this.git(['branch', '--delete', ...(opts.force ? ['--force'] : []), '--', name]));
    this.noted({ branchGone: name });
  }

  /**
   * `git status --porcelain -z --untracked-files=all` of many worktrees through a few shells (a
   * process started from this one costs several ms of its time; from a shell, little): the output of
   * each, or why it failed. User paths are the shell's arguments, never its code.
   */
  async statuses(worktrees: readonly string[], shells = 2): Promise<Map<string, string | Error>> {
    return worktreeStatuses(worktrees, shells);
  }

  async workState(worktreePath: string, base: string, known?: { status?: string }): Promise<WorkState> {
    const baseId = await this.requireBase(base);
    const head = await headOf(worktreePath, this.commonDir);
    // in a batch, a HEAD that is a branch tip already in base needs no count of its own
    const inBase = head.id && this.batchFacts ? (await this.mergedTips(baseId)).has(head.id) : false;
    const [status, count] = await Promise.all([
      known?.status ?? git(worktreePath, ['--no-optional-locks', 'status', '--porcelain', '-z', '--untracked-files=all']),
      head.id && !inBase ? git(worktreePath, ['rev-list', '--count', `${baseId}..${head.id}`]) : Promise.resolve('0'),
    ]);
    const state: WorkState = { uncommitted: parseStatusPaths(status), unmergedCommits: Number(count.trim()) };
    if (head.lost) state.branchDeleted = { lastCommit: head.id };
    return state;
  }

  /** The commits of the local branch tips already in BASEID (one git call per base in a batch). */
  private mergedTips(baseId: string): Promise<Set<string>> {
    const b = this.batchFacts!;
    b.mergedTips ??= new Map();
    let tips = b.mergedTips.get(baseId);
    if (!tips) {
      tips = this.git(['for-each-ref', `--merged=${baseId}`, '--format=%(objectname)', 'refs/heads/']).then((out) => new Set(lines(out)), () => new Set<string>());
      b.mergedTips.set(baseId, tips);
    }
    return tips;
  }

  /** `git branch -D` of several branches in one call (one by one when that fails, each failure its own). */
  async deleteBranches(names: readonly string[]): Promise<{ name: string; error?: string }[]> {
    if (names.length === 0) return [];
    try {
      await this.oneAtATime(() => this.git(['branch', '--delete', '--force', '--', ...names]));
      for (const name of names) this.noted({ branchGone: name });
      return names.map((name) => ({ name }));
    } catch {
      const out = [];
      for (const name of names) out.push(await this.deleteBranch(name, { force: true }).then(() => ({ name }), (err: unknown) => ({ name, error: String(err) })));
      return out;
    }
  }

  /** Saves a worktree's uncommitted work under `destDir` without touching the worktree or its index. */
  async saveToTrash(worktreePath: string, base: string, destDir: string): Promise<TrashResult> {
    return saveToTrash(worktreePath, { name: base, id: await this.resolveRef(base) }, destDir);
  }

  /** Adds patterns to `<commonDir>/info/exclude` (all worktrees read it), in treemux's own block. */
  async addExcludes(patterns: string[]): Promise<void> {
    return addExcludeBlock(this.commonDir, patterns);
  }

  /** The per-worktree git dir (`<commonDir>/worktrees/<id>`; the common dir for the main one). */
  async worktreeGitDir(worktreePath: string): Promise<string> {
    const read = linkedGitDir(worktreePath, this.commonDir);
    if (read) return read;
    return canonicalPath((await git(worktreePath, ['rev-parse', '--absolute-git-dir'])).trim());
  }

  /**
   * The per-worktree git dirs of all linked worktrees, keyed by worktree path, read from
   * `<common>/worktrees/<id>/gitdir` without running git (cheap enough for every refresh).
   */
  async worktreeAdminDirs(): Promise<Map<string, string>> {
    return readAdminDirs(this.commonDir);
  }

  /** Which of these paths (relative to the main checkout) git tracks as symbolic links. */
  async trackedLinks(rels: readonly string[]): Promise<Set<string>> {
    return trackedLinksIn(this.root, rels);
  }

  /**
   * Files whose change times move when a worktree's branch or base move (a commit, a merge, a reset,
   * a checkout), so that a watcher can notice with a stat instead of running git: the worktree's HEAD,
   * the loose refs of branch and base, and packed-refs. Not the index: every `git status` (a shell
   * prompt's too) rewrites it.
   */
  watchFiles(adminDir: string | undefined, branch: string, base: string): string[] {
    return watchFilesOf(this.commonDir, adminDir, branch, base);
  }

  /** How many files the worktree changed against base: committed since the merge base, or not committed. */
  async changedFiles(worktreePath: string, base: string): Promise<number> {
    return changedFilesCount(worktreePath, base);
  }

  /** Whether git tracks `relPath` (relative to the worktree) there. */
  async isTracked(worktreePath: string, relPath: string): Promise<boolean> {
    return (await git(worktreePath, ['ls-files', '-z', '--', `:(literal)${relPath}`])).length > 0;
  }

  /** `git check-ignore`: whether `relPath` (relative to the worktree) is ignored there. */
  async isIgnored(worktreePath: string, relPath: string): Promise<boolean> {
    return (await git(worktreePath, ['check-ignore', '--', relPath])).trim() !== '';
  }
}
