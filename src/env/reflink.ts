// Whether a filesystem can clone files (reflinks), found out by trying it once on a scratch file.
import { constants as fsConstants } from 'node:fs';
import { access, copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Answers already found, per device; owned by one copy (copyPaths makes one per call). */
export type ReflinkCache = Map<number, Promise<boolean>>;

/**
 * Whether the filesystem at dir supports reflinks (copy-on-write clones), remembered per device in
 * `cache` when one is given: clones a tiny temp file inside dir with `copyFile(…, COPYFILE_FICLONE_FORCE)`
 * (removed again). False when dir is not writable, and on macOS, where Node's copyFile does not clone
 * (libuv has no clonefile).
 */
export async function supportsReflink(dir: string, cache?: ReflinkCache): Promise<boolean> {
  let dev: number;
  try {
    dev = (await stat(dir)).dev;
  } catch {
    return false;
  }
  if (!cache) return probeReflink(dir);
  let known = cache.get(dev);
  if (!known) {
    known = probeReflink(dir);
    cache.set(dev, known);
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
