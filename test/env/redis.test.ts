import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allocateRedisDb, clearRedisShare, escapeGlob } from '../../src/env/redis.js';

const URL = 'redis://127.0.0.1:6379';
const OWN_DB = 14;
const SHARED_DB = 13;

describe('allocateRedisDb', () => {
  it('is the smallest free index from 1', () => {
    expect(allocateRedisDb([])).toBe(1);
    expect(allocateRedisDb([0])).toBe(1);
    expect(allocateRedisDb([1, 2, 4])).toBe(3);
    expect(allocateRedisDb([3, 1, 2])).toBe(4);
  });

  it('says so when 1 to 15 are all used', () => {
    const all = Array.from({ length: 15 }, (_, i) => i + 1);
    expect(() => allocateRedisDb(all)).toThrow(/no free Redis db index: 1 to 15/);
    expect(allocateRedisDb(all.filter((d) => d !== 15))).toBe(15);
  });
});

describe('escapeGlob', () => {
  it('escapes * ? [ ] and backslash', () => {
    expect(escapeGlob('auth:')).toBe('auth:');
    expect(escapeGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f');
  });
});

describe('clearRedisShare (real Redis at 127.0.0.1:6379)', () => {
  type Client = ReturnType<typeof createClient>;
  const clients = new Map<number, Client>();
  const run = `tmxtest:${randomBytes(6).toString('hex')}`;

  async function db(index: number): Promise<Client> {
    let c = clients.get(index);
    if (!c) {
      c = createClient({ url: URL, database: index });
      c.on('error', () => undefined);
      await c.connect();
      clients.set(index, c);
    }
    return c;
  }

  async function keysOf(index: number, pattern = `${run}*`): Promise<string[]> {
    const found: string[] = [];
    for await (const keys of (await db(index)).scanIterator({ MATCH: pattern, COUNT: 1000 })) found.push(...keys);
    return found.sort();
  }

  beforeAll(async () => {
    await db(0);
  });

  afterEach(async () => {
    for (const index of [0, SHARED_DB, OWN_DB]) {
      const keys = await keysOf(index);
      if (keys.length > 0) await (await db(index)).unlink(keys);
    }
  });

  afterAll(async () => {
    for (const c of clients.values()) await c.close();
  });

  it('flushes the agent’s own db and nothing else', async () => {
    const own = await db(OWN_DB);
    const before = await own.dbSize();
    await own.set(`${run}:auth:session`, 'x');
    await own.hSet(`${run}:other-prefix:hash`, { a: '1' });
    await own.rPush(`${run}:list`, ['1', '2']);
    await (await db(0)).set(`${run}:main`, 'keep');
    await (await db(SHARED_DB)).set(`${run}:shared`, 'keep');

    const removed = await clearRedisShare(URL, { db: OWN_DB, prefix: 'auth:', ownDb: true });
    expect(removed).toBe(before + 3);
    expect(await own.dbSize()).toBe(0);
    expect(await (await db(0)).get(`${run}:main`)).toBe('keep');
    expect(await (await db(SHARED_DB)).get(`${run}:shared`)).toBe('keep');
  });

  it('uses the share’s db, not one named in the URL', async () => {
    await (await db(OWN_DB)).set(`${run}:k`, 'x');
    await (await db(0)).set(`${run}:main`, 'keep');
    await clearRedisShare(`${URL}/0`, { db: OWN_DB, prefix: '', ownDb: true });
    expect(await keysOf(OWN_DB)).toEqual([]);
    expect(await keysOf(0)).toEqual([`${run}:main`]);
  });

  it('removes only the keys under the prefix in a shared db, in SCAN batches', async () => {
    const shared = await db(SHARED_DB);
    const prefix = `${run}:auth:`;
    const mine = Array.from({ length: 1234 }, (_, i) => `${prefix}k${i}`);
    for (let i = 0; i < mine.length; i += 200) await shared.mSet(mine.slice(i, i + 200).map((k) => [k, 'v'] as [string, string]));
    await shared.hSet(`${prefix}hash`, { f: 'v' });
    await shared.sAdd(`${prefix}set`, ['m']);
    const survivors = [`${run}:auth2:k`, `${run}:auth`, `${run}:AUTH:k`, `${run}:xauth:k`, `${run}:aut:k`];
    for (const k of survivors) await shared.set(k, 'keep');
    await (await db(0)).set(`${prefix}in-db-0`, 'keep');

    const removed = await clearRedisShare(URL, { db: SHARED_DB, prefix, ownDb: false });
    expect(removed).toBe(mine.length + 2);
    expect(await keysOf(SHARED_DB)).toEqual([...survivors].sort());
    expect(await (await db(0)).get(`${prefix}in-db-0`)).toBe('keep');
  });

  it('matches a prefix with glob characters literally', async () => {
    const shared = await db(SHARED_DB);
    const prefix = `${run}:a*[bc]?\\:`;
    await shared.set(`${prefix}k1`, 'v');
    await shared.set(`${prefix}k2`, 'v');
    // what the prefix would match as a glob
    const survivors = [`${run}:aZZb!\\:k`, `${run}:a*b?\\:k`, `${run}:a*[bc]x\\:k`, `${run}:a*[bc]?:k`];
    for (const k of survivors) await shared.set(k, 'keep');

    expect(await clearRedisShare(URL, { db: SHARED_DB, prefix, ownDb: false })).toBe(2);
    expect(await keysOf(SHARED_DB)).toEqual([...survivors].sort());
  });

  it('removes keys that are not valid UTF-8', async () => {
    const shared = await db(SHARED_DB);
    const prefix = `${run}:bin:`;
    await shared.set(Buffer.concat([Buffer.from(prefix), Buffer.from([0xff, 0xfe, 0x00, 0x80])]), 'v');
    await shared.set(`${prefix}text`, 'v');
    expect(await clearRedisShare(URL, { db: SHARED_DB, prefix, ownDb: false })).toBe(2);
    expect(await keysOf(SHARED_DB)).toEqual([]);
  });

  it('reports a malformed URL as one line', async () => {
    const err = await clearRedisShare('redis://:pw12345@127.0.0.1:notaport', { db: 1, prefix: 'a:', ownDb: false }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^redis at .*: \S/);
    expect((err as Error).message).not.toContain('pw12345');
  });

  it('returns 0 when there is nothing to clear', async () => {
    expect(await clearRedisShare(URL, { db: SHARED_DB, prefix: `${run}:nothing:`, ownDb: false })).toBe(0);
  });

  it('refuses an empty prefix in a shared db, and flushing db 0', async () => {
    await (await db(SHARED_DB)).set(`${run}:keep`, 'v');
    await expect(clearRedisShare(URL, { db: SHARED_DB, prefix: '', ownDb: false })).rejects.toThrow(/refusing to clear an empty key prefix/);
    await expect(clearRedisShare(URL, { db: 0, prefix: 'auth:', ownDb: true })).rejects.toThrow(/refusing to flush db 0/);
    expect(await keysOf(SHARED_DB)).toEqual([`${run}:keep`]);
  });

  it('reports an unreachable server in one line, password masked', async () => {
    const started = Date.now();
    const err = await clearRedisShare('redis://:s3cretpw@127.0.0.1:1', { db: 1, prefix: 'auth:', ownDb: false }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(/^redis at 127\.0\.0\.1:1: \S/);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('s3cretpw');
    expect(Date.now() - started).toBeLessThan(4_000);
    // localhost: both ::1 and 127.0.0.1 refuse, still one plain line
    const both = await clearRedisShare('redis://localhost:1', { db: 1, prefix: 'auth:', ownDb: false }).catch((e: Error) => e);
    expect((both as Error).message).toMatch(/^redis at localhost:1: \S[^\n]*ECONNREFUSED/);
  });

  it('gives up on a server that never answers after about 3 seconds', async () => {
    // accepts the connection, never says a word
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const err = await clearRedisShare(`redis://127.0.0.1:${port}`, { db: 1, prefix: 'auth:', ownDb: true }).catch((e: Error) => e);
      expect((err as Error).message).toMatch(new RegExp(`^redis at 127\\.0\\.0\\.1:${port}: \\S[^\\n]*$`));
      expect(Date.now() - started).toBeLessThan(7_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('reports a refused login without the password', async () => {
    const err = await clearRedisShare('redis://user:hunter2secret@127.0.0.1:6379', { db: 1, prefix: 'auth:', ownDb: false }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^redis at 127\.0\.0\.1:6379: /);
    expect((err as Error).message).not.toContain('hunter2secret');
    expect((err as Error).message).not.toContain('\n');
  });

  it('reports a bad db index as one line', async () => {
    const err = await clearRedisShare(URL, { db: 999, prefix: 'auth:', ownDb: true }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^redis at 127\.0\.0\.1:6379: .*DB index is out of range/);
  });
});
