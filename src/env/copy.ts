// Brings untracked paths (node_modules, .env, build caches …) from the main checkout into a new
// worktree, fast: a reflink copy where the filesystem can (btrfs, XFS: no data is copied), else hard
// links for read-mostly dependency trees, else a plain copy. Never symlinks: bundlers such as Turbopack
// refuse a node_modules that points outside the project.
//
// Node's own file APIs do the work, the same code on Linux and macOS (no cp, no GNU-only flags): the
// tree is walked in copyTree.ts, each directory made before anything inside it, and the files are linked
// or copied with a bounded number of operations in flight, so libuv's thread pool stays busy. Clones come
// from copyFile's COPYFILE_FICLONE, which libuv implements with Linux's FICLONE only: on macOS
// (APFS) Node 20 copies the bytes instead, so there dependency trees are hard-linked and the rest copied.
// Nothing is ever written through a symlink at the destination: every file, link and directory is
// created with a call that fails when something is already there.
//
// Here: one path from start to end (decide how, then do it). Beside it: copyTree.ts (the walk),
// copyTarget.ts (path checks, the directories above a copy), copyErrors.ts, reflink.ts, and
// worktreeInclude.ts (which paths `.worktreeinclude` selects).
import { type Stats } from 'node:fs';
import { copyFile, mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { cannotCopy, describe, isNotFound, RefusedError, TreeError } from './copyErrors.js';
import { checkRelative, exists, isInside, keepTimes, makeParents, undo } from './copyTarget.js';
import { COPY_FLAGS, copyTree } from './copyTree.js';
import { supportsReflink, type ReflinkCache } from './reflink.js';

export { supportsReflink, type ReflinkCache } from './reflink.js';
export { worktreeIncludePaths } from './worktreeInclude.js';

export type CopyMethod = 'reflink' | 'hardlink' | 'copy';

export interface CopyResult {
  /** The path as given, relative to both roots (normalised: no `./`, no trailing slash). */
  path: string;
  /** How it arrived (for a skipped path: how it would have). */
  method: CopyMethod;
  /** Wall time spent on this path. */
  ms: number;
  /** Set when nothing was copied: the source does not exist, or the target already does. */
  skipped?: 'missing' | 'exists';
}

/**
 * Directories whose basename marks a read-mostly dependency tree: when reflinks are unavailable they
 * are hard-linked (instant, no extra space; the files are shared with the main checkout, so a tool
 * that edits one in place edits both). `.venv` is not one: virtualenvs hold absolute paths and are
 * rewritten by pip, so they get a real copy.
 */
export const HARDLINK_DIRS: readonly string[] = Object.freeze([
  'node_modules',
  'vendor',
  'bower_components',
  '.yarn',
  '.pnpm-store',
]);

/**
 * Bring each relative path from `fromRoot` (main checkout) to the same place under `toRoot` (new
 * worktree). Directories are walked: each directory is made (its mode and times kept), links inside
 * the tree are made again as the same links (never followed), and each file is cloned where the
 * filesystem has reflinks ('reflink'), else hard-linked in a dependency tree (HARDLINK_DIRS:
 * 'hardlink'; a file that cannot be linked, say on another filesystem, is copied), else copied
 * ('copy'). Files: `copyFile` with COPYFILE_FICLONE (a clone where possible, else a copy), mode and
 * times kept. A symlink named in `paths` is followed (its target's content arrives, not a link).
 * A path missing in fromRoot is skipped 'missing'; one already present in toRoot, even as a dangling
 * symlink, is skipped 'exists' (never overwritten). Absolute paths, `..` segments and `.git` are
 * refused before anything is copied, and so is a parent directory in toRoot that is a symlink leading
 * out of the worktree. A failed copy removes what it made and throws `cannot copy PATH: why`.
 */
export async function copyPaths(fromRoot: string, toRoot: string, paths: readonly string[]): Promise<CopyResult[]> {
  const rels = paths.map(checkRelative);
  const from = path.resolve(fromRoot);
  const to = path.resolve(toRoot);
  if (from === to) throw new Error(`cannot copy ${from} onto itself`);
  await mkdir(to, { recursive: true });
  const reflinks: ReflinkCache = new Map(); // one probe per device for this call's paths
  const results: CopyResult[] = [];
  for (const rel of rels) results.push(await copyOne(from, to, rel, reflinks));
  return results;
}

/** What is to be made for one path, once it is decided how. */
interface Job {
  rel: string;
  src: string;
  dest: string;
  info: Stats;
  isDir: boolean;
  /** the method reported when dest turns out to be there already (hardlink for a dependency tree) */
  ifExists: CopyMethod;
  method: CopyMethod;
  /** the top-most parent directory made for it (removed again on failure) */
  made: string | null;
}

/** How one path arrived, or that it was skipped. */
type Outcome = { method: CopyMethod; skipped?: 'missing' | 'exists' };

async function copyOne(from: string, to: string, rel: string, reflinks: ReflinkCache): Promise<CopyResult> {
  const started = performance.now();
  const outcome = await decideAndCopy(from, to, rel, reflinks);
  const ms = Math.round((performance.now() - started) * 10) / 10;
  return outcome.skipped ? { path: rel, method: outcome.method, ms, skipped: outcome.skipped } : { path: rel, method: outcome.method, ms };
}

/** Deciding: skips a missing source or a present target, makes the parents, picks the method; then writeCopy. */
async function decideAndCopy(from: string, to: string, rel: string, reflinks: ReflinkCache): Promise<Outcome> {
  const fail = (why: unknown): Error => cannotCopy(rel, why);
  const src = path.join(from, rel);
  const dest = path.join(to, rel);
  let info: Stats;
  try {
    info = await stat(src); // follows a symlink: its target is what gets copied
  } catch (err) {
    if (isNotFound(err)) return { method: 'copy', skipped: 'missing' };
    throw fail(err);
  }
  const isDir = info.isDirectory();
  const hardlinkable = isDir && HARDLINK_DIRS.includes(path.basename(rel));
  const ifExists: CopyMethod = hardlinkable ? 'hardlink' : 'copy';
  if (!isDir && !info.isFile()) throw fail('only files and directories can be copied');
  if (await exists(dest).catch((err: unknown) => Promise.reject(fail(err)))) return { method: ifExists, skipped: 'exists' };

  const made = await makeParents(to, rel).catch((err: unknown) => Promise.reject(fail(err)));
  let method: CopyMethod;
  try {
    method = await chooseMethod(src, path.dirname(dest), info, hardlinkable, reflinks);
  } catch (err) {
    await undo(made);
    throw fail(err);
  }
  return writeCopy({ rel, src, dest, info, isDir, ifExists, method, made });
}

/** Reflink where dest's filesystem is src's and clones; else hard links for a dependency tree there; else a copy. */
async function chooseMethod(src: string, parent: string, info: Stats, hardlinkable: boolean, reflinks: ReflinkCache): Promise<CopyMethod> {
  const sameDev = (await stat(parent)).dev === info.dev;
  const method = sameDev && (await supportsReflink(parent, reflinks)) ? 'reflink' : hardlinkable && sameDev ? 'hardlink' : 'copy';
  if (info.isDirectory()) {
    const realSrc = await realpath(src);
    if (isInside(realSrc, await realpath(parent))) throw new RefusedError('the worktree would be inside the copy of itself');
  }
  return method;
}

/** Doing: makes the file or tree at dest; on failure removes what it made and throws `cannot copy PATH: why`. */
async function writeCopy(job: Job): Promise<Outcome> {
  const { rel, src, dest, info, made } = job;
  let created = false;
  try {
    if (!job.isDir) {
      await copyFile(src, dest, COPY_FLAGS); // opens src, so a symlink's target is what is read
      created = true;
      await keepTimes(dest, info);
      return { method: job.method };
    }
    try {
      await mkdir(dest, { mode: 0o777 }); // what mkdir makes of 0o777 tells the umask; the mode is set at the end
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        await undo(made);
        return { method: job.ifExists, skipped: 'exists' }; // it appeared meanwhile: not ours
      }
      throw err;
    }
    created = true;
    const tree = await copyTree(src, dest, info, rel, job.method === 'hardlink');
    const method = job.method === 'hardlink' && tree.linked === 0 && tree.copied > 0 ? 'copy' : job.method;
    return { method };
  } catch (err) {
    if (!created && (err as NodeJS.ErrnoException).code === 'EEXIST') {
      await undo(made);
      return { method: job.method, skipped: 'exists' }; // a file appeared at dest meanwhile: left alone
    }
    const left = await undo(made ?? (created ? dest : null));
    const why = err instanceof TreeError ? `${err.at}: ${describe(err.err)}` : describe(err);
    throw cannotCopy(rel, left ? `${why} (and the partial copy at ${left} could not be removed)` : why);
  }
}
