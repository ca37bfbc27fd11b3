// The walk of one directory tree for copyPaths: each directory made before anything inside it, files
// linked or copied with a bounded number of operations in flight, so libuv's thread pool stays busy.
// Nothing is ever written through a symlink at the destination: every file, link and directory is
// created with a call that fails when something is already there.
import fs, { constants as fsConstants, type Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { TreeError } from './copyErrors.js';

/** File operations in flight at once while copying a tree (libuv's pool has 4 threads by default). */
const IN_FLIGHT = 64;

/** `copyFile` flags: fail when the target exists (never overwrite, never follow a symlink there), and
 * clone where the filesystem can (Linux FICLONE: btrfs, XFS …), else copy the bytes. */
export const COPY_FLAGS = fsConstants.COPYFILE_EXCL | fsConstants.COPYFILE_FICLONE;

/** Errors of `link` that mean "not here" (another filesystem, no hard links, too many links, or
 * protected_hardlinks on a file someone else owns) rather than a broken copy: that file is copied. */
const LINK_REFUSED = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Copies what is inside src into dest (just made by the caller with mode 0o777, so that its mode
 * tells the umask), then gives dest info's times and mode. Files are hard-linked when `hardlink` (one
 * that cannot be, say on another filesystem, is copied), else cloned or copied. Throws the first
 * failure as a TreeError, once nothing is running any more; returns how many files were linked and copied.
 */
export async function copyTree(src: string, dest: string, info: Stats, shown: string, hardlink: boolean): Promise<{ linked: number; copied: number }> {
  // directories inside that mkdir makes with the right mode (most) then need no chmod
  const umask = 0o777 & ~(await lstat(dest)).mode;
  const tree = new TreeCopy(hardlink, umask);
  await tree.run(src, dest, info, shown);
  if (tree.error) throw tree.error;
  return { linked: tree.linked, copied: tree.copied };
}

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
