import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DbError, providerFor, plannedName } from '../../src/db/index.js';
import { SqliteProvider } from '../../src/db/sqlite.js';
import type { DatabaseConfig } from '../../src/layout/index.js';
import { cleanupAgents, makeAgent, noteSink } from './agent.js';

const config = { kind: 'sqlite', path: 'db/dev.sqlite', seed: 'db/dev.sqlite' } as const satisfies DatabaseConfig;

function sql(file: string, statements: string): string {
  return execFileSync('sqlite3', [file], { input: statements, encoding: 'utf8' }).trim();
}
const count = (file: string, table = 'items') => Number(sql(file, `SELECT count(*) FROM ${table};`));

function makeSeed(mainRoot: string, rows = 3): string {
  const seed = path.join(mainRoot, 'db', 'dev.sqlite');
  mkdirSync(path.dirname(seed), { recursive: true });
  const values = Array.from({ length: rows }, (_, i) => `(${i + 1}, 'item ${i + 1}')`).join(', ');
  sql(seed, `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items VALUES ${values};`);
  return seed;
}

/** A sqlite3 process holding the seed open in WAL mode, its last writes not yet checkpointed. */
async function holdWalSeed(seed: string, rows: number): Promise<ChildProcessWithoutNullStreams> {
  mkdirSync(path.dirname(seed), { recursive: true });
  const p = spawn('sqlite3', [seed]);
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) resolve();
    });
    p.on('error', reject);
    p.on('exit', (code) => reject(new Error(`sqlite3 exited early (${code})`)));
  });
  const values = Array.from({ length: rows }, (_, i) => `(${i + 1}, 'wal item ${i + 1}')`).join(', ');
  p.stdin.write(
    `PRAGMA journal_mode=WAL;\nPRAGMA wal_autocheckpoint=0;\nCREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO items VALUES ${values};\n.print READY\n`,
  );
  await ready;
  held.push(p);
  return p;
}

const held: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const p of held.splice(0)) {
    p.removeAllListeners('exit');
    p.kill();
  }
});
afterAll(cleanupAgents);

describe('sqlite provider', () => {
  it('copies the seed from the main checkout into the worktree', async () => {
    const agent = makeAgent('auth');
    makeSeed(agent.mainRoot, 3);
    const { notes, note } = noteSink();
    const info = await providerFor(config)!.create(agent, note);
    const file = path.join(agent.worktree, 'db', 'dev.sqlite');
    expect(info).toEqual({ kind: 'sqlite', name: 'db/dev.sqlite', url: `file:${file}` });
    expect(count(file)).toBe(3);
    expect(notes.join('\n')).toMatch(/seeded db\/dev.sqlite/);
    expect(await providerFor(config)!.exists(agent, info)).toBe(true);
  });

  it('copies a WAL-mode seed whole, un-checkpointed writes included', async () => {
    const agent = makeAgent('wal');
    const seed = path.join(agent.mainRoot, 'db', 'dev.sqlite');
    await holdWalSeed(seed, 5);
    expect(statSync(`${seed}-wal`).size).toBeGreaterThan(0);
    // the rows are only in the -wal file: copying the main file alone would lose them
    const naive = path.join(mkdtempSync(path.join(tmpdir(), 'tmx-naive-')), 'copy.sqlite');
    copyFileSync(seed, naive);
    expect(sql(naive, "SELECT count(*) FROM sqlite_master WHERE name = 'items';")).toBe('0');

    const info = await providerFor(config)!.create(agent, () => {});
    const file = info.url.slice('file:'.length);
    expect(count(file)).toBe(5);
    expect(sql(file, 'PRAGMA integrity_check;')).toBe('ok');
  });

  it('falls back to copying the file and its -wal/-shm when the sqlite3 CLI is missing', async () => {
    const agent = makeAgent('nocli');
    const seed = path.join(agent.mainRoot, 'db', 'dev.sqlite');
    await holdWalSeed(seed, 4);
    const { notes, note } = noteSink();
    const info = await new SqliteProvider(config, '/nonexistent/sqlite3').create(agent, note);
    expect(notes.join('\n')).toMatch(/sqlite3 not found/);
    expect(count(info.url.slice('file:'.length))).toBe(4);
  });

  it('handles a destination path with a space and a double quote', async () => {
    const agent = makeAgent('quote', { worktreeDir: 'work tree "q" \\x' });
    makeSeed(agent.mainRoot, 2);
    const cfg = { ...config, path: 'my db/dev "{agent}".sqlite' };
    const info = await providerFor(cfg)!.create(agent, () => {});
    const file = path.join(agent.worktree, 'my db', 'dev "quote".sqlite');
    expect(info.name).toBe('my db/dev "quote".sqlite');
    expect(info.url).toBe(`file:${file}`);
    expect(count(file)).toBe(2);
    expect(readdirSync(path.dirname(file))).toEqual(['dev "quote".sqlite']); // no temp files left
  });

  it("keeps the agent's writes away from the seed, and reuses its file on a second create", async () => {
    const agent = makeAgent('writer');
    const seed = makeSeed(agent.mainRoot, 3);
    const p = providerFor(config)!;
    const info = await p.create(agent, () => {});
    const file = info.url.slice('file:'.length);
    sql(file, "INSERT INTO items VALUES (100, 'mine'); DELETE FROM items WHERE id = 1;");
    expect(count(seed)).toBe(3);
    expect(count(file)).toBe(3);

    const { notes, note } = noteSink();
    const again = await p.create(agent, note);
    expect(again).toEqual(info);
    expect(notes).toEqual([]);
    expect(sql(file, 'SELECT name FROM items WHERE id = 100;')).toBe('mine');
  });

  it('drop saves the file to trashDir, and never deletes it', async () => {
    const agent = makeAgent('trash');
    makeSeed(agent.mainRoot, 3);
    const p = providerFor(config)!;
    const info = await p.create(agent, () => {});
    const file = info.url.slice('file:'.length);
    sql(file, "INSERT INTO items VALUES (7, 'seven');");

    await p.drop(agent, info); // no trashDir: nothing to do
    expect(existsSync(file)).toBe(true);

    const trashDir = path.join(agent.mainRoot, '.git', 'treemux', 'trash', 'trash');
    await p.drop(agent, info, { trashDir });
    expect(existsSync(file)).toBe(true);
    expect(count(path.join(trashDir, 'dev.sqlite'))).toBe(4);
    await p.drop(agent, null, { trashDir }); // without the info: same file
    expect(count(path.join(trashDir, 'dev.sqlite'))).toBe(4);
  });

  it('drop with trashDir also copies -wal and -shm files when present', async () => {
    const agent = makeAgent('trashwal');
    const file = path.join(agent.worktree, 'db', 'dev.sqlite');
    await holdWalSeed(file, 6); // the agent's own app holds its database open in WAL mode
    const trashDir = path.join(agent.mainRoot, 'trash');
    await providerFor(config)!.drop(agent, null, { trashDir });
    expect(readdirSync(trashDir).sort()).toEqual(['dev.sqlite', 'dev.sqlite-shm', 'dev.sqlite-wal']);
    expect(count(path.join(trashDir, 'dev.sqlite'))).toBe(6);
  });

  it('without a seed file: no database file, a note; missing is fine for drop', async () => {
    const agent = makeAgent('noseed');
    const { notes, note } = noteSink();
    const p = providerFor(config)!;
    const info = await p.create(agent, note);
    expect(notes.join('\n')).toMatch(/seed db\/dev.sqlite not found/);
    expect(existsSync(path.join(agent.worktree, 'db'))).toBe(true);
    expect(await p.exists(agent, info)).toBe(false);
    await p.drop(agent, info, { trashDir: path.join(agent.mainRoot, 'trash') });
    expect(existsSync(path.join(agent.mainRoot, 'trash'))).toBe(false);
  });

  it('refuses a path outside the worktree; plannedName gives the relative path', async () => {
    const agent = makeAgent('outside');
    await expect(providerFor({ ...config, path: '../elsewhere.sqlite' })!.create(agent, () => {})).rejects.toThrow(DbError);
    const bare = { agent: agent.agent, worktree: agent.worktree };
    expect(plannedName({ ...config, path: 'db/{agent}.sqlite' }, bare)).toBe('db/outside.sqlite');
    expect(plannedName({ ...config, path: '{worktree}/data/x.db' }, bare)).toBe('data/x.db');
    expect(plannedName({ ...config, path: 'db/{branch}.sqlite' }, bare)).toBeNull(); // {branch} needs vars
    expect(plannedName({ ...config, path: 'db/{branch}.sqlite' }, agent)).toBe('db/feature/outside.sqlite');
  });
});
