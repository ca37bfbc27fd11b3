import { describe, expect, it } from 'vitest';
import { EXCLUDE_MARK, mergeExcludeBlock, parseStatusPaths, parseWorktreeList } from '../../src/git/parse.js';

describe('parseWorktreeList', () => {
  const sha = 'a'.repeat(40);

  it('parses NUL-separated records, keeping spaces and newlines in paths', () => {
    const out = [
      `worktree /r/main`, `HEAD ${sha}`, `branch refs/heads/main`, '',
      `worktree /r/with space\nand newline`, `HEAD ${sha}`, `branch refs/heads/feature/x`, 'locked reason here', '',
      `worktree /r/det`, `HEAD ${sha}`, 'detached', 'prunable gitdir file points to non-existent location', '',
    ].join('\0') + '\0';
    const list = parseWorktreeList(out);
    expect(list).toEqual([
      { path: '/r/main', head: sha, branch: 'main', detached: false, bare: false, locked: false, prunable: false, main: true },
      { path: '/r/with space\nand newline', head: sha, branch: 'feature/x', detached: false, bare: false, locked: true, prunable: false, main: false },
      { path: '/r/det', head: sha, branch: null, detached: true, bare: false, locked: false, prunable: true, main: false },
    ]);
  });

  it('parses the older newline form and a bare main entry', () => {
    const out = `worktree /r/bare.git\nbare\n\nworktree /r/wt\nHEAD ${sha}\nbranch refs/heads/w\n\n`;
    const [bare, wt] = parseWorktreeList(out, '\n');
    expect(bare).toMatchObject({ path: '/r/bare.git', bare: true, main: true, head: null });
    expect(wt).toMatchObject({ path: '/r/wt', branch: 'w', main: false });
  });
});

describe('parseStatusPaths', () => {
  it('takes the new path of a rename and skips the original', () => {
    const out = ' M src/a.ts\0R  new name.ts\0old name.ts\0?? dir/un tracked\0A  b.ts\0';
    expect(parseStatusPaths(out)).toEqual(['src/a.ts', 'new name.ts', 'dir/un tracked', 'b.ts']);
  });

  it('gives nothing for a clean tree', () => {
    expect(parseStatusPaths('')).toEqual([]);
  });
});

describe('mergeExcludeBlock', () => {
  it('appends a marked block after the existing lines', () => {
    expect(mergeExcludeBlock('# git default\n*.swp\n', ['.env', 'CLAUDE.local.md'])).toBe(
      `# git default\n*.swp\n\n${EXCLUDE_MARK}\n.env\nCLAUDE.local.md\n`,
    );
  });

  it('creates the block in an empty file, and is idempotent', () => {
    const once = mergeExcludeBlock('', ['.env', '.env']);
    expect(once).toBe(`${EXCLUDE_MARK}\n.env\n`);
    expect(mergeExcludeBlock(once!, ['.env'])).toBeNull();
    expect(mergeExcludeBlock(once!, [])).toBeNull();
  });

  it('adds new patterns inside the existing block, not after later user lines', () => {
    const content = `${EXCLUDE_MARK}\n.env\n\n# mine\nfoo\n`;
    expect(mergeExcludeBlock(content, ['.env', 'x.md'])).toBe(`${EXCLUDE_MARK}\n.env\nx.md\n\n# mine\nfoo\n`);
  });
});
