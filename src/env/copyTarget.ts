// The destination side of copyPaths: which paths may be copied at all, and the directories above a
// copy in the worktree, made without ever writing through a symlink that leads out of it.
import { type Stats } from 'node:fs';
import { lstat, lutimes, mkdir, readlink, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isNotFound, RefusedError } from './copyErrors.js';

/**
 * Makes the directories between `to` and `rel`'s parent, one at a time. A symlink among them is
 * gone through only when it leads to a directory inside the worktree (and not into .git); one that
 * leads elsewhere is refused. Returns the top-most directory it made (what to remove on failure).
 */
export async function makeParents(to: string, rel: string): Promise<string | null> {
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
export async function undo(made: string | null): Promise<string | null> {
  if (!made) return null;
  try {
    await rm(made, { recursive: true, force: true });
    return null;
  } catch {
    return made;
  }
}

/** Whether `p` is `dir` or below it (both absolute, resolved). */
export function isInside(dir: string, p: string): boolean {
  const r = path.relative(dir, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

/** The path, normalised, or an Error when it could leave the checkout or reach into git's own files. */
export function checkRelative(p: string): string {
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

/** Sets p's access and modification times to info's (to the microsecond), never through a symlink. */
export function keepTimes(p: string, info: Stats): Promise<void> {
  return lutimes(p, info.atimeMs / 1000, info.mtimeMs / 1000);
}

export async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
