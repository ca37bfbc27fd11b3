import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { openRepo } from '../../src/git/index.js';
import { isolateGitEnv, makeRepo, type TestRepo } from '../helpers/gitenv.js';

let restore: () => void;
beforeAll(() => {
  restore = isolateGitEnv();
});
afterAll(() => restore());
let r: TestRepo;
afterEach(() => r?.cleanup());

it('worktreeAdminDirs agrees with git, without running it', async () => {
  r = await makeRepo();
  const repo = await openRepo(r.dir);
  const a = path.join(r.tmp, 'wt a');
  const b = path.join(r.tmp, 'wt-b');
  await repo.addWorktree(a, 'feature/a', 'main');
  await repo.addWorktree(b, 'feature/b', 'main');
  const dirs = await repo.worktreeAdminDirs();
  expect(dirs.size).toBe(2);
  for (const wt of (await repo.listWorktrees()).filter((w) => !w.main)) {
    expect(dirs.get(wt.path)).toBe(await repo.worktreeGitDir(wt.path));
  }
});

it('worktreeAdminDirs is empty for a repository without linked worktrees', async () => {
  r = await makeRepo();
  expect((await (await openRepo(r.dir)).worktreeAdminDirs()).size).toBe(0);
});
