import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BaseMissingError,
  BranchCheckedOutError,
  GitError,
  openRepo,
  PathExistsError,
  type Repo,
} from '../../src/git/index.js';
import { isolateGitEnv, makeRepo, type TestRepo } from '../helpers/gitenv.js';

let restore: () => void;
beforeAll(() => {
  restore = isolateGitEnv();
});
afterAll(() => restore());

let r: TestRepo;
let repo: Repo;
afterEach(() => r?.cleanup());

async function setup(): Promise<void> {
  r = await makeRepo();
  repo = await openRepo(r.dir);
}

/** Everything a failed addWorktree must leave as it was. */
async function snapshot() {
  return {
    branches: await r.git(['for-each-ref', '--format=%(refname)', 'refs/heads/']),
    worktrees: await r.git(['worktree', 'list', '--porcelain']),
    tmp: readdirSync(r.tmp).sort(),
    adminDirs: existsSync(path.join(r.dir, '.git', 'worktrees')) ? readdirSync(path.join(r.dir, '.git', 'worktrees')) : [],
  };
}

describe('addWorktree', () => {
  it('creates a new branch from base, and the parent folders', async () => {
    await setup();
    const base = await r.commit('second', { 'b.txt': 'b' });
    await r.git(['checkout', '--quiet', '-b', 'other']);
    await r.commit('on other', { 'c.txt': 'c' });
    const wt = path.join(r.tmp, 'nested', 'deeper', 'shop-auth');
    expect(await repo.addWorktree(wt, 'feature/auth', 'main')).toEqual({ createdBranch: true });
    expect(await r.git(['rev-parse', 'HEAD'], wt)).toBe(base);
    expect(await r.git(['symbolic-ref', '--short', 'HEAD'], wt)).toBe('feature/auth');
    // no upstream is set up for the new branch
    await expect(r.git(['rev-parse', '--abbrev-ref', 'feature/auth@{upstream}'])).rejects.toThrow();
    const listed = (await repo.listWorktrees()).find((w) => w.path === wt);
    expect(listed).toMatchObject({ branch: 'feature/auth', head: base, main: false, detached: false });
  });

  it('resolves a relative path against the repository root', async () => {
    await setup();
    await repo.addWorktree('../rel-wt', 'feature/rel', 'main');
    expect(existsSync(path.join(r.tmp, 'rel-wt', 'README.md'))).toBe(true);
  });

  it('checks out an existing branch without creating it', async () => {
    await setup();
    await r.git(['checkout', '--quiet', '-b', 'feature/old']);
    const tip = await r.commit('work', { 'w.txt': 'w' });
    await r.git(['checkout', '--quiet', 'main']);
    const wt = path.join(r.tmp, 'old');
    expect(await repo.addWorktree(wt, 'feature/old', 'no-such-base')).toEqual({ createdBranch: false });
    expect(await r.git(['rev-parse', 'HEAD'], wt)).toBe(tip);
    expect(await r.git(['symbolic-ref', '--short', 'HEAD'], wt)).toBe('feature/old');
  });

  it('is a no-op when that worktree is already there on that branch', async () => {
    await setup();
    const wt = path.join(r.tmp, 'again');
    await repo.addWorktree(wt, 'feature/again', 'main');
    writeFileSync(path.join(wt, 'work.txt'), 'keep me');
    expect(await repo.addWorktree(wt, 'feature/again', 'main')).toEqual({ createdBranch: false });
    expect(existsSync(path.join(wt, 'work.txt'))).toBe(true);
  });

  it('accepts an existing empty folder', async () => {
    await setup();
    const wt = path.join(r.tmp, 'empty');
    mkdirSync(wt);
    await repo.addWorktree(wt, 'feature/empty', 'main');
    expect(existsSync(path.join(wt, 'README.md'))).toBe(true);
  });

  it('refuses a branch checked out in another worktree, leaving nothing behind', async () => {
    await setup();
    const first = path.join(r.tmp, 'first');
    await repo.addWorktree(first, 'feature/x', 'main');
    const before = await snapshot();
    const err = await repo.addWorktree(path.join(r.tmp, 'a', 'second'), 'feature/x', 'main').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BranchCheckedOutError);
    expect((err as Error).message).toBe(`branch feature/x is already checked out at ${first}`);
    await expect(repo.addWorktree(path.join(r.tmp, 'third'), 'main', 'main')).rejects.toThrow(
      `branch main is already checked out at ${r.dir}`,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a missing base, naming the branches, leaving nothing behind', async () => {
    await setup();
    await r.git(['branch', 'release']);
    const before = await snapshot();
    const err = await repo.addWorktree(path.join(r.tmp, 'x', 'wt'), 'feature/y', 'develop').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BaseMissingError);
    expect((err as Error).message).toBe('base branch "develop" does not exist (branches: main, release)');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an existing file or non-empty folder, leaving it alone', async () => {
    await setup();
    const file = path.join(r.tmp, 'a-file');
    writeFileSync(file, 'mine');
    const dir = path.join(r.tmp, 'full');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'x'), 'mine');
    const before = await snapshot();
    for (const target of [file, dir]) {
      const err = await repo.addWorktree(target, 'feature/z', 'main').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PathExistsError);
      expect((err as Error).message).toBe(`${target} already exists and is not this agent's worktree`);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses another branch's worktree at the path", async () => {
    await setup();
    const wt = path.join(r.tmp, 'taken');
    await repo.addWorktree(wt, 'feature/one', 'main');
    await expect(repo.addWorktree(wt, 'feature/two', 'main')).rejects.toBeInstanceOf(PathExistsError);
    expect(await repo.branchExists('feature/two')).toBe(false);
  });

  it('undoes the folders it made when git itself fails', async () => {
    await setup();
    const before = await snapshot();
    const err = await repo.addWorktree(path.join(r.tmp, 'made', 'by', 'us'), 'bad..name', 'main').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as Error).message).toBe("git worktree add: 'bad..name' is not a valid branch name");
    expect(await snapshot()).toEqual(before);
  });

  it('undoes the worktree, branch and folders when git fails after making them', async () => {
    await setup();
    const hook = path.join(r.dir, '.git', 'hooks', 'post-checkout');
    writeFileSync(hook, '#!/bin/sh\necho "hook says no" >&2\nexit 1\n', { mode: 0o755 });
    const before = await snapshot();
    const err = await repo.addWorktree(path.join(r.tmp, 'made', 'wt'), 'feature/hooked', 'main').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as Error).message).toBe('git worktree add: hook says no');
    expect(await snapshot()).toEqual(before);
  });

  it('prunes a stale registration of a deleted worktree and re-creates it', async () => {
    await setup();
    const wt = path.join(r.tmp, 'gone');
    await repo.addWorktree(wt, 'feature/gone', 'main');
    rmSync(wt, { recursive: true });
    expect(await repo.addWorktree(wt, 'feature/gone', 'main')).toEqual({ createdBranch: false });
    expect(existsSync(path.join(wt, 'README.md'))).toBe(true);
  });
});

describe('listWorktrees', () => {
  it('lists main first, with spaces and newlines in paths, and flags', async () => {
    await setup();
    const spaced = path.join(r.tmp, 'with space', 'agent one');
    const newline = path.join(r.tmp, 'line\nbreak');
    await repo.addWorktree(spaced, 'feature/one', 'main');
    await repo.addWorktree(newline, 'feature/two', 'main');
    await r.git(['worktree', 'lock', spaced]);
    const detached = path.join(r.tmp, 'detached');
    await r.git(['worktree', 'add', '--detach', detached]);
    const list = await repo.listWorktrees();
    expect(list[0]).toMatchObject({ path: r.dir, main: true, branch: 'main', bare: false, locked: false });
    expect(list.map((w) => w.path).sort()).toEqual([r.dir, spaced, newline, detached].sort());
    const byPath = (p: string) => list.find((w) => w.path === p);
    expect(byPath(spaced)).toMatchObject({ main: false, branch: 'feature/one', locked: true, prunable: false });
    expect(byPath(newline)).toMatchObject({ branch: 'feature/two', locked: false });
    expect(byPath(detached)).toMatchObject({ branch: null, detached: true });
    expect(byPath(detached)!.head).toMatch(/^[0-9a-f]{40}$/);
    rmSync(newline, { recursive: true });
    expect((await repo.listWorktrees()).find((w) => w.path === newline)).toMatchObject({ prunable: true });
  });
});

describe('removeWorktree', () => {
  it('removes a clean worktree and keeps its branch', async () => {
    await setup();
    const wt = path.join(r.tmp, 'clean wt');
    await repo.addWorktree(wt, 'feature/c', 'main');
    writeFileSync(path.join(wt, 'ignored.log'), 'x'); // not tracked, but ignored below
    await repo.addExcludes(['*.log']);
    await repo.removeWorktree(wt);
    expect(existsSync(wt)).toBe(false);
    expect((await repo.listWorktrees()).map((w) => w.path)).toEqual([r.dir]);
    expect(await repo.branchExists('feature/c')).toBe(true);
  });

  it('refuses a dirty worktree unless forced', async () => {
    await setup();
    const wt = path.join(r.tmp, 'dirty');
    await repo.addWorktree(wt, 'feature/d', 'main');
    writeFileSync(path.join(wt, 'README.md'), 'changed');
    writeFileSync(path.join(wt, 'new.txt'), 'new');
    const err = await repo.removeWorktree(wt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as Error).message).toMatch(/^git worktree remove: .*modified or untracked files/);
    expect(existsSync(path.join(wt, 'new.txt'))).toBe(true);
    await repo.removeWorktree(wt, { force: true });
    expect(existsSync(wt)).toBe(false);
    expect(await repo.listWorktrees()).toHaveLength(1);
  });

  it('removes a locked worktree when forced', async () => {
    await setup();
    const wt = path.join(r.tmp, 'locked');
    await repo.addWorktree(wt, 'feature/l', 'main');
    await r.git(['worktree', 'lock', wt]);
    await expect(repo.removeWorktree(wt)).rejects.toBeInstanceOf(GitError);
    await repo.removeWorktree(wt, { force: true });
    expect(existsSync(wt)).toBe(false);
  });

  it('prunes a worktree whose folder is already gone, and accepts an unknown missing path', async () => {
    await setup();
    const wt = path.join(r.tmp, 'vanished');
    await repo.addWorktree(wt, 'feature/v', 'main');
    rmSync(wt, { recursive: true });
    await repo.removeWorktree(wt);
    expect(await repo.listWorktrees()).toHaveLength(1);
    await repo.removeWorktree(path.join(r.tmp, 'never-was'));
  });

  it('does not delete a folder that is not a worktree', async () => {
    await setup();
    const dir = path.join(r.tmp, 'plain');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'x'), 'x');
    await expect(repo.removeWorktree(dir, { force: true })).rejects.toBeInstanceOf(GitError);
    expect(existsSync(path.join(dir, 'x'))).toBe(true);
  });
});

describe('worktreeGitDir', () => {
  it('gives the per-worktree git dir of a linked worktree, and the common dir for the main one', async () => {
    await setup();
    const wt = path.join(r.tmp, 'gd');
    await repo.addWorktree(wt, 'feature/gd', 'main');
    const gitDir = await repo.worktreeGitDir(wt);
    expect(path.dirname(gitDir)).toBe(path.join(repo.commonDir, 'worktrees'));
    expect(existsSync(path.join(gitDir, 'HEAD'))).toBe(true);
    expect(await repo.worktreeGitDir(r.dir)).toBe(repo.commonDir);
  });
});

describe('many worktrees at once (down)', () => {
  it('statuses: each worktree its own porcelain, odd names and renames kept whole; a folder that is not a worktree fails alone', async () => {
    await setup();
    const a = path.join(r.tmp, 'wa');
    const b = path.join(r.tmp, 'w b;$(x)');
    await repo.addWorktree(a, 'feature/a', 'main');
    await repo.addWorktree(b, 'feature/b', 'main');
    writeFileSync(path.join(a, 'new one.txt'), 'x');
    writeFileSync(path.join(b, 'line\nbreak'), 'x');
    const notRepo = path.join(r.tmp, 'plain');
    mkdirSync(notRepo);
    const out = await repo.statuses([a, notRepo, b, path.join(r.tmp, 'missing')]);
    expect(out.get(a)).toBe('?? new one.txt\0');
    expect(out.get(b)).toBe('?? line\nbreak\0');
    // outside any repository (the temp dir is not one): an error, the others unaffected
    expect(out.get(path.join(r.tmp, 'missing'))).toBeInstanceOf(Error);
    expect(await repo.statuses([])).toEqual(new Map());
  });

  it('removeWorktrees: folders and git entries gone in one go, links inside removed and never followed; a path not a worktree goes by git', async () => {
    await setup();
    const outside = path.join(r.tmp, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'keep.txt'), 'keep');
    const paths = ['w1', 'w2', 'w3'].map((n) => path.join(r.tmp, n));
    for (const [i, p] of paths.entries()) await repo.addWorktree(p, `feature/${i}`, 'main');
    const { symlinkSync } = await import('node:fs');
    symlinkSync(outside, path.join(paths[0]!, 'link'));
    expect(await repo.removeWorktrees(paths)).toEqual([]);
    for (const p of paths) expect(existsSync(p)).toBe(false);
    expect(existsSync(path.join(outside, 'keep.txt'))).toBe(true);
    expect(await r.git(['worktree', 'list', '--porcelain'])).not.toContain('w1');
    expect(existsSync(path.join(r.dir, '.git', 'worktrees')) ? readdirSync(path.join(r.dir, '.git', 'worktrees')) : []).toEqual([]);
    // their branches can go now (none is checked out any more)
    await repo.deleteBranches(['feature/0', 'feature/1', 'feature/2']);
    expect(await r.git(['for-each-ref', '--format=%(refname)', 'refs/heads/feature/'])).toBe('');
  });
});
