// Making a new repository (for `treemux demo`): init on main and commit everything, with a local
// identity so it works on a machine where git has no user configured.
import { git } from './exec.js';

export async function initRepoWithCommit(dir: string, message: string): Promise<void> {
  await git(dir, ['init', '-q', '-b', 'main']);
  await git(dir, ['config', 'user.name', 'treemux demo']);
  await git(dir, ['config', 'user.email', 'demo@treemux.invalid']);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', message]);
}
