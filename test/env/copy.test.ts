import { existsSync, lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyPaths, HARDLINK_DIRS, supportsReflink, worktreeIncludePaths } from '../../src/env/copy.js';
import { listIgnoredFiles, listIgnoredPaths } from '../../src/git/ignored.js';
import { isolateGitEnv, makeRepo, type TestRepo } from '../helpers/gitenv.js';

let restore: () => void;
beforeAll(() => {
  restore = isolateGitEnv();
});
afterAll(() => restore());

let tmp: string;
let from: string;
let to: string;
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function scratch(): void {
  tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'treemux-copy-')));
  from = path.join(tmp, 'main');
  to = path.join(tmp, 'wt');
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
}

async function put(root: string, rel: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

/** Every entry below dir (relative, sorted), directories with a trailing slash. */
async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.push(`${r}/`);
        await walk(r);
      } else out.push(r);
    }
  };
  await walk('');
  return out.sort();
}

/** A small node_modules-like tree: nested packages, a binary file and a .bin symlink. */
async function fakeNodeModules(root: string): Promise<void> {
  await put(root, 'node_modules/left-pad/package.json', '{"name":"left-pad","version":"1.3.0"}\n');
  await put(root, 'node_modules/left-pad/index.js', 'module.exports = (s, n) => s.padStart(n);\n');
  await put(root, 'node_modules/@scope/pkg/lib/deep/file.js', 'export const x = 1;\n');
  await put(root, 'node_modules/@scope/pkg/node_modules/inner/index.js', 'module.exports = 2;\n');
  await put(root, 'node_modules/big/data.bin', new Uint8Array(64 * 1024).map((_, i) => (i * 31) % 251));
}

describe('copyPaths', () => {
  it('brings a node_modules tree with identical content, hard-linked or reflinked, never as a symlink', async () => {
    scratch();
    await fakeNodeModules(from);
    const [r] = await copyPaths(from, to, ['node_modules']);
    expect(r).toMatchObject({ path: 'node_modules' });
    expect(r?.skipped).toBeUndefined();
    expect(await tree(path.join(to, 'node_modules'))).toEqual(await tree(path.join(from, 'node_modules')));
    expect(lstatSync(path.join(to, 'node_modules')).isSymbolicLink()).toBe(false);
    expect(lstatSync(path.join(to, 'node_modules')).isDirectory()).toBe(true);
    for (const rel of ['left-pad/index.js', '@scope/pkg/lib/deep/file.js', 'big/data.bin']) {
      const a = path.join(from, 'node_modules', rel);
      const b = path.join(to, 'node_modules', rel);
      expect(lstatSync(b).isSymbolicLink()).toBe(false);
      expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
      if (r?.method === 'hardlink') expect(statSync(b).ino).toBe(statSync(a).ino);
      else expect(statSync(b).ino).not.toBe(statSync(a).ino);
    }
    if (await supportsReflink(to)) expect(r?.method).toBe('reflink');
    else expect(r?.method).toBe('hardlink');
  });

  it('copies a single file independently of its source', async () => {
    scratch();
    await put(from, '.env', 'SECRET=1\n');
    const [r] = await copyPaths(from, to, ['.env']);
    expect(r?.skipped).toBeUndefined();
    expect(['reflink', 'copy']).toContain(r?.method);
    expect(readFileSync(path.join(to, '.env'), 'utf8')).toBe('SECRET=1\n');
    expect(statSync(path.join(to, '.env')).ino).not.toBe(statSync(path.join(from, '.env')).ino);
    writeFileSync(path.join(to, '.env'), 'SECRET=changed\n');
    expect(readFileSync(path.join(from, '.env'), 'utf8')).toBe('SECRET=1\n');
    writeFileSync(path.join(from, '.env'), 'SECRET=main\n');
    expect(readFileSync(path.join(to, '.env'), 'utf8')).toBe('SECRET=changed\n');
  });

  it('gives a directory that is not a dependency tree a real copy (new inodes)', async () => {
    scratch();
    await put(from, '.venv/lib/site.py', 'print(1)\n');
    await put(from, 'build/cache/a.txt', 'a\n');
    expect(HARDLINK_DIRS).not.toContain('.venv');
    const results = await copyPaths(from, to, ['.venv', 'build/cache']);
    const reflink = await supportsReflink(to);
    for (const [r, rel] of [[results[0], '.venv/lib/site.py'], [results[1], 'build/cache/a.txt']] as const) {
      expect(r?.method).toBe(reflink ? 'reflink' : 'copy');
      expect(statSync(path.join(to, rel)).ino).not.toBe(statSync(path.join(from, rel)).ino);
      expect(readFileSync(path.join(to, rel), 'utf8')).toBe(readFileSync(path.join(from, rel), 'utf8'));
    }
    writeFileSync(path.join(to, 'build/cache/a.txt'), 'changed\n');
    expect(readFileSync(path.join(from, 'build/cache/a.txt'), 'utf8')).toBe('a\n');
  });

  it('creates parent directories and keeps links inside a tree as they are', async () => {
    scratch();
    await fakeNodeModules(path.join(from, 'packages/web'));
    const { symlinkSync } = await import('node:fs');
    await mkdir(path.join(from, 'packages/web/node_modules/.bin'), { recursive: true });
    symlinkSync('../left-pad/index.js', path.join(from, 'packages/web/node_modules/.bin/left-pad'));
    const [r] = await copyPaths(from, to, ['packages/web/node_modules/']);
    expect(r?.path).toBe('packages/web/node_modules');
    const bin = path.join(to, 'packages/web/node_modules/.bin/left-pad');
    expect(lstatSync(bin).isSymbolicLink()).toBe(true);
    expect(readFileSync(bin, 'utf8')).toContain('padStart');
  });

  it('follows a symlink named as the path: real content arrives, not a link', async () => {
    scratch();
    await fakeNodeModules(path.join(tmp, 'shared'));
    await mkdir(from, { recursive: true });
    const { symlinkSync } = await import('node:fs');
    symlinkSync(path.join(tmp, 'shared/node_modules'), path.join(from, 'node_modules'));
    await copyPaths(from, to, ['node_modules']);
    expect(lstatSync(path.join(to, 'node_modules')).isSymbolicLink()).toBe(false);
    expect(existsSync(path.join(to, 'node_modules/left-pad/index.js'))).toBe(true);
  });

  it('skips a path missing in the main checkout', async () => {
    scratch();
    await put(from, '.env', 'A=1\n');
    const results = await copyPaths(from, to, ['node_modules', '.env', 'no/such/file']);
    expect(results.map((r) => [r.path, r.skipped])).toEqual([
      ['node_modules', 'missing'],
      ['.env', undefined],
      ['no/such/file', 'missing'],
    ]);
    expect(existsSync(path.join(to, 'node_modules'))).toBe(false);
    expect(existsSync(path.join(to, 'no'))).toBe(false);
  });

  it('never overwrites what the worktree already has', async () => {
    scratch();
    await put(from, '.env', 'FROM=main\n');
    await put(from, 'node_modules/a/index.js', 'main\n');
    await put(from, 'node_modules/b/index.js', 'main\n');
    await put(to, '.env', 'FROM=worktree\n');
    await put(to, 'node_modules/a/index.js', 'worktree\n');
    const results = await copyPaths(from, to, ['.env', 'node_modules']);
    expect(results.map((r) => r.skipped)).toEqual(['exists', 'exists']);
    expect(readFileSync(path.join(to, '.env'), 'utf8')).toBe('FROM=worktree\n');
    expect(readFileSync(path.join(to, 'node_modules/a/index.js'), 'utf8')).toBe('worktree\n');
    expect(existsSync(path.join(to, 'node_modules/b'))).toBe(false);
    expect(existsSync(path.join(to, 'node_modules/node_modules'))).toBe(false);
  });

  it('refuses paths that leave the checkout or name .git, before copying anything', async () => {
    scratch();
    await put(from, '.env', 'A=1\n');
    await put(from, '.git/config', '[core]\n');
    for (const bad of ['../x', 'a/../../x', '/etc', '/etc/passwd', '.git', '.git/config', 'sub/.git', '', '.', './']) {
      const err = await copyPaths(from, to, ['.env', bad]).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err, bad).toBeInstanceOf(Error);
      expect(err?.message.includes('\n'), bad).toBe(false);
    }
    expect(existsSync(path.join(to, '.env'))).toBe(false);
    expect(existsSync(path.join(tmp, 'x'))).toBe(false);
  });

  it('handles spaces and a leading dash in a path', async () => {
    scratch();
    await put(from, '-weird dir/sub dir/file name.txt', 'ok\n');
    await put(from, '-rf', 'dash file\n');
    const results = await copyPaths(from, to, ['-weird dir', '-rf']);
    expect(results.map((r) => r.skipped)).toEqual([undefined, undefined]);
    expect(readFileSync(path.join(to, '-weird dir/sub dir/file name.txt'), 'utf8')).toBe('ok\n');
    expect(readFileSync(path.join(to, '-rf'), 'utf8')).toBe('dash file\n');
    expect(existsSync(path.join(from, '-weird dir/sub dir/file name.txt'))).toBe(true);
  });

  it('reports whether reflinks work, the same answer each time', async () => {
    scratch();
    await mkdir(from, { recursive: true });
    const first = await supportsReflink(from);
    expect(typeof first).toBe('boolean');
    expect(await supportsReflink(from)).toBe(first);
    expect(await readdir(from)).toEqual([]); // the probe cleans up after itself
    expect(await supportsReflink(path.join(tmp, 'does-not-exist'))).toBe(false);
  });
});

describe('worktreeIncludePaths', () => {
  let r: TestRepo;
  afterEach(() => r?.cleanup());

  async function repo(gitignore: string, files: Record<string, string> = {}): Promise<TestRepo> {
    r = await makeRepo({
      name: 'shop app',
      files: { '.gitignore': gitignore, 'README.md': '# r\n', 'config/app.yml': 'tracked\n', ...files },
    });
    return r;
  }

  it('is null without a .worktreeinclude file', async () => {
    await repo('.env\n');
    await r.write('.env', 'A=1\n');
    expect(await worktreeIncludePaths(r.dir)).toBeNull();
  });

  it('selects ignored files and directories matching .env, node_modules/ and config/*.local.yml', async () => {
    await repo('.env\nnode_modules/\n*.local.yml\ndist/\n*.log\n', { 'apps/web/config/base.yml': 'x\n' });
    await r.write('.worktreeinclude', '# carried into each worktree\n.env\nnode_modules/\nconfig/*.local.yml\napps/web/config/*.local.yml\n');
    await r.write('.env', 'A=1\n');
    await r.write('node_modules/a/index.js', 'a\n');
    await r.write('node_modules/b/package.json', '{}\n');
    await r.write('apps/web/node_modules/c/index.js', 'c\n');
    await r.write('config/db.local.yml', 'local\n');
    await r.write('config/other.local.yml', 'local\n');
    await r.write('apps/web/config/dev.local.yml', 'local\n');
    await r.write('apps/web/config/not-matched.local.yml.bak', 'x\n');
    await r.write('dist/bundle.js', 'x\n');
    await r.write('debug.log', 'x\n');
    await r.write('untracked-not-ignored.txt', 'x\n');
    expect(await worktreeIncludePaths(r.dir)).toEqual([
      '.env',
      'apps/web/config/dev.local.yml',
      'apps/web/node_modules',
      'config/db.local.yml',
      'config/other.local.yml',
      'node_modules',
    ]);
  });

  it('never lists tracked files, even when a pattern names them', async () => {
    await repo('*.local.yml\n', { 'config/tracked.local.yml': 'tracked\n' });
    // tracked despite the ignore rule: added before .gitignore covered it
    await r.git(['add', '--force', 'config/tracked.local.yml']);
    await r.commit('force-add');
    await r.write('.worktreeinclude', 'config/*.local.yml\nconfig/app.yml\nREADME.md\n.gitignore\n');
    await r.write('config/mine.local.yml', 'local\n');
    expect(await worktreeIncludePaths(r.dir)).toEqual(['config/mine.local.yml']);
  });

  it('finds files inside an ignored directory that does not match as a whole', async () => {
    await repo('build/\n.cache/\n');
    await r.write('.worktreeinclude', 'build/keep.txt\n*.secret\n.cache/wanted/\n');
    await r.write('build/keep.txt', 'keep\n');
    await r.write('build/drop.txt', 'drop\n');
    await r.write('build/nested/x.secret', 's\n');
    await r.write('.cache/wanted/a/b.txt', 'w\n');
    await r.write('.cache/wanted/c.txt', 'w\n');
    await r.write('.cache/other/d.txt', 'o\n');
    expect(await worktreeIncludePaths(r.dir)).toEqual(['.cache/wanted', 'build/keep.txt', 'build/nested/x.secret']);
  });

  it('returns [] for a file of comments only, and paths that copyPaths brings across', async () => {
    await repo('.env\nnode_modules/\n');
    await r.write('.worktreeinclude', '# nothing yet\n\n');
    expect(await worktreeIncludePaths(r.dir)).toEqual([]);
    await r.write('.worktreeinclude', '.env\nnode_modules/\n');
    await r.write('.env', 'A=1\n');
    await r.write('node_modules/x/index.js', 'x\n');
    const wt = path.join(r.tmp, 'wt');
    await r.git(['worktree', 'add', '--quiet', '-b', 'feature/x', wt]);
    const paths = (await worktreeIncludePaths(r.dir)) ?? [];
    const results = await copyPaths(r.dir, wt, paths);
    expect(results.map((x) => [x.path, x.skipped])).toEqual([
      ['.env', undefined],
      ['node_modules', undefined],
    ]);
    expect(readFileSync(path.join(wt, 'node_modules/x/index.js'), 'utf8')).toBe('x\n');
    expect(await r.git(['status', '--porcelain'], wt)).toBe('');
  });
});

describe('listIgnoredPaths', () => {
  let r: TestRepo;
  afterEach(() => r?.cleanup());

  it('lists ignored untracked paths, directories collapsed, without trailing slashes', async () => {
    r = await makeRepo({ files: { '.gitignore': 'node_modules/\n*.log\n\\[x\\]/\n', 'src/a.ts': 'a\n' } });
    await r.write('node_modules/a/index.js', 'a\n');
    await r.write('src/debug.log', 'x\n');
    await r.write('src/new.ts', 'not ignored\n');
    await r.write('odd name.log', 'x\n');
    await r.write('[x]/f', 'x\n');
    expect((await listIgnoredPaths(r.dir)).sort()).toEqual(['[x]', 'node_modules', 'odd name.log', 'src/debug.log']);
    expect(await listIgnoredFiles(r.dir, 'node_modules')).toEqual(['node_modules/a/index.js']);
    expect(await listIgnoredFiles(r.dir, '[x]')).toEqual(['[x]/f']);
  });
});
