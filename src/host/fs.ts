// Writing files where they belong, and nowhere else. A repository, or an agent working in it, may
// plant a symbolic link where treemux writes (CLAUDE.local.md -> ~/.bashrc, logs/auth.log ->
// ~/.ssh/authorized_keys, .claude -> /etc): every write here is confined to a root folder, refuses a
// link (or anything but a folder) among the folders below that root, and never follows a link at the
// file itself: whole files are written to a new temp file beside it and renamed over it (a link there
// is replaced, not followed); appends open with O_NOFOLLOW.
import { constants, type Stats } from 'node:fs';
import { chmod, lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A write that would leave its place (a link, or a path outside its root): one line for the user. */
export class UnsafePathError extends Error {
  override name = 'UnsafePathError';
}

const lstatOrNull = (p: string): Promise<Stats | null> => lstat(p).catch(() => null);

/** `file`'s path below `root`, as parts; refuses a path that is not below it. */
function partsBelow(root: string, file: string): string[] {
  const rel = relative(resolve(root), resolve(file));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new UnsafePathError(`refusing to write ${file}: it is not inside ${root}`);
  return rel.split(sep);
}

/**
 * Make `dir` and its missing parents below `root` (mode 0700 for new ones when `private`), refusing
 * when a part that exists below root is a link or not a folder.
 */
export async function ensureDirIn(root: string, dir: string, opts: { private?: boolean } = {}): Promise<void> {
  if (resolve(dir) === resolve(root)) return;
  let at = resolve(root);
  for (const part of partsBelow(root, dir)) {
    at = join(at, part);
    const st = await lstatOrNull(at);
    if (!st) {
      await mkdir(at, { mode: opts.private ? 0o700 : 0o777 }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err; // made meanwhile: checked below
      });
      const made = await lstat(at);
      if (!made.isDirectory()) throw new UnsafePathError(`refusing to write below ${at}: it is ${describe(made)}, not a folder`);
    } else if (!st.isDirectory()) {
      throw new UnsafePathError(`refusing to write below ${at}: it is ${describe(st)}, not a folder (treemux never writes through links)`);
    }
  }
}

function describe(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFile()) return 'a file';
  return 'not a regular folder';
}

export interface WriteOptions {
  /** the file's permissions (default 0644, as umask allows) */
  mode?: number;
}

/**
 * Write `file` (below `root`) whole: into a new temp file in the same folder, then renamed over it.
 * A link at `file` is replaced by the new file; its target is never touched.
 */
export async function writeFileIn(root: string, file: string, content: string | Uint8Array, opts: WriteOptions = {}): Promise<void> {
  await ensureDirIn(root, dirname(file));
  const tmp = join(dirname(file), `.${randomBytes(6).toString('hex')}.treemux-tmp`);
  const mode = opts.mode ?? 0o644;
  const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    await handle.writeFile(content);
    await handle.chmod(mode); // exactly this mode, whatever the umask
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') throw new UnsafePathError(`refusing to write ${file}: a folder is there`);
    throw err;
  }
}

/** An append handle on `file` (below `root`), created when missing; a link there is refused. */
export async function openAppendIn(root: string, file: string, opts: WriteOptions = {}): Promise<import('node:fs/promises').FileHandle> {
  await ensureDirIn(root, dirname(file));
  let handle;
  try {
    handle = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, opts.mode ?? 0o644);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw new UnsafePathError(`refusing to write ${file}: it is a symbolic link (treemux never writes through links)`);
    throw err;
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new UnsafePathError(`refusing to write ${file}: it is not a regular file`);
  }
  return handle;
}

/** Append `text` to `file` (below `root`), creating it (`mode`); a link there is refused. */
export async function appendFileIn(root: string, file: string, text: string | Uint8Array, opts: WriteOptions = {}): Promise<void> {
  const handle = await openAppendIn(root, file, opts);
  try {
    await handle.appendFile(text);
  } finally {
    await handle.close();
  }
}

/**
 * Make sure `file` (below `root`) is a regular file of ours, for a writer that opens it by name (tmux's
 * pipe-pane, a shell's `>>`): anything else there (a link planted by an agent, say) is removed and an
 * empty file made in its place. Returns whether something had to be replaced.
 */
export async function ensureRegularFile(root: string, file: string, opts: WriteOptions = {}): Promise<boolean> {
  await ensureDirIn(root, dirname(file));
  const st = await lstatOrNull(file);
  if (st?.isFile()) return false;
  if (st) await rm(file, { force: true, recursive: st.isDirectory() });
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, opts.mode ?? 0o644);
  await handle.close();
  if (opts.mode !== undefined) await chmod(file, opts.mode);
  return st !== null;
}

/**
 * Rewrite a file of the user's own (the layout file), keeping its permissions; when it is a link,
 * refuse (the user linked it on purpose; treemux does not write where it leads).
 */
export async function rewriteOwnFile(file: string, content: string): Promise<void> {
  const st = await lstatOrNull(file);
  if (st?.isSymbolicLink()) throw new UnsafePathError(`refusing to write ${file}: it is a symbolic link (treemux never writes through links; edit the file it points to)`);
  await writeFileIn(dirname(file), file, content, { mode: st ? st.mode & 0o7777 : 0o644 });
}

/** The text of `file`, or null when there is none; a link there is refused (its target is not ours to read back). */
export async function readFileIn(root: string, file: string): Promise<string | null> {
  partsBelow(root, file);
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP' || code === 'EMLINK') throw new UnsafePathError(`refusing to read ${file}: it is a symbolic link (treemux never writes through links; remove it)`);
    throw err;
  }
  try {
    if (!(await handle.stat()).isFile()) throw new UnsafePathError(`refusing to read ${file}: it is not a regular file`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
