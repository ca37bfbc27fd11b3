// Opening the repository around a folder: its main checkout or any linked worktree, or a folder inside one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { GitError, NotARepoError } from './errors.js';
import { canonicalPath, git, reason } from './exec.js';
import { locateRepo } from './locate.js';
import { Repo } from './repo.js';
import { listWorktreesIn } from './worktrees.js';

/** Opens the repository around `cwd`: its main checkout or any linked worktree, or a folder inside one. */
export async function openRepo(cwd: string): Promise<Repo> {
  const dir = path.resolve(cwd);
  if (!existsSync(dir)) throw new NotARepoError(dir);
  const found = locateRepo(canonicalPath(dir));
  if (found) return new Repo(canonicalPath(found.root), canonicalPath(found.commonDir));
  let common: string;
  try {
    common = (await git(dir, ['rev-parse', '--git-common-dir'])).trim();
  } catch (err) {
    throw /not a git repository/i.test(String(err)) ? new NotARepoError(dir) : new GitError(`git rev-parse: ${reason(err)}`);
  }
  const commonDir = canonicalPath(path.resolve(dir, common));
  const main = (await listWorktreesIn(dir))[0];
  if (!main || main.bare) throw new GitError(`${commonDir} is a bare repository; treemux needs a checkout`);
  return new Repo(main.path, commonDir);
}
