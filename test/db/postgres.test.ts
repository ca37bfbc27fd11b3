import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DbError, maskUrl, plannedName, providerFor, type DbInfo } from '../../src/db/index.js';
import { withDatabase } from '../../src/db/url.js';
import { describeWithService } from '../helpers/services.js';
import { cleanupAgents, makeAgent, noteSink, uniqueName } from './agent.js';

const quote = (n: string) => `"${n.replace(/"/g, '""')}"`;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  c.on('error', () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}

afterAll(cleanupAgents);

describe('postgres provider without a server', () => {
  it('an unreachable server is one DbError line, without the password', async () => {
    const url = 'postgresql://bob:hunter2secret@127.0.0.1:5999/shop_dev';
    const p = providerFor({ kind: 'postgres', url, allow_empty: false })!;
    const agent = makeAgent('auth');
    const err = await p.create(agent, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbError);
    expect((err as Error).message).toBe('postgres at 127.0.0.1:5999: connection refused');
    await expect(p.exists(agent, null)).rejects.toThrow('postgres at 127.0.0.1:5999: connection refused');
    await expect(p.drop(agent, null)).rejects.toThrow(/^postgres at 127\.0\.0\.1:5999: connection refused$/);
  });

  it('refuses names over 63 bytes; plans <template>_<agent>', async () => {
    const url = `postgresql://u@127.0.0.1:5999/${'t'.repeat(50)}`;
    const agent = makeAgent('a-very-long-agent-name');
    const p = providerFor({ kind: 'postgres', url, allow_empty: false })!;
    await expect(p.create(agent, () => {})).rejects.toThrow(/longer than 63 bytes/);
    expect(plannedName({ kind: 'postgres', url: 'postgresql://u:pw@h/shop_dev', allow_empty: false }, agent)).toBe(
      'shop_dev_a-very-long-agent-name',
    );
  });

  it('maskUrl hides the password only', () => {
    expect(maskUrl('postgresql://u:secret@h/db')).toBe('postgresql://u:***@h/db');
    expect(maskUrl('postgresql://u@h:5432/db?sslmode=require')).toBe('postgresql://u@h:5432/db?sslmode=require');
    expect(maskUrl('db/dev.sqlite')).toBe('db/dev.sqlite');
  });
});

describeWithService('postgres', 'postgres provider', ({ url: serverUrl }) => {
  const template = uniqueName();
  const templateUrl = withDatabase(serverUrl, template);
  const config = { kind: 'postgres', url: templateUrl, allow_empty: false } as const;
  const made = new Set<string>([template]);
  const track = (info: DbInfo) => (made.add(info.name), info);
  const count = (url: string, table = 'items') =>
    withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));
  const dbExists = (name: string) =>
    withClient(serverUrl, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);

  beforeAll(async () => {
    await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${quote(template)}`));
    await withClient(templateUrl, (c) =>
      c.query("CREATE TABLE items (id serial PRIMARY KEY, name text); INSERT INTO items (name) VALUES ('a'), ('b'), ('c')"),
    );
  });
  afterAll(async () => {
    await withClient(serverUrl, async (c) => {
      for (const db of made) await c.query(`DROP DATABASE IF EXISTS ${quote(db)} WITH (FORCE)`);
    });
  });

  it("copies the template's rows into <template>_<agent>", async () => {
    const agent = makeAgent('auth');
    const { notes, note } = noteSink();
    const info = track(await providerFor(config)!.create(agent, note));
    expect(info).toEqual({ kind: 'postgres', name: `${template}_auth`, url: withDatabase(serverUrl, `${template}_auth`) });
    expect(await count(info.url)).toBe(3);
    expect(notes).toEqual([]);
    expect(await providerFor(config)!.exists(agent, info)).toBe(true);
  });

  it("keeps two agents' databases isolated, and reuses one on a second create", async () => {
    const p = providerFor(config)!;
    const one = track(await p.create(makeAgent('one'), () => {}));
    const two = track(await p.create(makeAgent('two'), () => {}));
    await withClient(one.url, (c) => c.query("INSERT INTO items (name) VALUES ('only in one')"));
    expect(await count(one.url)).toBe(4);
    expect(await count(two.url)).toBe(3);
    expect(await count(templateUrl)).toBe(3);

    const { notes, note } = noteSink();
    expect(await p.create(makeAgent('one'), note)).toEqual(one);
    expect(await count(one.url)).toBe(4);
    expect(notes).toEqual([]);
  });

  it('a busy template: a clear error, or with allow_empty an empty database and a note', async () => {
    const holder = new pg.Client({ connectionString: templateUrl });
    holder.on('error', () => {});
    await holder.connect();
    try {
      const agent = makeAgent('busy');
      const err = await providerFor(config)!.create(agent, () => {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DbError);
      const msg = (err as Error).message;
      expect(msg).toContain(`template database "${template}" is in use by 1 other connection`);
      expect(msg).toContain('database.allow_empty: true');
      expect(msg).not.toMatch(/\n/);
      expect(await dbExists(`${template}_busy`)).toBe(false);

      const { notes, note } = noteSink();
      const info = track(await providerFor({ ...config, allow_empty: true })!.create(agent, note));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(/in use by 1 other connection: created empty database/);
      const tables = await withClient(info.url, async (c) =>
        (await c.query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n,
      );
      expect(Number(tables)).toBe(0);
    } finally {
      await holder.end();
    }
  });

  it('a missing template: an empty database and a note (password masked)', async () => {
    const missing = uniqueName('tmx_missing');
    const url = withDatabase(serverUrl.replace('://postgres@', '://postgres:t0psecret@'), missing);
    const { notes, note } = noteSink();
    const info = track(await providerFor({ ...config, url })!.create(makeAgent('empty'), note));
    expect(info.name).toBe(`${missing}_empty`);
    expect(await dbExists(info.name)).toBe(true);
    expect(notes).toEqual([`template database "${missing}" does not exist: created empty database "${missing}_empty"`]);
    if (url.includes('t0psecret')) {
      expect(info.url).toContain('t0psecret'); // unmasked for the caller…
      expect(maskUrl(info.url)).toBe(maskUrl(url).replace(`/${missing}`, `/${missing}_empty`)); // …masked for display
      expect(maskUrl(info.url)).not.toContain('t0psecret');
    }
  });

  it('drop removes the database even while a client is connected; dropping again is fine', async () => {
    const agent = makeAgent('dropme');
    const p = providerFor(config)!;
    const info = track(await p.create(agent, () => {}));
    const open = new pg.Client({ connectionString: info.url });
    open.on('error', () => {});
    await open.connect();
    try {
      await p.drop(agent, info);
      expect(await dbExists(info.name)).toBe(false);
      expect(await p.exists(agent, info)).toBe(false);
      await p.drop(agent, info);
      await p.drop(agent, null);
    } finally {
      await open.end().catch(() => {});
    }
  });

  it('an agent name with a "-" works (quoted identifiers)', async () => {
    const agent = makeAgent('my-agent');
    const p = providerFor(config)!;
    const info = track(await p.create(agent, () => {}));
    expect(info.name).toBe(`${template}_my-agent`);
    expect(await count(info.url)).toBe(3);
    await p.drop(agent, null);
    expect(await dbExists(info.name)).toBe(false);
  });

  it('closes every connection it opens, also on errors', async () => {
    const connect = vi.spyOn(pg.Client.prototype, 'connect');
    const end = vi.spyOn(pg.Client.prototype, 'end');
    try {
      const p = providerFor(config)!;
      const agent = makeAgent('leak');
      track(await p.create(agent, () => {}));
      await p.create(agent, () => {});
      await p.exists(agent, null);
      await p.drop(agent, null);
      await providerFor({ ...config, url: withDatabase(serverUrl, 'x'.repeat(40)) })!.create(makeAgent('x'.repeat(30)), () => {}).catch(() => {});
      const bad = providerFor({ ...config, url: 'postgresql://nobody@127.0.0.1:5999/x' })!;
      await bad.create(agent, () => {}).catch(() => {});
      expect(connect.mock.calls.length).toBeGreaterThanOrEqual(5);
      expect(end.mock.calls.length).toBe(connect.mock.calls.length);
    } finally {
      connect.mockRestore();
      end.mockRestore();
    }
  });
});
