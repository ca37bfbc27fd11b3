import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BaseMissingError, GitError, openRepo, type Repo } from '../../src/git/index.js';
import { isolateGitEnv, makeRepo, type TestRepo } from '../helpers/gitenv.js';

let restore: () => void;
beforeAll(() => {
  restore = isolateGitEnv();
});
afterAll(() => restore());

let r: TestRepo;
let repo: Repo;
let wt: string;
afterEach(() => r?.cleanup());

/** A repository with .gitignore (*.log) and src/a.txt, plus a linked worktree `wt` on feature/w. */
async function setup(): Promise<void> {
  r = await makeRepo({ files: { '.gitignore': '*.log\n', 'src/a.txt': 'one\ntwo\n', 'README.md': '# r\n' } });
  repo = await openRepo(r.dir);
  wt = path.join(r.tmp, 'agent wt');
  await repo.addWorktree(wt, 'feature/w', 'main');
}

describe('workState', () => {
  it('is empty for a clean worktree', async () => {
    await setup();
    expect(await repo.workState(wt, 'main')).toEqual({ uncommitted: [], unmergedCommits: 0 });
  });

  it('lists modified, staged, renamed and untracked files', async () => {
    await setup();
    await r.write('src/a.txt', 'changed\n', wt);
    await r.write('staged.txt', 'new\n', wt);
    await r.git(['add', 'staged.txt'], wt);
    await r.git(['mv', 'README.md', 'READ ME.md'], wt);
    await r.write('deep/dir/untracked file.txt', 'u', wt);
    const state = await repo.workState(wt, 'main');
    expect(state.uncommitted.sort()).toEqual(['READ ME.md', 'deep/dir/untracked file.txt', 'src/a.txt', 'staged.txt']);
    expect(state.unmergedCommits).toBe(0);
  });

  it('does not count ignored files', async () => {
    await setup();
    await r.write('debug.log', 'noise', wt);
    await r.write('logs/more.log', 'noise', wt);
    expect(await repo.workState(wt, 'main')).toEqual({ uncommitted: [], unmergedCommits: 0 });
  });

  it('counts commits not in base, and stops counting once merged', async () => {
    await setup();
    await r.commit('one', { 'x.txt': 'x' }, wt);
    await r.commit('two', { 'y.txt': 'y' }, wt);
    expect(await repo.workState(wt, 'main')).toEqual({ uncommitted: [], unmergedCommits: 2 });
    await r.git(['merge', '--quiet', '--no-ff', '--no-edit', 'feature/w']);
    expect(await repo.workState(wt, 'main')).toEqual({ uncommitted: [], unmergedCommits: 0 });
  });

  it('throws BaseMissingError for an unknown base', async () => {
    await setup();
    await expect(repo.workState(wt, 'develop')).rejects.toBeInstanceOf(BaseMissingError);
  });

  it('does not refresh the index (no lock taken)', async () => {
    await setup();
    const index = path.join(await repo.worktreeGitDir(wt), 'index');
    writeFileSync(path.join(wt, 'src', 'a.txt'), 'one\ntwo\n'); // same content, new mtime: stale stat info
    const before = readFileSync(index);
    await repo.workState(wt, 'main');
    expect(readFileSync(index).equals(before)).toBe(true);
  });
});

describe('saveToTrash', () => {
  const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

  it('saves a patch, the untracked files and info, without touching the worktree', async () => {
    await setup();
    const committed = await r.commit('agent work', { 'src/b.txt': 'b\n' }, wt);
    await r.write('src/a.txt', 'one\nTWO\nthree\n', wt); // unstaged change
    await r.write('staged.txt', 'staged\n', wt);
    await r.git(['add', 'staged.txt'], wt); // staged new file
    await r.write('bin.dat', new Uint8Array([0, 1, 2, 255, 0, 9]), wt);
    await r.git(['add', 'bin.dat'], wt); // staged binary file
    await r.write('notes/with space.txt', 'untracked 1', wt);
    await r.write('-dash.txt', 'untracked 2', wt);
    await r.write('ignored.log', 'ignored', wt);
    const gitDir = await repo.worktreeGitDir(wt);
    const statusBefore = await r.git(['status', '--porcelain'], wt);
    const indexBefore = sha(path.join(gitDir, 'index'));

    const dest = path.join(r.dir, '.git', 'treemux', 'trash', 'agent-1');
    const saved = await repo.saveToTrash(wt, 'main', dest);

    expect(saved).toEqual({ patch: path.join(dest, 'diff.patch'), untrackedTar: path.join(dest, 'untracked.tar.gz'), files: 5 });
    expect(sha(path.join(gitDir, 'index'))).toBe(indexBefore);
    expect(await r.git(['status', '--porcelain'], wt)).toBe(statusBefore);
    expect(await r.git(['stash', 'list'], wt)).toBe('');

    const info = JSON.parse(readFileSync(path.join(dest, 'info.json'), 'utf8'));
    expect(info).toMatchObject({ branch: 'feature/w', head: committed, base: 'main' });
    expect(info.commitsNotInBase).toEqual([{ id: committed, subject: 'agent work' }]);
    expect(new Date(info.savedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const tar = await execa('tar', ['-tzf', saved.untrackedTar!]);
    expect(tar.stdout.split('\n').sort()).toEqual(['./-dash.txt', './notes/with space.txt']);

    // the patch applies to a clean checkout of the worktree's HEAD and reproduces the changes
    const check = path.join(r.tmp, 'check');
    await r.git(['worktree', 'add', '--detach', check, committed]);
    await r.git(['apply', '--check', saved.patch], check);
    await r.git(['apply', '--index', saved.patch], check);
    expect(readFileSync(path.join(check, 'src', 'a.txt'), 'utf8')).toBe('one\nTWO\nthree\n');
    expect(readFileSync(path.join(check, 'bin.dat'))).toEqual(Buffer.from([0, 1, 2, 255, 0, 9]));
    await execa('tar', ['-xzf', saved.untrackedTar!], { cwd: check });
    expect(readFileSync(path.join(check, 'notes', 'with space.txt'), 'utf8')).toBe('untracked 1');
  });

  it('writes no tar when nothing is untracked, and an empty patch for a clean tree', async () => {
    await setup();
    const dest = path.join(r.tmp, 'trash', 'clean');
    const saved = await repo.saveToTrash(wt, 'main', dest);
    expect(saved).toEqual({ patch: path.join(dest, 'diff.patch'), untrackedTar: null, files: 0 });
    expect(readFileSync(saved.patch, 'utf8')).toBe('');
    expect(existsSync(path.join(dest, 'untracked.tar.gz'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(dest, 'info.json'), 'utf8')).commitsNotInBase).toEqual([]);
  });

  it('ignores diff settings that would break the patch', async () => {
    await setup();
    await r.git(['config', 'diff.noprefix', 'true']);
    await r.git(['config', 'color.diff', 'always']);
    await r.write('src/a.txt', 'changed\n', wt);
    const saved = await repo.saveToTrash(wt, 'main', path.join(r.tmp, 'trash', 'cfg'));
    expect(readFileSync(saved.patch, 'utf8')).toContain('--- a/src/a.txt\n+++ b/src/a.txt\n');
    await r.git(['stash', '--quiet'], wt);
    await r.git(['apply', '--check', saved.patch], wt);
  });

  it('still saves the work when the base branch is gone', async () => {
    await setup();
    await r.write('u.txt', 'u', wt);
    const saved = await repo.saveToTrash(wt, 'gone-base', path.join(r.tmp, 'trash', 'nobase'));
    expect(saved.files).toBe(1);
    const info = JSON.parse(readFileSync(path.join(r.tmp, 'trash', 'nobase', 'info.json'), 'utf8'));
    expect(info).toMatchObject({ base: 'gone-base', commitsNotInBase: null });
  });
});

describe('isMerged and deleteBranch', () => {
  it('judges reachability from base', async () => {
    await setup();
    expect(await repo.isMerged('feature/w', 'main')).toBe(true); // no commits of its own yet
    await r.commit('work', { 'w.txt': 'w' }, wt);
    expect(await repo.isMerged('feature/w', 'main')).toBe(false);
    await r.git(['tag', 'feature/w', 'main']); // a same-named tag must not stand in for the branch
    expect(await repo.isMerged('feature/w', 'main')).toBe(false);
    await r.git(['merge', '--quiet', '--no-ff', '--no-edit', 'refs/heads/feature/w']);
    expect(await repo.isMerged('feature/w', 'main')).toBe(true);
    await expect(repo.isMerged('feature/none', 'main')).rejects.toThrow('branch feature/none does not exist');
    await expect(repo.isMerged('feature/w', 'develop')).rejects.toBeInstanceOf(BaseMissingError);
  });

  it('deletes a merged branch, and an unmerged one only when forced', async () => {
    await setup();
    await r.git(['branch', 'merged-one']);
    await repo.deleteBranch('merged-one');
    expect(await repo.branchExists('merged-one')).toBe(false);

    await r.commit('work', { 'w.txt': 'w' }, wt);
    await repo.removeWorktree(wt);
    const err = await repo.deleteBranch('feature/w').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as Error).message).toMatch(/^git branch: .*not fully merged/);
    expect(await repo.branchExists('feature/w')).toBe(true);
    await repo.deleteBranch('feature/w', { force: true });
    expect(await repo.branchExists('feature/w')).toBe(false);
  });
});

describe('addExcludes and isIgnored', () => {
  const MARK = '# treemux: files it writes into worktrees';

  it('creates info/exclude when missing, and is idempotent', async () => {
    await setup();
    const file = path.join(repo.commonDir, 'info', 'exclude');
    rmSync(path.join(repo.commonDir, 'info'), { recursive: true, force: true });
    await repo.addExcludes(['CLAUDE.local.md', '.env']);
    await repo.addExcludes(['.env', 'CLAUDE.local.md']);
    expect(readFileSync(file, 'utf8')).toBe(`${MARK}\nCLAUDE.local.md\n.env\n`);
    await repo.addExcludes(['.treemux-sidebar']);
    expect(readFileSync(file, 'utf8')).toBe(`${MARK}\nCLAUDE.local.md\n.env\n.treemux-sidebar\n`);
  });

  it("keeps the user's own lines and never touches .gitignore", async () => {
    await setup();
    const file = path.join(repo.commonDir, 'info', 'exclude');
    writeFileSync(file, '# mine\n*.bak\n');
    const gitignore = readFileSync(path.join(r.dir, '.gitignore'), 'utf8');
    await repo.addExcludes(['CLAUDE.local.md']);
    expect(readFileSync(file, 'utf8')).toBe(`# mine\n*.bak\n\n${MARK}\nCLAUDE.local.md\n`);
    expect(readFileSync(path.join(r.dir, '.gitignore'), 'utf8')).toBe(gitignore);
    expect(readFileSync(path.join(wt, '.gitignore'), 'utf8')).toBe(gitignore);
    await expect(repo.addExcludes(['a\nb'])).rejects.toBeInstanceOf(GitError);
  });

  it('keeps excluded files written into a linked worktree out of workState', async () => {
    await setup();
    await r.write('CLAUDE.local.md', '# instructions', wt);
    await r.write('.env', 'PORT=3001', wt);
    expect((await repo.workState(wt, 'main')).uncommitted.sort()).toEqual(['.env', 'CLAUDE.local.md']);
    expect(await repo.isIgnored(wt, 'CLAUDE.local.md')).toBe(false);
    await repo.addExcludes(['CLAUDE.local.md', '.env']);
    expect(await repo.workState(wt, 'main')).toEqual({ uncommitted: [], unmergedCommits: 0 });
    expect(await repo.isIgnored(wt, 'CLAUDE.local.md')).toBe(true);
    expect(await repo.isIgnored(wt, 'src/a.txt')).toBe(false);
    expect(await repo.isIgnored(wt, 'x.log')).toBe(true);
    // and a forced save leaves them out of the trash
    const saved = await repo.saveToTrash(wt, 'main', path.join(r.tmp, 'trash'));
    expect(saved).toMatchObject({ untrackedTar: null, files: 0 });
  });
});
