// Brings untracked paths (node_modules, .env, build caches …) from the main checkout into a new
// worktree, fast: a reflink copy where the filesystem can (btrfs, XFS, APFS-like copy-on-write: no
// data is copied), else hard links for read-mostly dependency trees, else a plain copy. Never
// symlinks: bundlers such as Turbopack refuse a node_modules that points outside the project.
//
// cp does the work (one process per path, the whole tree in one go), always with an argument array
// and `--` before the paths, so no shell ever sees a path.
import { constants as fsConstants } from 'node:fs';
import { access, lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
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

/**
 * Bring each relative path from `fromRoot` (main checkout) to the same place under `toRoot` (new
 * worktree). Directories: a reflink copy first (`cp -a --reflink=always`, one process for the whole
 * tree); where the filesystem cannot, hard links (`cp -al`) for dependency trees (HARDLINK_DIRS) and a
 * plain `cp -a` for other directories. Files: `cp -a --reflink=auto`. A symlink named in `paths` is
 * followed (its target's content arrives, not a link); links inside a tree are kept as they are.
 * A path missing in fromRoot is skipped 'missing'; one already present in toRoot is skipped 'exists'
 * (never overwritten). Absolute paths, `..` segments and `.git` are refused before anything is copied.
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
  let info;
  try {
    info = await stat(src); // follows a symlink: its target is what gets copied
  } catch (err) {
    if (isNotFound(err)) return done('copy', 'missing');
    throw new Error(`cannot copy ${rel}: ${oneLine(err)}`);
  }
  const hardlinkable = info.isDirectory() && HARDLINK_DIRS.includes(path.basename(rel));
  if (await exists(dest)) return done(hardlinkable ? 'hardlink' : 'copy', 'exists');
  await mkdir(path.dirname(dest), { recursive: true });

  const reflink = (await supportsReflink(path.dirname(dest))) && (await sameDevice(src, path.dirname(dest)));
  if (!info.isDirectory()) {
    await cp(rel, ['-a', '-H', '--reflink=auto'], src, dest);
    return done(reflink ? 'reflink' : 'copy');
  }
  // -H follows a symlink given as the source itself; -T never copies *into* a directory that appeared
  // at dest meanwhile. A failed attempt leaves a partial tree at dest (which did not exist), so remove it.
  if (reflink && (await attempt(rel, ['-a', '-H', '--reflink=always'], src, dest))) return done('reflink');
  if (hardlinkable && (await attempt(rel, ['-a', '-H', '-l'], src, dest))) return done('hardlink');
  await cp(rel, ['-a', '-H'], src, dest);
  return done('copy');
}

/** One cp run; false (and dest removed again) when it failed. */
async function attempt(rel: string, flags: string[], src: string, dest: string): Promise<boolean> {
  try {
    await cp(rel, flags, src, dest);
    return true;
  } catch {
    await rm(dest, { recursive: true, force: true });
    return false;
  }
}

async function cp(rel: string, flags: string[], src: string, dest: string): Promise<void> {
  const r = await execa('cp', [...flags, '-T', '--', src, dest], { reject: false, stdin: 'ignore' });
  if (r.failed) {
    const why = firstLine(String(r.stderr ?? '')) || r.shortMessage || 'cp failed';
    throw new Error(`cannot copy ${rel}: ${why.replace(/^cp: /, '')}`);
  }
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
 * Whether the filesystem at dir supports reflinks (copy-on-write clones), cached per device: tries
 * `cp --reflink=always` of a tiny temp file inside dir (removed again). False when dir is not writable.
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
    const r = await execa('cp', ['--reflink=always', '--', a, path.join(tmp, 'b')], { reject: false, stdin: 'ignore' });
    return !r.failed;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function sameDevice(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a), stat(b)]);
  return x.dev === y.dev;
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

function oneLine(err: unknown): string {
  return firstLine(err instanceof Error ? err.message : String(err)) || 'failed';
}
