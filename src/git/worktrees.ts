// What the Repo asks of worktrees without needing its own state: listing them, their statuses through
// a few shells, their admin dirs, tracked links, changed files; the types the Repo shares.
import { randomBytes } from 'node:crypto';
import { lstat, readdir, readFile, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { collect } from '../host/exec.js';
import { GitError } from './errors.js';
import { canonicalPath, git, gitEnv } from './exec.js';
import { mergeExcludeBlock, parseStatusPaths, parseWorktreeList, type Worktree } from './parse.js';
import { readFileIn, writeFileIn } from '../host/fs.js';

export interface WorkState {
  /** Paths (relative to the worktree) with uncommitted changes, untracked ones included, ignored ones not. */
  uncommitted: string[];
  /** Commits on the worktree's HEAD that are not in base. */
  unmergedCommits: number;
  /** its branch was deleted by hand: the commit it was last at, when known */
  branchDeleted?: { lastCommit: string | null };
}

export async function listWorktreesIn(dir: string): Promise<Worktree[]> {
  const nul = await git(dir, ['worktree', 'list', '--porcelain', '-z']).catch(() => null);
  const list = nul !== null ? parseWorktreeList(nul) : parseWorktreeList(await git(dir, ['worktree', 'list', '--porcelain']), '\n');
  return list.map((w) => ({ ...w, path: canonicalPath(w.path) }));
}

/** True when nothing is at `p`, or only an empty directory. */
export async function isFreePath(p: string): Promise<boolean> {
  const stat = await lstat(p).catch(() => null);
  return stat === null || (stat.isDirectory() && (await readdir(p)).length === 0);
}


/** Removes `from` and its parents up to `upTo` while they are empty. */
export async function removeEmptyDirs(from: string, upTo: string): Promise<void> {
  for (let dir = from; dir.startsWith(upTo); dir = path.dirname(dir)) {
    if (!(await rmdir(dir).then(() => true, () => false))) return;
  }
}

/**
 * Repository-wide facts read once for a whole command (`up` or `down` of twenty agents) instead of
 * once per agent: the worktree list (after one prune), the local branches, the bases' commits. The
 * Repo keeps them up to date with its own changes; what others change meanwhile is theirs to race.
 */
export interface Batch {
  /** the batch's one `git worktree prune` (agents side by side share it) */
  pruning?: Promise<void>;
  /** the batch's one `git worktree list`, read into `worktrees` */
  listing?: Promise<void>;
  worktrees?: Worktree[];
  branches?: Promise<Set<string>>;
  bases: Map<string, Promise<string>>;
  /** by base commit: the commits of local branch tips already in it */
  mergedTips?: Map<string, Promise<Set<string>>>;
}

/** The batch's one call of its kind: the first asker starts it, the others wait for it; a failure is not kept (the next asks again). */
export function onceIn(b: Batch, key: 'pruning' | 'listing', run: () => Promise<void>): Promise<void> {
  b[key] ??= run().catch((err: unknown) => {
    delete b[key];
    throw err;
  });
  return b[key];
}

export async function worktreeStatuses(worktrees: readonly string[], shells = 2): Promise<Map<string, string | Error>> {
  const out = new Map<string, string | Error>();
  const token = randomBytes(16).toString('hex'); // lowercase hex: never an entry's "XY path" (status letters are capitals)
  const script = 'm=$1; shift; for d do (cd -- "$d" && exec git --no-optional-locks status --porcelain -z --untracked-files=all); printf "%s:%s\\0" "$m" "$?"; done';
  const size = Math.ceil(worktrees.length / shells);
  const chunks = Array.from({ length: shells }, (_, i) => worktrees.slice(i * size, (i + 1) * size)).filter((c) => c.length > 0);
  await Promise.all(
    chunks.map(async (chunk) => {
      const r = await collect('sh', ['-c', script, 'sh', token, ...chunk], { env: gitEnv() });
      const entries = r.stdout.split('\0');
      let i = 0;
      let acc: string[] = [];
      for (const e of entries) {
        const m = e.startsWith(`${token}:`) ? e.slice(token.length + 1) : null;
        if (m === null) {
          if (e !== '' || acc.length > 0) acc.push(e);
          continue;
        }
        const dir = chunk[i++];
        if (dir !== undefined) out.set(dir, m === '0' ? acc.map((x) => `${x}\0`).join('') : new GitError(`git status in ${dir} failed (exit ${m})`));
        acc = [];
      }
    }),
  );
  return out;
}

export async function readAdminDirs(commonDir: string): Promise<Map<string, string>> {
  const dir = path.join(commonDir, 'worktrees');
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

export async function trackedLinksIn(root: string, rels: readonly string[]): Promise<Set<string>> {
  if (rels.length === 0) return new Set();
  const out = await git(root, ['ls-files', '-s', '-z', '--', ...rels.map((r) => `:(literal)${r}`)]);
  const links = new Set<string>();
  for (const entry of out.split('\0')) {
    const m = /^120000 [0-9a-f]+ \d+\t(.*)$/s.exec(entry);
    if (m) links.add(m[1]!);
  }
  return links;
}

export async function changedFilesCount(worktreePath: string, base: string): Promise<number> {
  const [committed, status] = await Promise.all([
    git(worktreePath, ['diff', '--name-only', '-z', `${base}...HEAD`]).catch(() => ''),
    git(worktreePath, ['status', '--porcelain', '-z', '--untracked-files=all']).catch(() => ''),
  ]);
  const files = new Set(committed.split('\0').filter(Boolean));
  for (const path of parseStatusPaths(status)) files.add(path);
  return files.size;
}

/** Adds patterns to `<commonDir>/info/exclude` (all worktrees read it), in treemux's own block. */
export async function addExcludeBlock(commonDir: string, patterns: string[]): Promise<void> {
  const bad = patterns.find((p) => /[\r\n]/.test(p));
  if (bad !== undefined) throw new GitError(`exclude pattern has a line break: ${JSON.stringify(bad)}`);
  const file = path.join(commonDir, 'info', 'exclude');
  const next = mergeExcludeBlock((await readFileIn(commonDir, file)) ?? '', patterns);
  if (next !== null) await writeFileIn(commonDir, file, next);
}

/** Repo.watchFiles: the worktree's HEAD, the loose refs of branch and base, and packed-refs. */
export function watchFilesOf(commonDir: string, adminDir: string | undefined, branch: string, base: string): string[] {
  const files = [path.join(commonDir, 'packed-refs'), ...[branch, base].map((b) => path.join(commonDir, 'refs', 'heads', ...b.split('/')))];
  if (adminDir) files.push(path.join(adminDir, 'HEAD'));
  return files;
}
