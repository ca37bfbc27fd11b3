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
// Here: one path from start to end. Beside it: copyTree.ts (the walk),
// copyTarget.ts (path checks, the directories above a copy), copyErrors.ts, reflink.ts, and
// worktreeInclude.ts (which paths `.worktreeinclude` selects).
import { type Stats } from 'node:fs';
import { copyFile, mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, isNotFound, RefusedError, TreeError } from './copyErrors.js';
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

async function copyOne(from: string, to: string, rel: string, reflinks: ReflinkCache): Promise<CopyResult> {
  const started = performance.now();
  const src = path.join(from, rel);
  const dest = path.join(to, rel);
  const done = (method: CopyMethod, skipped?: 'missing' | 'exists'): CopyResult => {
    const ms = Math.round((performance.now() - started) * 10) / 10;
    return skipped ? { path: rel, method, ms, skipped } : { path: rel, method, ms };
  };
  const fail = (why: unknown): Error => new Error(`cannot copy ${rel}: ${typeof why === 'string' ? why : describe(why)}`);
  let info: Stats;
  try {
    info = await stat(src); // follows a symlink: its target is what gets copied
  } catch (err) {
    if (isNotFound(err)) return done('copy', 'missing');
    throw fail(err);
  }
  const isDir = info.isDirectory();
  const hardlinkable = isDir && HARDLINK_DIRS.includes(path.basename(rel));
  if (!isDir && !info.isFile()) throw fail('only files and directories can be copied');
  if (await exists(dest).catch((err: unknown) => Promise.reject(fail(err)))) {
    return done(hardlinkable ? 'hardlink' : 'copy', 'exists');
  }

  const made = await makeParents(to, rel).catch((err: unknown) => Promise.reject(fail(err)));
  const parent = path.dirname(dest);
  let method: CopyMethod;
  try {
    const sameDev = (await stat(parent)).dev === info.dev;
    method = sameDev && (await supportsReflink(parent, reflinks)) ? 'reflink' : hardlinkable && sameDev ? 'hardlink' : 'copy';
    if (isDir) {
      const realSrc = await realpath(src);
      if (isInside(realSrc, await realpath(parent))) throw new RefusedError('the worktree would be inside the copy of itself');
    }
  } catch (err) {
    await undo(made);
    throw fail(err);
  }

  let created = false;
  try {
    if (!isDir) {
      await copyFile(src, dest, COPY_FLAGS); // opens src, so a symlink's target is what is read
      created = true;
      await keepTimes(dest, info);
      return done(method);
    }
    try {
      await mkdir(dest, { mode: 0o777 }); // what mkdir makes of 0o777 tells the umask; the mode is set at the end
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        await undo(made);
        return done(hardlinkable ? 'hardlink' : 'copy', 'exists'); // it appeared meanwhile: not ours
      }
      throw err;
    }
    created = true;
    const tree = await copyTree(src, dest, info, rel, method === 'hardlink');
    if (method === 'hardlink' && tree.linked === 0 && tree.copied > 0) method = 'copy';
    return done(method);
  } catch (err) {
    if (!created && (err as NodeJS.ErrnoException).code === 'EEXIST') {
      await undo(made);
      return done(method, 'exists'); // a file appeared at dest meanwhile: left alone
    }
    const left = await undo(made ?? (created ? dest : null));
    const why = err instanceof TreeError ? `${err.at}: ${describe(err.err)}` : describe(err);
    throw fail(left ? `${why} (and the partial copy at ${left} could not be removed)` : why);
  }
}
