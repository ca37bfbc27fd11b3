import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
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

function unlock(dir: string): void {
  try {
    chmodSync(dir, 0o755);
  } catch {
    // not there: nothing to unlock
  }
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

  it('never writes through a symlink at the destination: such a path is skipped as existing', async () => {
    scratch();
    await put(from, '.env', 'FROM=main\n');
    await fakeNodeModules(from);
    const outside = path.join(tmp, 'outside');
    mkdirSync(outside);
    mkdirSync(to);
    symlinkSync(outside, path.join(to, 'node_modules')); // a link to a directory elsewhere
    symlinkSync(path.join(outside, '.env'), path.join(to, '.env')); // a dangling link
    const results = await copyPaths(from, to, ['.env', 'node_modules']);
    expect(results.map((r) => [r.path, r.skipped])).toEqual([
      ['.env', 'exists'],
      ['node_modules', 'exists'],
    ]);
    expect(readdirSync(outside)).toEqual([]);
    expect(lstatSync(path.join(to, '.env')).isSymbolicLink()).toBe(true);
  });

  it('refuses a parent directory in the worktree that is a symlink leading out of it, and makes nothing', async () => {
    scratch();
    await fakeNodeModules(path.join(from, 'packages/web'));
    await put(from, 'packages/web/.env', 'A=1\n');
    const outside = path.join(tmp, 'outside');
    mkdirSync(outside);
    mkdirSync(path.join(to, 'apps'), { recursive: true });
    symlinkSync(outside, path.join(to, 'packages'));
    for (const rel of ['packages/web/node_modules', 'packages/web/.env']) {
      const err = await copyPaths(from, to, [rel]).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err, rel).toBeInstanceOf(Error);
      expect(err?.message, rel).toMatch(new RegExp(`^cannot copy ${rel}: packages in the worktree is a symlink to .*outside`));
      expect(err?.message.includes('\n'), rel).toBe(false);
    }
    expect(readdirSync(outside)).toEqual([]);
    // a symlink that stays inside the worktree is gone through: the content lands where it points
    rmSync(path.join(to, 'packages'));
    symlinkSync('apps', path.join(to, 'packages'));
    const [r] = await copyPaths(from, to, ['packages/web/.env']);
    expect(r?.skipped).toBeUndefined();
    expect(readFileSync(path.join(to, 'apps/web/.env'), 'utf8')).toBe('A=1\n');
  });

  it('keeps modes and modification times of files, directories and links, in a copy and in hard links', async () => {
    scratch();
    const when = (s: number) => new Date(s * 1000);
    const mtimeOf = (p: string) => lstatSync(p).mtimeMs;
    for (const root of ['node_modules', 'build/cache']) {
      await put(from, `${root}/bin/tool`, '#!/bin/sh\n');
      chmodSync(path.join(from, root, 'bin/tool'), 0o751);
      await put(from, `${root}/secret.txt`, 's\n');
      chmodSync(path.join(from, root, 'secret.txt'), 0o600);
      await put(from, `${root}/shared/notes.txt`, 'n\n');
      chmodSync(path.join(from, root, 'shared/notes.txt'), 0o664);
      chmodSync(path.join(from, root, 'shared'), 0o775); // group-writable: more than mkdir gives under umask 022
      await put(from, `${root}/frozen/a.txt`, 'a\n');
      symlinkSync('../bin/tool', path.join(from, root, 'frozen/tool'));
      lutimesSync(path.join(from, root, 'frozen/tool'), when(1_500_000_000), when(1_500_000_000));
      chmodSync(path.join(from, root, 'frozen'), 0o555); // read-only: the copy still fills it
      utimesSync(path.join(from, root, 'bin/tool'), when(1_600_000_000), 1_600_000_000.25);
      utimesSync(path.join(from, root, 'secret.txt'), when(1_600_000_100), when(1_600_000_100));
      for (const dir of ['shared', 'frozen', 'bin', '.']) utimesSync(path.join(from, root, dir), when(1_400_000_000), 1_400_000_000.5);
    }
    cleanups.push(() => {
      // writable again, so that the temp dir can be removed by any user
      for (const dir of [from, to]) for (const root of ['node_modules', 'build/cache']) unlock(path.join(dir, root, 'frozen'));
    });
    const results = await copyPaths(from, to, ['node_modules', 'build/cache']);
    expect(results.map((r) => r.skipped)).toEqual([undefined, undefined]);
    for (const root of ['node_modules', 'build/cache']) {
      for (const rel of ['.', 'bin', 'bin/tool', 'secret.txt', 'shared', 'shared/notes.txt', 'frozen', 'frozen/a.txt', 'frozen/tool']) {
        const a = lstatSync(path.join(from, root, rel));
        const b = lstatSync(path.join(to, root, rel));
        expect((b.mode & 0o7777).toString(8), `${root}/${rel}`).toBe((a.mode & 0o7777).toString(8));
        // Node sets times from a double: nanoseconds are lost, the microsecond is kept
        expect(Math.abs(b.mtimeMs - a.mtimeMs), `${root}/${rel}`).toBeLessThan(0.001);
      }
      expect(mtimeOf(path.join(to, root, 'bin/tool'))).toBe(1_600_000_000_250);
      expect(readlinkSync(path.join(to, root, 'frozen/tool'))).toBe('../bin/tool');
    }
    expect(statSync(path.join(to, 'build/cache/secret.txt')).ino).not.toBe(statSync(path.join(from, 'build/cache/secret.txt')).ino);
  });

  it('keeps the mode and time of a single file, and follows a symlink named as the path', async () => {
    scratch();
    await put(tmp, 'elsewhere/env.real', 'REAL=1\n');
    chmodSync(path.join(tmp, 'elsewhere/env.real'), 0o640);
    utimesSync(path.join(tmp, 'elsewhere/env.real'), 1_600_000_000, 1_600_000_000.5);
    mkdirSync(from);
    symlinkSync(path.join(tmp, 'elsewhere/env.real'), path.join(from, '.env.local'));
    const [r] = await copyPaths(from, to, ['.env.local']);
    expect(r?.skipped).toBeUndefined();
    const b = lstatSync(path.join(to, '.env.local'));
    expect(b.isFile()).toBe(true);
    expect(readFileSync(path.join(to, '.env.local'), 'utf8')).toBe('REAL=1\n');
    expect((b.mode & 0o777).toString(8)).toBe('640');
    expect(b.mtimeMs).toBe(1_600_000_000_500);
  });

  it('makes links inside a tree again as the same links, at any depth, never following them', async () => {
    scratch();
    const outside = path.join(tmp, 'outside');
    await put(outside, 'big/payload.txt', 'not to be copied\n');
    await put(from, 'node_modules/a/index.js', 'a\n');
    await put(from, 'node_modules/a/lib/deep/er/x.js', 'x\n');
    const links: Record<string, string> = {
      'node_modules/.bin/a': '../a/index.js', // to a file
      'node_modules/a-alias': 'a', // to a directory beside it
      'node_modules/a/lib/deep/er/up': '../../../index.js', // deep, pointing up
      'node_modules/a/lib/deep/er/self': '.', // a loop, if it were followed
      'node_modules/a/lib/outside': outside, // absolute, out of the tree
      'node_modules/a/lib/deep/dangling': 'no/such/thing',
      'node_modules/.bin/chain': 'a', // a link to a link
    };
    for (const [at, target] of Object.entries(links)) {
      mkdirSync(path.dirname(path.join(from, at)), { recursive: true });
      symlinkSync(target, path.join(from, at));
    }
    for (const tree of ['node_modules', 'cache']) {
      if (tree === 'cache') execFileSync('cp', ['-R', '-P', path.join(from, 'node_modules'), path.join(from, 'cache')]);
      await copyPaths(from, to, [tree]);
      for (const [at, target] of Object.entries(links)) {
        const p = path.join(to, at.replace(/^node_modules/, tree));
        expect(lstatSync(p).isSymbolicLink(), p).toBe(true);
        expect(readlinkSync(p), p).toBe(target);
      }
      expect(readFileSync(path.join(to, tree, '.bin/a'), 'utf8')).toBe('a\n');
      expect(readFileSync(path.join(to, tree, 'a-alias/lib/deep/er/x.js'), 'utf8')).toBe('x\n');
    }
    expect(readdirSync(outside)).toEqual(['big']);
  });

  it('leaves sockets, FIFOs and devices out of a tree instead of failing or hanging on them', async () => {
    scratch();
    await put(from, 'build/cache/a.txt', 'a\n');
    execFileSync('mkfifo', [path.join(from, 'build/cache/daemon.fifo')]);
    const [r] = await copyPaths(from, to, ['build/cache']);
    expect(r?.skipped).toBeUndefined();
    expect(readdirSync(path.join(to, 'build/cache'))).toEqual(['a.txt']);
  });

  it('makes every directory before its contents, with many operations in flight (wide and deep trees)', async () => {
    scratch();
    const files: string[] = [];
    // wide: 300 packages of 4 files (far more than the operations allowed in flight) …
    for (let p = 0; p < 300; p += 1) for (let f = 0; f < 4; f += 1) files.push(`node_modules/pkg-${p}/lib/f${f}.js`);
    // … and deep: a chain of 60 directories with a file at each level
    let deep = 'node_modules/deep';
    for (let d = 0; d < 60; d += 1) {
      deep += `/d${d}`;
      files.push(`${deep}/f.js`);
    }
    for (const f of files) await put(from, f, `${f}\n`);
    // directory times are set last, after everything inside: any late write would change them
    const dirs = (await tree(path.join(from, 'node_modules'))).filter((e) => e.endsWith('/'));
    for (const d of ['', ...dirs]) utimesSync(path.join(from, 'node_modules', d), 1_500_000_000, 1_500_000_000);
    for (const tree_ of ['node_modules', 'copied']) {
      if (tree_ === 'copied') execFileSync('cp', ['-R', path.join(from, 'node_modules'), path.join(from, 'copied')]);
      const [r] = await copyPaths(from, to, [tree_]);
      expect(r?.skipped).toBeUndefined();
      expect(await tree(path.join(to, tree_))).toEqual(await tree(path.join(from, tree_)));
      for (const f of files) expect(readFileSync(path.join(to, f.replace(/^node_modules/, tree_)), 'utf8')).toBe(`${f}\n`);
      if (tree_ === 'node_modules') {
        for (const d of ['', ...dirs]) expect(statSync(path.join(to, 'node_modules', d)).mtimeMs, d).toBe(1_500_000_000_000);
      }
    }
  });

  it('removes what a failed copy made, parents included, and says why in one line', async () => {
    scratch();
    // A tree whose deepest path fits the system's limit (PATH_MAX 4096) at the source, but not in a
    // worktree whose path is longer: creating it there fails half way, as root too.
    const to2 = path.join(tmp, 'w'.repeat(200), 'wt');
    let rel = 'deep/node_modules';
    while (path.join(from, rel).length < 4096 - 260 - 10) rel += `/${'n'.repeat(250)}`;
    await put(from, `${rel}/file.js`, 'x\n');
    await put(from, '.env', 'A=1\n');
    const err = await copyPaths(from, to2, ['.env', 'deep/node_modules']).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toMatch(/^cannot copy deep\/node_modules: deep\/node_modules\/n+.*ENAMETOOLONG/);
    expect(err?.message.includes('\n')).toBe(false);
    expect(existsSync(path.join(to2, 'deep'))).toBe(false); // made for this copy: removed with it
    expect(readFileSync(path.join(to2, '.env'), 'utf8')).toBe('A=1\n'); // an earlier path stays
  });

  it('refuses to copy a directory that holds the worktree', async () => {
    scratch();
    await put(from, '.treemux/state.json', '{}\n');
    const inner = path.join(from, '.treemux/worktrees/a');
    mkdirSync(inner, { recursive: true });
    const err = await copyPaths(from, inner, ['.treemux']).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/^cannot copy \.treemux: .*inside/);
    expect(readdirSync(inner)).toEqual([]);
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
