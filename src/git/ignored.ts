// Ignored, untracked paths of a checkout: what `.worktreeinclude` may carry into a new worktree
// (a tracked file is in every worktree already, so only what git ignores is a candidate).
import { git } from './exec.js';

/**
 * Ignored, untracked paths of the checkout at root, directories collapsed
 * (`git ls-files --others --ignored --exclude-standard --directory -z`), relative to root, without a
 * trailing slash. A directory appears as one entry when everything in it is ignored.
 */
export async function listIgnoredPaths(root: string): Promise<string[]> {
  const out = await git(root, ['ls-files', '--others', '--ignored', '--exclude-standard', '--directory', '-z']);
  return entries(out);
}

/**
 * The ignored, untracked files (never directories) below `dir` (relative to root), one entry per file
 * (`git ls-files --others --ignored --exclude-standard -z -- dir/`): how to look inside a directory
 * that `listIgnoredPaths` collapsed.
 */
export async function listIgnoredFiles(root: string, dir: string): Promise<string[]> {
  const spec = `${dir.replace(/\/+$/, '')}/`;
  // `:(literal)` so a directory named like a glob (`[x]`, `*`) is taken as written.
  const out = await git(root, ['ls-files', '--others', '--ignored', '--exclude-standard', '-z', '--', `:(literal)${spec}`]);
  return entries(out);
}

function entries(out: string): string[] {
  return out
    .split('\0')
    .filter((p) => p !== '')
    .map((p) => p.replace(/\/+$/, ''));
}
