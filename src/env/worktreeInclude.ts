// Which ignored paths Claude Code's `.worktreeinclude` convention selects for copying into a worktree.
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { listIgnoredFiles, listIgnoredPaths } from '../git/ignored.js';
import { oneLine } from '../util/output.js';
import { isNotFound } from './copyErrors.js';

/**
 * Paths to carry per Claude Code's `.worktreeinclude` convention: gitignore-style patterns read from
 * <root>/.worktreeinclude (null when there is no such file), matched against the ignored, untracked
 * paths of the checkout at root. Tracked files are never candidates (every worktree has them). Returns
 * top-most matches, sorted: a matching directory is one path, not its files. Patterns may also reach
 * into an ignored directory that does not match as a whole (`build/keep.txt`, `*.local.yml`).
 */
export async function worktreeIncludePaths(root: string): Promise<string[] | null> {
  const patterns = await readPatterns(root);
  if (patterns === null) return null;
  if (patterns.length === 0) return [];
  const ig = ignore().add(patterns);

  const found = new Set<string>();
  for (const candidate of await listIgnoredPaths(root)) {
    const dir = await isDirectory(path.join(root, candidate));
    if (matches(ig, candidate, dir)) {
      found.add(candidate);
    } else if (dir && mayMatchInside(patterns, candidate)) {
      for (const file of await listIgnoredFiles(root, candidate)) {
        const hit = topMost(ig, candidate, file);
        if (hit) found.add(hit);
      }
    }
  }
  return [...found].sort();
}

/** The patterns of <root>/.worktreeinclude (no blank lines or comments); null when there is none. */
async function readPatterns(root: string): Promise<string[] | null> {
  let text: string;
  try {
    text = await readFile(path.join(root, '.worktreeinclude'), 'utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw new Error(`cannot read .worktreeinclude: ${oneLine(err)}`);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/(?<!\\)\s+$/, ''))
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function matches(ig: Ignore, rel: string, dir: boolean): boolean {
  return ig.ignores(dir ? `${rel}/` : rel);
}

/** The highest path from just below `base` down to `file` that the patterns select, if any. */
function topMost(ig: Ignore, base: string, file: string): string | null {
  const below = file.slice(base.length + 1).split('/');
  let at = base;
  for (let i = 0; i < below.length; i += 1) {
    at = `${at}/${below[i]}`;
    if (matches(ig, at, i < below.length - 1)) return at;
  }
  return null;
}

/**
 * Whether some pattern could select something strictly inside `dir` (which does not match itself).
 * Conservative (true when unsure); it only saves listing big ignored trees such as node_modules that
 * no pattern can reach into.
 */
function mayMatchInside(patterns: readonly string[], dir: string): boolean {
  const dirSegs = dir.split('/');
  return patterns.some((raw) => {
    if (raw.startsWith('!')) return false; // a negation only takes away
    if (raw.includes('\\')) return true;
    const body = raw.replace(/\/+$/, '');
    const anchored = body.replace(/^\//, '');
    if (!anchored.includes('/') && !body.startsWith('/')) return true; // a bare name matches at any depth
    const segs = anchored.split('/');
    if (segs.includes('**')) return true;
    if (segs.length <= dirSegs.length) return false; // it can only name dir or a parent of it
    return dirSegs.every((seg, i) => {
      const p = segs[i] ?? '';
      return /[*?[]/.test(p) || p === seg;
    });
  });
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isDirectory();
  } catch {
    return false;
  }
}
