// What merging would do, and merging, without touching any worktree's index or the main checkout:
// files changed against base, `git merge-tree --write-tree` predictions (git >= 2.38), and merges
// made in a temporary integration worktree.
import { execa } from '../host/exec.js';
import { git } from './exec.js';
import { parseStatusPaths } from './parse.js';


/** Files committed on the worktree's branch since it left base (renames by both paths). */
export async function committedFilesList(worktree: string, base: string): Promise<string[]> {
  const out = await git(worktree, ['diff', '--name-only', '--no-renames', '-z', `${base}...HEAD`]).catch(() => '');
  return out.split('\0').filter(Boolean);
}

/** Files a worktree changed against base: committed since the merge base, and not committed. */
export async function changedFilesList(worktree: string, base: string): Promise<{ committed: string[]; uncommitted: string[] }> {
  const [committed, status] = await Promise.all([
    // --no-renames: a moved file is listed by both its old and its new path (a move out of an avoided
    // folder, or a move that collides with another agent's edit, must not hide)
    git(worktree, ['diff', '--name-only', '--no-renames', '-z', `${base}...HEAD`]).catch(() => ''),
    git(worktree, ['--no-optional-locks', 'status', '--porcelain', '--no-renames', '-z', '--untracked-files=all']).catch(() => ''),
  ]);
  return { committed: committed.split('\0').filter(Boolean), uncommitted: parseStatusPaths(status) };
}

export interface MergePrediction {
  clean: boolean;
  /** files with conflicts */
  conflicts: string[];
}

/**
 * Would merging `b` into `a` conflict? No worktree, index or ref changes (git only adds the merged
 * trees to its object store, unreferenced, for `git gc` to collect).
 */
export async function predictMerge(root: string, a: string, b: string): Promise<MergePrediction> {
  // exit 0: clean; exit 1: conflicts; output: <tree id>\0<conflicted file>\0…
  const r = await execa('git', ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', a, b], { cwd: root, reject: false });
  // exit 1 is also an error ("not something we can merge") when no tree id was written
  if ((r.exitCode !== 0 && r.exitCode !== 1) || !/^[0-9a-f]{40,64}/.test(String(r.stdout))) {
    throw new Error(`git merge-tree: ${String(r.stderr).split('\n').find((l) => l.trim()) ?? 'failed'}`);
  }
  const [, ...files] = String(r.stdout).split('\0').filter(Boolean);
  return { clean: r.exitCode === 0, conflicts: [...new Set(files)] };
}

export async function commitOf(root: string, ref: string): Promise<string> {
  return (await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
}

/** A detached worktree at `commit`, for merging where nobody works. */
export async function addDetachedWorktree(root: string, path: string, commit: string): Promise<void> {
  await git(root, ['worktree', 'add', '--detach', '--quiet', path, commit]);
}

export interface MergeStep {
  ok: boolean;
  /** files left in conflict (the merge was aborted) */
  conflicts: string[];
  /** git's first line when it failed for another reason */
  error?: string;
}

/** Merge `branch` into the worktree's HEAD with a merge commit; on conflict, abort and say where. */
export async function mergeInto(worktree: string, branch: string, message: string): Promise<MergeStep> {
  const r = await execa('git', ['merge', '--no-ff', '--no-edit', '-m', message, branch], { cwd: worktree, reject: false, all: true });
  if (r.exitCode === 0) return { ok: true, conflicts: [] };
  const unmerged = await execa('git', ['diff', '--name-only', '--diff-filter=U', '-z'], { cwd: worktree, reject: false });
  const conflicts = String(unmerged.stdout).split('\0').filter(Boolean);
  await execa('git', ['merge', '--abort'], { cwd: worktree, reject: false });
  const error = conflicts.length ? undefined : mergeFailure(String(r.all ?? ''));
  return { ok: false, conflicts, error };
}

/** git's own reason for a failed merge: its error/fatal line and the file lines that follow it. */
function mergeFailure(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const at = lines.findIndex((l) => /^(error|fatal):/.test(l));
  if (at < 0) return lines[lines.length - 1] ?? 'failed';
  const files = lines.slice(at + 1).filter((l) => !/^(Please|Aborting|Merge with strategy)/.test(l) && !/^(error|fatal|hint):/.test(l));
  return [lines[at]!.replace(/^(error|fatal):\s*/, ''), ...files].join(' ');
}

/** Move `branch` from `from` to `to`, only if it is still at `from` (another process may have moved it). */
export async function advanceBranch(root: string, branch: string, to: string, from: string): Promise<void> {
  await git(root, ['update-ref', '-m', 'treemux merge', `refs/heads/${branch}`, to, from]);
}

/** Fast-forward the checkout at `dir` (its branch and files) to `commit`. */
export async function fastForward(dir: string, commit: string): Promise<void> {
  await git(dir, ['merge', '--ff-only', '--quiet', commit]);
}

/** Commits on `branch` that `base` does not have. */
export async function aheadCount(root: string, base: string, branch: string): Promise<number> {
  return Number((await git(root, ['rev-list', '--count', `${base}..${branch}`]).catch(() => '0')).trim()) || 0;
}

/** A checkout's changes to tracked files, and its untracked files (not ignored ones), apart. */
export async function checkoutChanges(dir: string): Promise<{ tracked: string[]; untracked: string[] }> {
  const out = await git(dir, ['--no-optional-locks', 'status', '--porcelain', '-z', '--untracked-files=all']);
  const tracked: string[] = [];
  const untracked: string[] = [];
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i]!;
    if (entry.length < 4) continue;
    (entry.startsWith('??') ? untracked : tracked).push(entry.slice(3));
    if (/[RC]/.test(entry.slice(0, 2))) i++; // the next field is the original path
  }
  return { tracked, untracked };
}

/** Files that differ between two commits. */
export async function filesBetween(root: string, from: string, to: string): Promise<string[]> {
  const out = await git(root, ['diff', '--name-only', '--no-renames', '-z', from, to]);
  return out.split('\0').filter(Boolean);
}

/** Files a branch changed since it left base (three dots: not what base did meanwhile). */
export async function branchFiles(root: string, base: string, branch: string): Promise<string[]> {
  const out = await git(root, ['diff', '--name-only', '--no-renames', '-z', `${base}...${branch}`]);
  return out.split('\0').filter(Boolean);
}

/** Put a worktree back at `commit`, tracked and untracked files alike (only for treemux's own scratch worktrees). */
export async function resetScratch(dir: string, commit: string): Promise<void> {
  await git(dir, ['reset', '--hard', '--quiet', commit]);
  await git(dir, ['clean', '-fdxq']);
}

/** Every local branch's commit, in one call. */
export async function branchHeads(root: string): Promise<Map<string, string>> {
  const out = await git(root, ['for-each-ref', '--format=%(refname:short)%00%(objectname)', 'refs/heads/']);
  return new Map(out.split('\n').filter(Boolean).map((l) => l.split('\0') as [string, string]));
}
