// The merge primitives on real repositories: predictions made in memory, changed-file lists that leave
// the index alone, merges in a worktree that abort cleanly, and a branch that moves only from where
// we last saw it.
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addDetachedWorktree,
  advanceBranch,
  aheadCount,
  changedFilesList,
  commitOf,
  mergeInto,
  predictMerge,
} from '../../src/git/index.js';
import { isolateGitEnv, makeRepo, type TestRepo } from '../helpers/gitenv.js';

let restore: () => void;
beforeAll(() => {
  restore = isolateGitEnv();
});
afterAll(() => restore());

let r: TestRepo;
afterEach(() => r?.cleanup());

/** 40 numbered lines: edits to line 2 and line 39 are far enough apart to merge cleanly. */
const LONG = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const edit = (text: string, lineNo: number, to: string) =>
  text.split('\n').map((l, i) => (i === lineNo - 1 ? to : l)).join('\n');

/** A repository with two linked worktrees, `a` on feature/a and `b` on feature/b, both from main. */
async function twoWorktrees(files: Record<string, string> = { 'src/long.txt': LONG, 'src/a.txt': 'alpha\n' }) {
  r = await makeRepo({ files: { 'README.md': '# r\n', ...files } });
  const a = path.join(r.tmp, 'wt a');
  const b = path.join(r.tmp, 'wt b');
  await r.git(['worktree', 'add', '--quiet', '-b', 'feature/a', a, 'main']);
  await r.git(['worktree', 'add', '--quiet', '-b', 'feature/b', b, 'main']);
  return { a, b };
}

/** Every file under `dir` (its .git file or folder left out), with its bytes. */
function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${entry.name}` : entry.name;
    if (p === '.git') continue;
    if (entry.isDirectory()) Object.assign(out, tree(dir, p));
    else out[p] = readFileSync(path.join(dir, p)).toString('base64');
  }
  return out;
}

/** What a checkout looks like to git and on disk: files, index bytes, HEAD, status, refs, MERGE_HEAD. */
async function snapshot(dir: string) {
  const gitPath = async (name: string) => path.resolve(dir, await r.git(['rev-parse', '--git-path', name], dir));
  const index = await gitPath('index');
  const head = await gitPath('HEAD');
  return {
    files: tree(dir),
    index: readFileSync(index).toString('base64'),
    indexMtime: statSync(index).mtimeMs,
    head: readFileSync(head, 'utf8'),
    status: await r.git(['--no-optional-locks', 'status', '--porcelain=v1', '--untracked-files=all'], dir),
    refs: await r.git(['for-each-ref', '--format=%(refname) %(objectname)'], dir),
    mergeHead: existsSync(await gitPath('MERGE_HEAD')),
  };
}

describe('predictMerge', () => {
  it('overlapping edits of the same line conflict, naming the file', async () => {
    const { a, b } = await twoWorktrees();
    await r.commit('a edits line 2', { 'src/long.txt': edit(LONG, 2, 'from a') }, a);
    await r.commit('b edits line 2', { 'src/long.txt': edit(LONG, 2, 'from b') }, b);
    const p = await predictMerge(r.dir, 'feature/a', 'feature/b');
    expect(p).toEqual({ clean: false, conflicts: ['src/long.txt'] });
  });

  it('names every conflicting file once, and only those', async () => {
    const { a, b } = await twoWorktrees({ 'src/long.txt': LONG, 'src/a.txt': 'alpha\n', 'src/c.txt': 'gamma\n', 'src/d.txt': 'delta\n' });
    await r.commit('a', { 'src/long.txt': edit(edit(LONG, 2, 'a2'), 30, 'a30'), 'src/a.txt': 'A\n', 'src/d.txt': 'only a\n' }, a);
    await r.commit('b', { 'src/long.txt': edit(edit(LONG, 2, 'b2'), 30, 'b30'), 'src/a.txt': 'B\n', 'src/c.txt': 'only b\n' }, b);
    const p = await predictMerge(r.dir, 'feature/a', 'feature/b');
    expect(p.clean).toBe(false);
    expect([...p.conflicts].sort()).toEqual(['src/a.txt', 'src/long.txt']);
  });

  it('disjoint edits in the same file (far apart lines) are clean', async () => {
    const { a, b } = await twoWorktrees();
    await r.commit('a edits line 2', { 'src/long.txt': edit(LONG, 2, 'from a') }, a);
    await r.commit('b edits line 39', { 'src/long.txt': edit(LONG, 39, 'from b') }, b);
    expect(await predictMerge(r.dir, 'feature/a', 'feature/b')).toEqual({ clean: true, conflicts: [] });
    // and the other way round
    expect(await predictMerge(r.dir, 'feature/b', 'feature/a')).toEqual({ clean: true, conflicts: [] });
  });

  it('a rename on one side and an edit on the other merge cleanly', async () => {
    const { a, b } = await twoWorktrees();
    await r.git(['mv', 'src/long.txt', 'src/renamed.txt'], a);
    await r.git(['commit', '--quiet', '-m', 'a renames'], a);
    await r.commit('b edits', { 'src/long.txt': edit(LONG, 20, 'from b') }, b);
    expect(await predictMerge(r.dir, 'feature/a', 'feature/b')).toEqual({ clean: true, conflicts: [] });
    expect(await predictMerge(r.dir, 'feature/b', 'feature/a')).toEqual({ clean: true, conflicts: [] });
  });

  it('a rename on one side and a deletion on the other conflict, naming the file', async () => {
    const { a, b } = await twoWorktrees();
    await r.git(['mv', 'src/long.txt', 'src/renamed.txt'], a);
    await r.git(['commit', '--quiet', '-m', 'a renames'], a);
    await r.git(['rm', '--quiet', 'src/long.txt'], b);
    await r.git(['commit', '--quiet', '-m', 'b deletes'], b);
    const p = await predictMerge(r.dir, 'feature/a', 'feature/b');
    expect(p.clean).toBe(false);
    expect(p.conflicts).toContain('src/renamed.txt');
  });

  it('takes commit ids as well as branch names', async () => {
    const { a, b } = await twoWorktrees();
    const ca = await r.commit('a', { 'src/a.txt': 'A\n' }, a);
    const cb = await r.commit('b', { 'src/a.txt': 'B\n' }, b);
    expect(await predictMerge(r.dir, ca, cb)).toEqual({ clean: false, conflicts: ['src/a.txt'] });
  });

  // BUG: `git merge-tree --write-tree` exits 1 both for "conflicts" and for an error such as a ref
  // that does not exist ("merge-tree: no-such-branch - not something we can merge", nothing on
  // stdout). predictMerge only throws for exit codes other than 0 and 1, so a bad ref comes back as
  // { clean: false, conflicts: [] }: a conflict in no file, instead of an error.
  it('throws for a ref that does not exist (not a conflict in no file)', async () => {
    await twoWorktrees();
    await expect(predictMerge(r.dir, 'feature/a', 'no-such-branch')).rejects.toThrow(/merge-tree/);
  });

  it('changes nothing on disk: worktrees and the main checkout are byte-identical, no MERGE_HEAD', async () => {
    const { a, b } = await twoWorktrees();
    await r.commit('a', { 'src/long.txt': edit(LONG, 2, 'from a'), 'src/a.txt': 'A\n' }, a);
    await r.commit('b', { 'src/long.txt': edit(LONG, 2, 'from b'), 'src/a.txt': 'B\n' }, b);
    // some uncommitted work everywhere, which a real merge would trip over
    await r.write('src/a.txt', 'main is editing\n');
    await r.write('untracked.txt', 'u\n', a);
    await r.write('src/long.txt', 'b is editing\n', b);
    await r.git(['add', 'src/long.txt'], b);
    const dirs = [r.dir, a, b];
    const before = await Promise.all(dirs.map(snapshot));

    const conflicted = await predictMerge(r.dir, 'feature/a', 'feature/b');
    expect(conflicted.clean).toBe(false);
    const fromWorktree = await predictMerge(a, 'main', 'feature/b');
    expect(fromWorktree.clean).toBe(true);

    const after = await Promise.all(dirs.map(snapshot));
    expect(after).toEqual(before);
    for (const s of after) expect(s.mergeHead).toBe(false);
    expect(await r.git(['worktree', 'list', '--porcelain'])).not.toContain('detached');
    expect(await r.git(['stash', 'list'])).toBe('');
  });
});

describe('changedFilesList', () => {
  it('separates committed files from uncommitted ones, untracked included', async () => {
    const { a } = await twoWorktrees();
    await r.commit('a work', { 'src/a.txt': 'A\n', 'src/new.txt': 'new\n' }, a);
    await r.write('src/long.txt', 'edited, not committed\n', a);
    await r.write('staged.txt', 'staged\n', a);
    await r.git(['add', 'staged.txt'], a);
    await r.write('deep/dir/untracked file.txt', 'u\n', a);
    const files = await changedFilesList(a, 'main');
    expect([...files.committed].sort()).toEqual(['src/a.txt', 'src/new.txt']);
    expect([...files.uncommitted].sort()).toEqual(['deep/dir/untracked file.txt', 'src/long.txt', 'staged.txt']);
  });

  it('counts committed files since the merge base only, not what base did meanwhile', async () => {
    const { a } = await twoWorktrees();
    await r.commit('a work', { 'src/a.txt': 'A\n' }, a);
    await r.commit('main moves', { 'README.md': '# moved\n', 'src/main-only.txt': 'm\n' });
    expect(await changedFilesList(a, 'main')).toEqual({ committed: ['src/a.txt'], uncommitted: [] });
  });

  it('lists deletions, and renames by both paths (a move must not hide what it moved away from)', async () => {
    const { a } = await twoWorktrees();
    await r.git(['rm', '--quiet', 'README.md'], a);
    await r.git(['mv', 'src/long.txt', 'src/moved.txt'], a);
    const files = await changedFilesList(a, 'main');
    expect(files.committed).toEqual([]);
    expect([...files.uncommitted].sort()).toEqual(['README.md', 'src/long.txt', 'src/moved.txt']);
  });

  it('is empty for a fresh worktree, and for a base that does not exist it lists no committed files', async () => {
    const { a } = await twoWorktrees();
    expect(await changedFilesList(a, 'main')).toEqual({ committed: [], uncommitted: [] });
    await r.write('x.txt', 'x\n', a);
    expect(await changedFilesList(a, 'no-such-base')).toEqual({ committed: [], uncommitted: ['x.txt'] });
  });

  it('does not touch the index: same bytes, same mtime, no intent-to-add entries', async () => {
    const { a } = await twoWorktrees();
    await r.commit('a work', { 'src/a.txt': 'A\n' }, a);
    await r.write('brand new.txt', 'untracked\n', a);
    await r.write('src/long.txt', 'edited\n', a);
    // make the index stale: a tracked file whose stat data no longer matches, content unchanged, so
    // any index refresh (a plain `git status`) would write the index again
    const readme = path.join(a, 'README.md');
    const later = new Date(Date.now() + 60_000);
    utimesSync(readme, later, later);
    const index = path.resolve(a, await r.git(['rev-parse', '--git-path', 'index'], a));
    const bytes = readFileSync(index);
    const mtime = statSync(index).mtimeMs;

    const files = await changedFilesList(a, 'main');
    expect(files.uncommitted).toContain('brand new.txt');

    expect(readFileSync(index).equals(bytes)).toBe(true);
    expect(statSync(index).mtimeMs).toBe(mtime);
    expect(await r.git(['diff', '--cached', '--name-only'], a)).toBe('');
    expect(await r.git(['ls-files', '--', 'brand new.txt'], a)).toBe(''); // no `git add -N`

    // the check above can fail: a plain `git status` does rewrite this stale index
    await r.git(['status', '--porcelain'], a);
    expect(readFileSync(index).equals(bytes)).toBe(false);
  });
});

describe('mergeInto', () => {
  /** A detached integration worktree at main, like the merge queue uses. */
  async function integration(): Promise<string> {
    const dir = path.join(r.tmp, 'integration');
    await addDetachedWorktree(r.dir, dir, await commitOf(r.dir, 'main'));
    return dir;
  }

  it('a clean merge makes a merge commit with the message, on a detached worktree', async () => {
    const { a } = await twoWorktrees();
    const tip = await r.commit('a work', { 'src/a.txt': 'A\n' }, a);
    const dir = await integration();
    const main = await commitOf(r.dir, 'main');
    expect(await r.git(['rev-parse', 'HEAD'], dir)).toBe(main);

    expect(await mergeInto(dir, 'feature/a', 'treemux: merge a (feature/a)')).toEqual({ ok: true, conflicts: [] });
    expect(await r.git(['rev-list', '--parents', '-n', '1', 'HEAD'], dir)).toBe(`${await r.git(['rev-parse', 'HEAD'], dir)} ${main} ${tip}`);
    expect(await r.git(['log', '-1', '--format=%s'], dir)).toBe('treemux: merge a (feature/a)');
    expect(readFileSync(path.join(dir, 'src/a.txt'), 'utf8')).toBe('A\n');
    expect(await r.git(['status', '--porcelain'], dir)).toBe('');
    // nobody else moved
    expect(await commitOf(r.dir, 'main')).toBe(main);
    expect(await commitOf(r.dir, 'feature/a')).toBe(tip);
  });

  it('makes a merge commit even when a fast-forward was possible (--no-ff)', async () => {
    const { a } = await twoWorktrees();
    await r.commit('a work', { 'src/a.txt': 'A\n' }, a);
    const dir = await integration();
    await mergeInto(dir, 'feature/a', 'm');
    expect((await r.git(['rev-list', '--parents', '-n', '1', 'HEAD'], dir)).split(' ')).toHaveLength(3);
  });

  it('a conflict aborts cleanly and lists the files', async () => {
    const { a, b } = await twoWorktrees();
    await r.commit('a', { 'src/a.txt': 'A\n', 'src/long.txt': edit(LONG, 5, 'a5') }, a);
    await r.commit('b', { 'src/a.txt': 'B\n', 'src/long.txt': edit(LONG, 5, 'b5') }, b);
    const dir = await integration();
    expect((await mergeInto(dir, 'feature/a', 'merge a')).ok).toBe(true);
    const afterA = await r.git(['rev-parse', 'HEAD'], dir);
    const files = tree(dir);

    const step = await mergeInto(dir, 'feature/b', 'merge b');
    expect(step.ok).toBe(false);
    expect([...step.conflicts].sort()).toEqual(['src/a.txt', 'src/long.txt']);
    expect(step.error).toBeUndefined();
    expect(existsSync(path.resolve(dir, await r.git(['rev-parse', '--git-path', 'MERGE_HEAD'], dir)))).toBe(false);
    expect(await r.git(['status', '--porcelain', '--untracked-files=all'], dir)).toBe('');
    expect(await r.git(['rev-parse', 'HEAD'], dir)).toBe(afterA);
    expect(tree(dir)).toEqual(files); // no conflict markers left behind
  });

  it('a merge that fails for another reason says so and leaves no merge in progress', async () => {
    await twoWorktrees();
    const dir = await integration();
    const step = await mergeInto(dir, 'no-such-branch', 'm');
    expect(step.ok).toBe(false);
    expect(step.conflicts).toEqual([]);
    expect(step.error).toMatch(/no-such-branch/);
    expect(await r.git(['status', '--porcelain'], dir)).toBe('');
  });

  // BUG: mergeInto reports the LAST line git printed as the reason. When git refuses to start the merge
  // because an untracked file is in the way (in the merge queue: a file the previous agent's
  // `merge.test` run wrote into the integration worktree, e.g. a new test snapshot, that the next agent
  // also committed), git's output ends with "Aborting" / "Merge with strategy ort failed.", so the user
  // reads "git merge failed: Merge with strategy ort failed." and never learns which file or why.
  it('a merge refused because an untracked file is in the way says why, naming the file', async () => {
    const { a } = await twoWorktrees();
    await r.commit('a adds a snapshot', { 'snap/new.snap': 'from a\n' }, a);
    const dir = await integration();
    await r.write('snap/new.snap', 'written by a test run\n', dir);
    const step = await mergeInto(dir, 'feature/a', 'merge a');
    expect(step.ok).toBe(false);
    expect(readFileSync(path.join(dir, 'snap/new.snap'), 'utf8')).toBe('written by a test run\n');
    expect(step.error).toMatch(/untracked working tree files would be overwritten/);
    expect(step.error).toMatch(/snap\/new\.snap/);
  });
});

describe('advanceBranch', () => {
  it('moves the branch when it is still where we saw it', async () => {
    const { a } = await twoWorktrees();
    const from = await commitOf(r.dir, 'main');
    const dir = path.join(r.tmp, 'integration');
    await addDetachedWorktree(r.dir, dir, from);
    await r.commit('a', { 'src/a.txt': 'A\n' }, a);
    await mergeInto(dir, 'feature/a', 'merge a');
    const to = await commitOf(dir, 'HEAD');
    await r.git(['checkout', '--quiet', '--detach']); // main is not checked out anywhere
    await advanceBranch(r.dir, 'main', to, from);
    expect(await commitOf(r.dir, 'main')).toBe(to);
    expect(await r.git(['reflog', '-1', '--format=%gs', 'refs/heads/main'])).toBe('treemux merge');
  });

  it('refuses when the branch moved meanwhile, and leaves it where the other one put it', async () => {
    const { a } = await twoWorktrees();
    const from = await commitOf(r.dir, 'main');
    const to = await r.commit('a', { 'src/a.txt': 'A\n' }, a);
    const moved = await r.commit('someone else commits on main', { 'README.md': '# moved\n' });
    await expect(advanceBranch(r.dir, 'main', to, from)).rejects.toThrow();
    expect(await commitOf(r.dir, 'main')).toBe(moved);
  });
});

describe('aheadCount', () => {
  it('counts the commits a branch has that base does not', async () => {
    const { a } = await twoWorktrees();
    expect(await aheadCount(r.dir, 'main', 'feature/a')).toBe(0);
    await r.commit('one', { 'x.txt': '1\n' }, a);
    await r.commit('two', { 'x.txt': '2\n' }, a);
    expect(await aheadCount(r.dir, 'main', 'feature/a')).toBe(2);
    expect(await aheadCount(r.dir, 'feature/a', 'main')).toBe(0);
    await r.commit('main moves', { 'y.txt': 'y\n' });
    expect(await aheadCount(r.dir, 'main', 'feature/a')).toBe(2); // base moving does not change it
    expect(await aheadCount(r.dir, 'feature/a', 'main')).toBe(1); // and the other way: base is 1 ahead
  });

  it('is 0 once the branch is merged, and for a branch that does not exist', async () => {
    const { a } = await twoWorktrees();
    await r.commit('one', { 'x.txt': '1\n' }, a);
    await r.git(['merge', '--quiet', '--no-ff', '--no-edit', 'feature/a']);
    expect(await aheadCount(r.dir, 'main', 'feature/a')).toBe(0);
    expect(await aheadCount(r.dir, 'main', 'no-such-branch')).toBe(0);
  });
});
