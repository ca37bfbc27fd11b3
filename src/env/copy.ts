// Brings untracked paths (node_modules, .env, build caches …) from the main checkout into a new
// worktree, fast: a reflink copy where the filesystem can (btrfs, XFS: no data is copied), else hard
// links for read-mostly dependency trees, else a plain copy. Never symlinks: bundlers such as Turbopack
// refuse a node_modules that points outside the project.
//
// Node's own file APIs do the work, the same code on Linux and macOS (no cp, no GNU-only flags): the
// tree is walked here, each directory made before anything inside it, and the files are linked or
// copied with a bounded number of operations in flight, so libuv's thread pool stays busy. Clones come
// from copyFile's COPYFILE_FICLONE, which libuv implements with Linux's FICLONE only: on macOS
// (APFS) Node 20 copies the bytes instead, so there dependency trees are hard-linked and the rest copied.
// Nothing is ever written through a symlink at the destination: every file, link and directory is
// created with a call that fails when something is already there.
import fs, { constants as fsConstants, type Stats } from 'node:fs';
import {
  access,
  copyFile,
  lstat,
  lutimes,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  realpath,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { listIgnoredFiles, listIgnoredPaths } from '../git/ignored.js';

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

/** File operations in flight at once while copying a tree (libuv's pool has 4 threads by default). */
const IN_FLIGHT = 64;

/** `copyFile` flags: fail when the target exists (never overwrite, never follow a symlink there), and
 * clone where the filesystem can (Linux FICLONE: btrfs, XFS …), else copy the bytes. */
const COPY_FLAGS = fsConstants.COPYFILE_EXCL | fsConstants.COPYFILE_FICLONE;

/** Errors of `link` that mean "not here" (another filesystem, no hard links, too many links, or
 * protected_hardlinks on a file someone else owns) rather than a broken copy: that file is copied. */
const LINK_REFUSED = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

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
  const results: CopyResult[] = [];
  for (const rel of rels) results.push(await copyOne(from, to, rel));
  return results;
}

async function copyOne(from: string, to: string, rel: string): Promise<CopyResult> {
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
    method = sameDev && (await supportsReflink(parent)) ? 'reflink' : hardlinkable && sameDev ? 'hardlink' : 'copy';
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
    // directories inside that mkdir makes with the right mode (most) then need no chmod
    const umask = 0o777 & ~(await lstat(dest)).mode;
    const tree = new TreeCopy(method === 'hardlink', umask);
    await tree.run(src, dest, info, rel);
    if (tree.error) throw tree.error;
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

/** A failure inside a tree, with the path (relative to the worktree) where it happened. */
class TreeError extends Error {
  constructor(
    readonly at: string,
    readonly err: unknown,
  ) {
    super(`${at}: ${describe(err)}`);
  }
}

/** A refusal worded for the user (no errno). */
class RefusedError extends Error {}

/** A directory of the tree being copied: `pending` counts what inside it is not done yet. */
interface DirNode {
  src: string;
  dest: string;
  info: Stats;
  /** dest relative to the worktree, for errors. */
  shown: string;
  parent: DirNode | null;
  pending: number;
}

type Done = (err?: unknown) => void;

/**
 * One directory tree being copied, with at most IN_FLIGHT operations running (each one a short chain
 * of callbacks of Node's fs: readdir; lstat + mkdir; link, or lstat + copyFile + times; readlink +
 * symlink + times; a directory's times and mode). A directory is made before anything inside it is
 * started, and gets its times and mode once everything inside it is done. The work waiting is a stack,
 * so the walk goes depth first and the queue stays small. Callbacks rather than promises: the main
 * thread, not the disk, is what limits a copy of many small files.
 *
 * No failure throws: the first one is kept in `error`, the waiting work is dropped, and `run` resolves
 * once nothing is running any more, so what the copy made can then be removed safely.
 */
class TreeCopy {
  error: TreeError | null = null;
  linked = 0;
  copied = 0;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private finished: (() => void) | null = null;

  constructor(
    private readonly hardlink: boolean,
    private readonly umask: number,
  ) {}

  /** Copies what is inside src into dest (made already), then gives dest info's times and mode. */
  run(src: string, dest: string, info: Stats, shown: string): Promise<void> {
    return new Promise((resolve) => {
      this.finished = resolve;
      this.readDir({ src, dest, info, shown, parent: null, pending: 1 });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < IN_FLIGHT && this.waiting.length > 0) {
      this.running += 1;
      (this.waiting.pop() as () => void)();
    }
    if (this.running === 0 && this.waiting.length === 0 && this.finished) {
      const finished = this.finished;
      this.finished = null;
      finished();
    }
  }

  /**
   * Queues one operation; it calls `done` once, after queuing whatever follows from it. One that
   * throws instead (an fs function rejecting its arguments) counts as failed, never as an uncaught
   * exception in a callback.
   */
  private later(at: string, op: (done: Done) => void): void {
    this.waiting.push(() => {
      let called = false;
      const done: Done = (err) => {
        if (called) return;
        called = true;
        this.running -= 1;
        if (err !== undefined && err !== null && !this.error) {
          this.error = new TreeError(at, err);
          this.waiting.length = 0;
        }
        this.pump();
      };
      try {
        op(done);
      } catch (err) {
        done(err);
      }
    });
  }

  private readDir(node: DirNode): void {
    this.later(node.shown, (done) =>
      fs.readdir(node.src, { withFileTypes: true }, (err, entries) => {
        if (err) return done(err);
        for (const e of entries) {
          const s = path.join(node.src, e.name);
          const d = path.join(node.dest, e.name);
          const at = `${node.shown}/${e.name}`;
          if (e.isDirectory()) this.subdir(node, s, d, at);
          else if (e.isFile()) this.file(node, s, d, at);
          else if (e.isSymbolicLink()) this.symlink(node, s, d, at);
          else continue; // sockets, FIFOs and devices are not content: left out
          node.pending += 1;
        }
        this.childDone(node); // the listing itself
        done();
      }),
    );
  }

  private subdir(parent: DirNode, src: string, dest: string, shown: string): void {
    this.later(shown, (done) =>
      fs.lstat(src, (err, info) => {
        if (err) return done(err);
        fs.mkdir(dest, { mode: dirModeWhileCopying(info) }, (err2) => {
          if (err2) return done(err2);
          this.readDir({ src, dest, info, shown, parent, pending: 1 });
          done();
        });
      }),
    );
  }

  private file(parent: DirNode, src: string, dest: string, shown: string): void {
    this.later(shown, (done) => {
      const copy = (): void =>
        fs.lstat(src, (err, info) => {
          if (err) return done(err);
          fs.copyFile(src, dest, COPY_FLAGS, (err2) => {
            if (err2) return done(err2);
            fs.lutimes(dest, info.atimeMs / 1000, info.mtimeMs / 1000, (err3) => {
              if (err3) return done(err3);
              this.copied += 1;
              this.childDone(parent);
              done();
            });
          });
        });
      if (!this.hardlink) return copy();
      fs.link(src, dest, (err) => {
        if (!err) {
          this.linked += 1;
          this.childDone(parent);
          return done();
        }
        if (LINK_REFUSED.has(err.code ?? '')) return copy();
        done(err);
      });
    });
  }

  private symlink(parent: DirNode, src: string, dest: string, shown: string): void {
    this.later(shown, (done) =>
      fs.lstat(src, (err, info) => {
        if (err) return done(err);
        fs.readlink(src, (err2, target) => {
          if (err2) return done(err2);
          fs.symlink(target, dest, (err3) => {
            if (err3) return done(err3);
            fs.lutimes(dest, info.atimeMs / 1000, info.mtimeMs / 1000, (err4) => {
              if (err4) return done(err4);
              this.childDone(parent);
              done();
            });
          });
        });
      }),
    );
  }

  /** One thing inside node is done; when it was the last, node's own times and mode follow. */
  private childDone(node: DirNode): void {
    node.pending -= 1;
    if (node.pending > 0) return;
    // the top directory was made 0o777 & ~umask: it always gets its mode
    this.later(node.shown, (done) =>
      finishDir(node.dest, node.info, node.parent ? this.umask : -1, (err) => {
        if (err) return done(err);
        if (node.parent) this.childDone(node.parent);
        done();
      }),
    );
  }
}

/** The mode a directory is made with: its own, plus the owner's rwx so that its contents can go in. */
function dirModeWhileCopying(info: Stats): number {
  return (info.mode & 0o7777) | 0o700;
}

/** Sets p's access and modification times to info's (to the microsecond), never through a symlink. */
function keepTimes(p: string, info: Stats): Promise<void> {
  return lutimes(p, info.atimeMs / 1000, info.mtimeMs / 1000);
}

/**
 * Gives a copied directory its source's times, and its mode where mkdir (umask, the owner's rwx added
 * while copying) did not already (umask -1: always): that chmod goes through a handle that never
 * follows a link.
 */
function finishDir(dir: string, info: Stats, umask: number, done: Done): void {
  const times = (): void => fs.lutimes(dir, info.atimeMs / 1000, info.mtimeMs / 1000, done);
  const wanted = info.mode & 0o7777;
  const madeRight = umask >= 0 && (wanted & 0o7000) === 0 && wanted === (dirModeWhileCopying(info) & 0o777 & ~umask);
  if (madeRight) return times();
  fs.open(dir, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY | fsConstants.O_NOFOLLOW, (err, fd) => {
    if (err) return done(err);
    fs.fchmod(fd, wanted, (err2) => fs.close(fd, (err3) => (err2 || err3 ? done(err2 ?? err3) : times())));
  });
}

/**
 * Makes the directories between `to` and `rel`'s parent, one at a time. A symlink among them is
 * gone through only when it leads to a directory inside the worktree (and not into .git); one that
 * leads elsewhere is refused. Returns the top-most directory it made (what to remove on failure).
 */
async function makeParents(to: string, rel: string): Promise<string | null> {
  let made: string | null = null;
  try {
    let at = to;
    let root: string | null = null;
    for (const seg of rel.split('/').slice(0, -1)) {
      at = path.join(at, seg);
      let info = await lstat(at).catch((err: unknown) => (isNotFound(err) ? null : Promise.reject(err)));
      if (!info) {
        try {
          await mkdir(at);
          made ??= at;
          continue;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          info = await lstat(at); // made by someone else meanwhile: look at what it is
        }
      }
      if (info.isDirectory()) continue;
      const shown = path.relative(to, at);
      if (!info.isSymbolicLink()) throw new RefusedError(`${shown} in the worktree is not a directory`);
      root ??= await realpath(to);
      const real = await realpath(at).catch(() => null);
      const inside = real !== null && isInside(root, real) && !path.relative(root, real).split(path.sep).includes('.git');
      if (inside && (await stat(at)).isDirectory()) continue;
      const target = await readlink(at).catch(() => '?');
      throw new RefusedError(`${shown} in the worktree is a symlink to ${target}, which leads out of the worktree; treemux does not write through it`);
    }
    return made;
  } catch (err) {
    await undo(made);
    throw err;
  }
}

/** Removes what a failed attempt made; the path when that failed too (else null). */
async function undo(made: string | null): Promise<string | null> {
  if (!made) return null;
  try {
    await rm(made, { recursive: true, force: true });
    return null;
  } catch {
    return made;
  }
}

/** Whether `p` is `dir` or below it (both absolute, resolved). */
function isInside(dir: string, p: string): boolean {
  const r = path.relative(dir, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

/** The path, normalised, or an Error when it could leave the checkout or reach into git's own files. */
function checkRelative(p: string): string {
  const shown = JSON.stringify(p);
  if (typeof p !== 'string' || p.trim() === '') throw new Error(`refusing to copy an empty path`);
  if (p.includes('\0')) throw new Error(`refusing to copy ${shown}: it contains a NUL byte`);
  if (path.isAbsolute(p) || path.win32.isAbsolute(p)) {
    throw new Error(`refusing to copy ${shown}: paths to copy must be relative to the repository root`);
  }
  const segments = p.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new Error(`refusing to copy ${shown}: paths to copy may not contain ".."`);
  if (segments.some((s) => s.toLowerCase() === '.git')) throw new Error(`refusing to copy ${shown}: .git belongs to git`);
  if (segments.length === 0) throw new Error(`refusing to copy ${shown}: that is the whole checkout`);
  return segments.join('/');
}

const reflinkByDevice = new Map<number, Promise<boolean>>();

/**
 * Whether the filesystem at dir supports reflinks (copy-on-write clones), cached per device: clones a
 * tiny temp file inside dir with `copyFile(…, COPYFILE_FICLONE_FORCE)` (removed again). False when dir
 * is not writable, and on macOS, where Node's copyFile does not clone (libuv has no clonefile).
 */
export async function supportsReflink(dir: string): Promise<boolean> {
  let dev: number;
  try {
    dev = (await stat(dir)).dev;
  } catch {
    return false;
  }
  let known = reflinkByDevice.get(dev);
  if (!known) {
    known = probeReflink(dir);
    reflinkByDevice.set(dev, known);
  }
  return known;
}

async function probeReflink(dir: string): Promise<boolean> {
  let tmp: string;
  try {
    await access(dir, fsConstants.W_OK);
    tmp = await mkdtemp(path.join(dir, '.treemux-reflink-'));
  } catch {
    return false;
  }
  try {
    const a = path.join(tmp, 'a');
    await writeFile(a, 'treemux reflink probe\n');
    await copyFile(a, path.join(tmp, 'b'), fsConstants.COPYFILE_EXCL | fsConstants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch {
    return false;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Paths to carry per Claude Code's `.worktreeinclude` convention: gitignore-style patterns read from
 * <root>/.worktreeinclude (null when there is no such file), matched against the ignored, untracked
 * paths of the checkout at root. Tracked files are never candidates (every worktree has them). Returns
 * top-most matches, sorted: a matching directory is one path, not its files. Patterns may also reach
 * into an ignored directory that does not match as a whole (`build/keep.txt`, `*.local.yml`).
 */
export async function worktreeIncludePaths(root: string): Promise<string[] | null> {
  let text: string;
  try {
    text = await readFile(path.join(root, '.worktreeinclude'), 'utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw new Error(`cannot read .worktreeinclude: ${oneLine(err)}`);
  }
  const patterns = text
    .split(/\r?\n/)
    .map((l) => l.replace(/(?<!\\)\s+$/, ''))
    .filter((l) => l !== '' && !l.startsWith('#'));
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

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}

/** An error in a few words: Node's "ENOENT: no such file or directory, open '/x'" becomes
 * "no such file or directory (ENOENT, open)"; anything else its first line. */
function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException | null;
  if (e && typeof e.code === 'string' && typeof e.syscall === 'string' && typeof e.message === 'string') {
    const what = /^[A-Z0-9_]+: (.*?)(?:, \w+ '.*)?$/s.exec(e.message)?.[1] ?? e.code;
    return `${firstLine(what)} (${e.code}, ${e.syscall})`;
  }
  return oneLine(err);
}

function oneLine(err: unknown): string {
  return firstLine(err instanceof Error ? err.message : String(err)) || 'failed';
}
