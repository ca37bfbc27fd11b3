import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { openRepo } from '../../src/git/index.js';
import { headBranch, locateRepo } from '../../src/git/locate.js';
import { isolateGitEnv, makeRepo, type TestRepo } from '../helpers/gitenv.js';

let restore: () => void;
beforeAll(() => {
  restore = isolateGitEnv();
});
afterAll(() => restore());
let r: TestRepo;
afterEach(() => r?.cleanup());

/** What git itself says: the main checkout and the common dir, seen from DIR. */
async function gitSays(dir: string): Promise<{ root: string; commonDir: string }> {
  const common = realpathSync(path.resolve(dir, await r.git(['rev-parse', '--git-common-dir'], dir)));
  return { root: path.dirname(common), commonDir: common };
}

it('finds the repository as git does from its checkout, a folder inside, and a linked worktree', async () => {
  r = await makeRepo({ files: { 'src/deep/a.txt': 'a\n' } });
  const wt = path.join(r.tmp, 'wt one');
  await r.git(['worktree', 'add', '-q', '-b', 'feature/one', wt]);
  mkdirSync(path.join(wt, 'src', 'deep'), { recursive: true });
  for (const dir of [r.dir, path.join(r.dir, 'src', 'deep'), wt, path.join(wt, 'src', 'deep')]) {
    expect(locateRepo(dir)).toEqual(await gitSays(dir));
  }
  expect(headBranch(path.join(r.dir, '.git'))).toBe('main');
});

it('leaves the unusual cases to git: a submodule-like gitdir, core.worktree, a linked .git, no repository', async () => {
  r = await makeRepo();
  // a .git file whose git dir has no commondir (a submodule's or a --separate-git-dir checkout)
  const sep = path.join(r.tmp, 'sep');
  await r.git(['init', '-q', `--separate-git-dir=${path.join(r.tmp, 'sep.git')}`, sep]);
  expect(locateRepo(sep)).toBeNull();
  // core.worktree set in the config
  await r.git(['config', 'core.worktree', r.dir]);
  expect(locateRepo(r.dir)).toBeNull();
  await r.git(['config', '--unset', 'core.worktree']);
  // .git as a link
  const linked = path.join(r.tmp, 'linked');
  mkdirSync(linked);
  symlinkSync(path.join(r.dir, '.git'), path.join(linked, '.git'));
  expect(locateRepo(linked)).toBeNull();
  // nothing above a folder is a repository: git decides (and says so)
  const lone = path.join(r.tmp, 'lone');
  mkdirSync(lone);
  writeFileSync(path.join(lone, 'x'), 'x');
  expect(locateRepo('/')).toBeNull();
});

it('a detached HEAD is for git to name', async () => {
  r = await makeRepo();
  await r.git(['checkout', '-q', '--detach']);
  expect(headBranch(path.join(r.dir, '.git'))).toBeUndefined();
  expect(await (await openRepo(r.dir)).currentBranch()).toBeNull();
});

it('openRepo finds the same repository whether or not it reads the files itself', async () => {
  r = await makeRepo();
  const wt = path.join(r.tmp, 'wt');
  await r.git(['worktree', 'add', '-q', '-b', 'feature/x', wt]);
  const fromWt = await openRepo(wt);
  expect(fromWt.root).toBe(r.dir);
  expect(fromWt.commonDir).toBe(path.join(r.dir, '.git'));
  await r.git(['config', 'extensions.worktreeConfig', 'true']); // not read here: git is asked
  const viaGit = await openRepo(wt);
  expect([viaGit.root, viaGit.commonDir]).toEqual([fromWt.root, fromWt.commonDir]);
});
