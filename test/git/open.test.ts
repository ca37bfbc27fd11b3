import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gitVersion, NotARepoError, openRepo } from '../../src/git/index.js';
import { isolateGitEnv, makeRepo, type TestRepo } from '../helpers/gitenv.js';

let restore: () => void;
beforeAll(() => {
  restore = isolateGitEnv();
});
afterAll(() => restore());

let r: TestRepo;
afterEach(() => r?.cleanup());

describe('openRepo', () => {
  it('opens from the main checkout and from a folder inside it', async () => {
    r = await makeRepo({ name: 'my shop' });
    mkdirSync(path.join(r.dir, 'src', 'deep'), { recursive: true });
    for (const cwd of [r.dir, path.join(r.dir, 'src', 'deep')]) {
      const repo = await openRepo(cwd);
      expect(repo.root).toBe(r.dir);
      expect(repo.name).toBe('my shop');
      expect(repo.commonDir).toBe(path.join(r.dir, '.git'));
    }
  });

  it('opens from a linked worktree and a folder inside it, giving the main checkout', async () => {
    r = await makeRepo();
    const wt = path.join(r.tmp, 'linked');
    await r.git(['worktree', 'add', '-b', 'feature/x', wt]);
    mkdirSync(path.join(wt, 'sub'));
    for (const cwd of [wt, path.join(wt, 'sub')]) {
      const repo = await openRepo(cwd);
      expect(repo.root).toBe(r.dir);
      expect(repo.commonDir).toBe(path.join(r.dir, '.git'));
      expect(await repo.currentBranch()).toBe('main');
    }
  });

  it('resolves symlinks in the root', async () => {
    r = await makeRepo();
    const link = path.join(r.tmp, 'link');
    (await import('node:fs')).symlinkSync(r.dir, link);
    expect((await openRepo(link)).root).toBe(r.dir);
  });

  it('throws NotARepoError outside a repository and for a missing folder', async () => {
    const outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'treemux-norepo-')));
    try {
      await expect(openRepo(outside)).rejects.toThrow(new NotARepoError(outside));
      await expect(openRepo(outside)).rejects.toThrow(`not inside a git repository: ${outside}`);
      await expect(openRepo(path.join(outside, 'missing'))).rejects.toBeInstanceOf(NotARepoError);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('ignores an ambient GIT_DIR (e.g. when run from a git hook)', async () => {
    r = await makeRepo();
    process.env.GIT_DIR = path.join(r.tmp, 'nowhere');
    try {
      expect((await openRepo(r.dir)).root).toBe(r.dir);
    } finally {
      delete process.env.GIT_DIR;
    }
  });

  it('honours the global config named by GIT_CONFIG_GLOBAL', async () => {
    r = await makeRepo();
    const config = path.join(r.tmp, 'other.gitconfig');
    writeFileSync(path.join(r.tmp, 'global-ignore'), '*.secret\n');
    writeFileSync(config, `[core]\n\texcludesFile = ${path.join(r.tmp, 'global-ignore')}\n`);
    writeFileSync(path.join(r.dir, 'a.secret'), 'x');
    const repo = await openRepo(r.dir);
    const saved = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = config;
    try {
      expect((await repo.workState(r.dir, 'main')).uncommitted).toEqual([]);
    } finally {
      process.env.GIT_CONFIG_GLOBAL = saved;
    }
    expect((await repo.workState(r.dir, 'main')).uncommitted).toEqual(['a.secret']);
  });
});

describe('branches and refs', () => {
  it('currentBranch is null when the main checkout is detached', async () => {
    r = await makeRepo();
    const repo = await openRepo(r.dir);
    expect(await repo.currentBranch()).toBe('main');
    await r.git(['checkout', '--quiet', '--detach']);
    expect(await repo.currentBranch()).toBeNull();
  });

  it('branchExists matches local branch names exactly', async () => {
    r = await makeRepo();
    await r.git(['branch', 'feature/auth']);
    await r.git(['tag', 'v1']);
    const repo = await openRepo(r.dir);
    expect(await repo.branchExists('main')).toBe(true);
    expect(await repo.branchExists('feature/auth')).toBe(true);
    expect(await repo.branchExists('feature')).toBe(false);
    expect(await repo.branchExists('mai')).toBe(false);
    expect(await repo.branchExists('v1')).toBe(false);
    expect(await repo.branchExists('*')).toBe(false);
  });

  it('resolveRef gives a commit id or null', async () => {
    r = await makeRepo();
    const head = await r.git(['rev-parse', 'HEAD']);
    await r.git(['tag', '--annotate', '--message', 'tag', 'v1']);
    const repo = await openRepo(r.dir);
    expect(await repo.resolveRef('main')).toBe(head);
    expect(await repo.resolveRef('v1')).toBe(head); // annotated tag peeled to its commit
    expect(await repo.resolveRef(head.slice(0, 8))).toBe(head);
    expect(await repo.resolveRef('develop')).toBeNull();
    expect(await repo.resolveRef('--all')).toBeNull();
    expect(await repo.resolveRef('')).toBeNull();
  });
});

describe('gitVersion', () => {
  it('reports the installed version', async () => {
    expect(await gitVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is null when git cannot be found', async () => {
    const saved = process.env.PATH;
    process.env.PATH = path.join(tmpdir(), 'treemux-no-such-dir');
    try {
      expect(await gitVersion()).toBeNull();
    } finally {
      process.env.PATH = saved;
    }
  });
});
