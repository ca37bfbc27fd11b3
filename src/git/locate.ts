// Finding the repository around a folder from the files git keeps, without running git: a one-shot
// command (ls, send, jump) then starts no git process at all. Only the plain cases are read here
// (a checkout with its .git folder, or a linked worktree's .git file pointing into that folder);
// anything else (a submodule, a bare or separate git dir, a core.worktree setting, someone else's
// folder, GIT_CEILING_DIRECTORIES) returns null and the caller asks git, which knows every case.
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Located {
  /** the main checkout */
  root: string;
  /** its .git folder */
  commonDir: string;
}

/** A plain file's text (not through a link); null when it is not one. */
function readSmall(file: string): string | null {
  try {
    const s = lstatSync(file);
    return s.isFile() && s.size < 1 << 20 ? readFileSync(file, 'utf8') : null;
  } catch {
    return null;
  }
}

/** A main checkout's .git folder as git would take it (HEAD there, no core.worktree, not bare), owned by us. */
function plainGitDir(dir: string): boolean {
  try {
    const s = lstatSync(dir);
    if (!s.isDirectory() || (process.getuid && s.uid !== process.getuid())) return false;
  } catch {
    return false;
  }
  const config = readSmall(path.join(dir, 'config'));
  if (config === null || /^\s*(worktree|bare\s*=\s*true)/im.test(config)) return false;
  return readSmall(path.join(dir, 'HEAD')) !== null && readSmall(path.join(dir, 'commondir')) === null;
}

/** The repository around DIR (absolute), or null when git should be asked. */
export function locateRepo(dir: string): Located | null {
  if (process.env.GIT_CEILING_DIRECTORIES) return null;
  for (let d = dir; ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    let s;
    try {
      s = lstatSync(dotGit);
    } catch {
      s = null;
    }
    if (s?.isDirectory()) return plainGitDir(dotGit) ? { root: d, commonDir: dotGit } : null;
    if (s?.isFile()) return fromGitFile(d, dotGit);
    if (s) return null; // a link or anything else: git decides
    if (path.dirname(d) === d) return null;
  }
}

/** A linked worktree's .git file: `gitdir: <common>/worktrees/<id>`, whose commondir leads back. */
function fromGitFile(worktree: string, file: string): Located | null {
  const m = /^gitdir: (.+)\n?$/.exec(readSmall(file) ?? '');
  if (!m) return null;
  const gitDir = path.resolve(worktree, m[1]!);
  const common = readSmall(path.join(gitDir, 'commondir'));
  if (common === null) return null; // a submodule's or a separate git dir: not the plain case
  const commonDir = path.resolve(gitDir, common.trim());
  if (path.basename(commonDir) !== '.git' || !plainGitDir(commonDir)) return null;
  return { root: path.dirname(commonDir), commonDir };
}

/** The branch checked out in the main checkout, read from its HEAD; undefined when git should be asked. */
export function headBranch(commonDir: string): string | null | undefined {
  const head = readSmall(path.join(commonDir, 'HEAD'));
  const m = head === null ? null : /^ref: refs\/heads\/(\S+)\n?$/.exec(head);
  return m ? m[1]! : undefined;
}

/**
 * A linked worktree's own git dir (<common>/worktrees/<id>), read from its .git file, when that
 * points inside COMMONDIR and points back (its gitdir file names this worktree); else null.
 */
export function linkedGitDir(worktree: string, commonDir: string): string | null {
  const m = /^gitdir: (.+)\n?$/.exec(readSmall(path.join(worktree, '.git')) ?? '');
  if (!m) return null;
  const gitDir = path.resolve(worktree, m[1]!);
  if (path.dirname(gitDir) !== path.join(commonDir, 'worktrees')) return null;
  const back = readSmall(path.join(gitDir, 'gitdir'))?.trim();
  return back && path.resolve(back) === path.join(worktree, '.git') ? gitDir : null;
}

/**
 * The commit a linked worktree's HEAD is at, read from its files when its HEAD names a branch whose
 * ref is a loose file (a branch made or moved lately); null when git should be asked (a packed ref,
 * a detached HEAD, anything unusual).
 */
export function headFromFiles(worktree: string, commonDir: string): string | null {
  const gitDir = linkedGitDir(worktree, commonDir);
  const head = gitDir ? readSmall(path.join(gitDir, 'HEAD')) : null;
  const ref = head === null ? null : /^ref: (refs\/heads\/\S+)\n?$/.exec(head)?.[1];
  if (!ref || ref.split('/').includes('..')) return null;
  const id = readSmall(path.join(commonDir, ref))?.trim();
  return id && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(id) ? id : null;
}
