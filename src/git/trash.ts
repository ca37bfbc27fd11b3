// Saves a worktree's uncommitted work (a patch and a tar of untracked files) before a forced removal.
// Read-only towards the worktree: no `git add`, no stash, no index refresh.
import { execa } from '../host/exec.js';
import { mkdir, readFile } from 'node:fs/promises';
import { ensureDirIn, writeFileIn } from '../host/fs.js';
import path from 'node:path';
import { GitError } from './errors.js';
import { git, lines } from './exec.js';
import { headFromFiles } from './locate.js';


export interface TrashResult {
  /** Path of `diff.patch` (`git diff HEAD --binary`: staged and unstaged changes to tracked files). */
  patch: string;
  /** Path of `untracked.tar.gz`, or null when there were no untracked files. */
  untrackedTar: string | null;
  /** Files saved: changed tracked files plus untracked ones. */
  files: number;
}

// A patch `git apply` takes whatever the user's diff settings (prefixes, external diff, textconv, colour).
const PATCH_OPTIONS = ['--binary', '--no-ext-diff', '--no-textconv', '--no-color', '--no-relative', '--submodule=short', '--src-prefix=a/', '--dst-prefix=b/'];

/**
 * The worktree's HEAD commit. When its branch was deleted by hand (HEAD names a ref that is gone), the
 * last commit it was at, from the worktree's own reflog (read as a file: git no longer resolves it),
 * with `lost` set; id null when even that is gone.
 */
export async function headOf(wt: string, commonDir?: string): Promise<{ id: string | null; lost: boolean }> {
  const read = commonDir ? headFromFiles(wt, commonDir) : null; // the plain case, without running git
  if (read) return { id: read, lost: false };
  const id = (await git(wt, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => '')).trim();
  if (id) return { id, lost: false };
  const adminDir = (await git(wt, ['rev-parse', '--absolute-git-dir']).catch(() => '')).trim();
  const reflog = adminDir ? await readFile(path.join(adminDir, 'logs', 'HEAD'), 'utf8').catch(() => '') : '';
  const last = lines(reflog).pop()?.split(' ')[1] ?? '';
  if (/^[0-9a-f]{40,64}$/.test(last)) {
    const exists = await git(wt, ['cat-file', '-e', `${last}^{commit}`]).then(() => true, () => false);
    if (exists) return { id: last, lost: true };
  }
  return { id: null, lost: true };
}

/** `base.id` is base's commit id, or null when it no longer resolves (the work is saved all the same). */
export async function saveToTrash(wt: string, base: { name: string; id: string | null }, destDir: string): Promise<TrashResult> {
  // a new folder of its own, below a treemux folder that is no link (git and tar write in it by name)
  await ensureDirIn(path.dirname(path.dirname(path.dirname(destDir))), path.dirname(destDir), { private: true });
  await mkdir(destDir, { mode: 0o700 });
  const patch = path.join(destDir, 'diff.patch');
  const head = await headOf(wt);
  if (head.lost && head.id) {
    // its branch was deleted: keep its commits reachable under a ref of treemux's own
    await git(wt, ['update-ref', `refs/treemux/trash/${path.basename(destDir)}`, head.id]);
  }
  if (!head.id) {
    // nothing to diff against: every file of the worktree (tracked or not, not ignored) goes in one archive
    const all = nulList(await git(wt, ['ls-files', '--cached', '--others', '--exclude-standard', '-z']));
    const tar = all.length > 0 ? await tarFiles(wt, [...new Set(all)], path.join(destDir, 'files.tar.gz')) : null;
    await writeFileIn(destDir, path.join(destDir, 'info.json'), JSON.stringify(await info(wt, base, all.length, head), null, 2) + '\n');
    return { patch: tar ?? '', untrackedTar: null, files: all.length };
  }
  await git(wt, ['--no-optional-locks', 'diff', head.id, ...PATCH_OPTIONS, `--output=${patch}`]);
  const changed = nulList(await git(wt, ['--no-optional-locks', 'diff', head.id, '--name-only', '-z', '--no-renames']));
  const untracked = nulList(await git(wt, ['ls-files', '--others', '--exclude-standard', '-z']));
  const untrackedTar = untracked.length > 0 ? await tarFiles(wt, untracked, path.join(destDir, 'untracked.tar.gz')) : null;
  const files = changed.length + untracked.length;
  await writeFileIn(destDir, path.join(destDir, 'info.json'), JSON.stringify(await info(wt, base, files, head), null, 2) + '\n');
  return { patch, untrackedTar, files };
}

function nulList(out: string): string[] {
  return out.split('\0').filter((p) => p !== '');
}

/** Tars `files` (relative to `cwd`) into `dest` with the system tar; "./" keeps names from reading as options. */
async function tarFiles(cwd: string, files: string[], dest: string): Promise<string> {
  const input = files.map((f) => `./${f}\0`).join('');
  const result = await execa('tar', ['-czf', dest, '--null', '-T', '-'], { cwd, input, reject: false });
  if (result.failed) throw new GitError(`could not archive untracked files of ${cwd}: ${result.stderr.split('\n')[0] || result.shortMessage}`);
  return dest;
}

async function info(wt: string, base: { name: string; id: string | null }, files: number, head: { id: string | null; lost: boolean }) {
  const branch = (await git(wt, ['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '')).trim() || null;
  const commitsNotInBase = base.id === null || head.id === null ? null : await commitsSince(wt, base.id, head.id);
  return { branch, head: head.id, branchDeleted: head.lost || undefined, base: base.name, commitsNotInBase, worktree: wt, files, savedAt: new Date().toISOString() };
}

async function commitsSince(wt: string, baseId: string, head: string): Promise<{ id: string; subject: string }[]> {
  const out = await git(wt, ['log', '--no-show-signature', '--no-color', '--format=%H %s', `${baseId}..${head}`]);
  return lines(out).map((l) => ({ id: l.slice(0, l.indexOf(' ')), subject: l.slice(l.indexOf(' ') + 1) }));
}
