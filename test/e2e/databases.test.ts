// A database per agent on the machine's real PostgreSQL, MariaDB and Redis servers, through the
// built treemux: cloned with the template's rows, isolated, and cleaned up by down.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithService } from '../helpers/services.js';
import { FAKE_AGENT, makeAppRepo, makeWorld, type World } from '../helpers/world.js';

const envOf = (w: World, agent: string, key: string): string => {
  const line = readFileSync(join(w.dir, `app-${agent}`, '.env'), 'utf8').split('\n').reverse().find((l) => l.startsWith(`${key}=`));
  return (line ?? '').slice(key.length + 1).replace(/^(['"])(.*)\1$/, '$2');
};
const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

describeWithService('postgres', 'PostgreSQL per agent', ({ url }) => {
  let w: World;
  const tpl = `tmx_${randomBytes(4).toString('hex')}_dev`;
  const admin = () => new pg.Client({ connectionString: url });
  const q = async (conn: string, sql: string) => {
    const c = new pg.Client({ connectionString: conn });
    await c.connect();
    try {
      return (await c.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  };
  const dbs = async () => (await q(url, `select datname from pg_database where datname like '${tpl}%' order by 1`)).map((r) => r.datname);

  beforeAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`create database "${tpl}"`);
    await c.end();
    await q(withDb(url, tpl), 'create table seed(x int); insert into seed values (42);');
    w = makeWorld();
    makeAppRepo(w);
    w.write(
      'treemux.yaml',
      `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\ndatabase: { kind: postgres, url: "${withDb(url, tpl)}" }\nenv: { file: .env, set: { DATABASE_URL: "{db.url}" } }\nagents:\n  - { name: auth, task: a }\n  - { name: pay-ments, task: b }\n`,
    );
  });
  afterAll(async () => {
    await w.tm(['down', '--force']);
    w.cleanup();
    for (const name of await dbs()) await q(url, `drop database if exists "${name}" with (force)`);
  });

  it('each agent gets its own clone of the template, isolated; down drops them', async () => {
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
    expect(await dbs()).toEqual([tpl, `${tpl}_auth`, `${tpl}_pay-ments`]);
    const ua = envOf(w, 'auth', 'DATABASE_URL');
    const up = envOf(w, 'pay-ments', 'DATABASE_URL');
    expect((await q(ua, 'select x from seed'))[0]!.x).toBe(42);
    await q(ua, 'insert into seed values (7)');
    expect((await q(up, 'select count(*)::int as n from seed'))[0]!.n).toBe(1);
    expect((await q(withDb(url, tpl), 'select count(*)::int as n from seed'))[0]!.n).toBe(1);
    const ls = JSON.parse((await w.tm(['ls', '--json'])).stdout) as { agents: { name: string; database: { kind: string; name: string } }[] };
    expect(ls.agents.map((a) => a.database)).toEqual([
      expect.objectContaining({ kind: 'postgres', name: `${tpl}_auth` }),
      expect.objectContaining({ kind: 'postgres', name: `${tpl}_pay-ments` }),
    ]);
    // an open connection of the agent does not stop down
    const held = new pg.Client({ connectionString: ua });
    await held.connect();
    held.on('error', () => undefined);
    const down = await w.tm(['down', '--force']);
    expect(down.code, down.stderr).toBe(0);
    expect(await dbs()).toEqual([tpl]);
    await held.end().catch(() => undefined);
  });
});

describeWithService('mysql', 'MariaDB per agent, with Redis cleanup', ({ url }) => {
  let w: World;
  const tpl = `tmx_${randomBytes(4).toString('hex')}_dev`;
  const run = async (sql: string) => {
    const c = await mysql.createConnection({ uri: url, multipleStatements: true });
    try {
      return (await c.query(sql))[0] as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  };
  const dbs = async () => (await run(`show databases like '${tpl}%'`)).map((r) => Object.values(r)[0]).sort();

  beforeAll(async () => {
    await run(`create database \`${tpl}\`; create table \`${tpl}\`.seed(x int); insert into \`${tpl}\`.seed values (42);`);
    w = makeWorld();
    makeAppRepo(w);
    w.write(
      'treemux.yaml',
      `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\ndatabase: { kind: mysql, url: "${url}/${tpl}" }\nredis: { url: "redis://127.0.0.1:6379", prefix: "{agent}:", db: auto }\nenv: { file: .env, set: { DATABASE_URL: "{db.url}", REDIS_DB: "{redis.db}" } }\nagents:\n  - { name: auth, task: a }\n  - { name: payments, task: b }\n`,
    );
  });
  afterAll(async () => {
    await w.tm(['down', '--force']);
    w.cleanup();
    for (const name of await dbs()) await run(`drop database if exists \`${String(name)}\``);
  });

  it('clones with data, isolates, and down drops the copies and clears the agent Redis db only', async () => {
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
    expect(await dbs()).toEqual([tpl, `${tpl}_auth`, `${tpl}_payments`].sort());
    expect((await run(`select x from \`${tpl}_auth\`.seed`))[0]!.x).toBe(42);
    await run(`insert into \`${tpl}_auth\`.seed values (7)`);
    expect((await run(`select count(*) as n from \`${tpl}_payments\`.seed`))[0]!.n).toBe(1);

    const rdb = Number(envOf(w, 'auth', 'REDIS_DB'));
    expect(rdb).toBeGreaterThan(0);
    const mainKey = `tmx-main-${randomBytes(4).toString('hex')}`;
    const redis = createClient({ url: 'redis://127.0.0.1:6379' });
    await redis.connect();
    try {
      await redis.select(rdb);
      await redis.set('agent-key', '1');
      await redis.select(0);
      await redis.set(mainKey, '1');
      const down = await w.tm(['down', '--force']);
      expect(down.code, down.stderr).toBe(0);
      expect(await dbs()).toEqual([tpl]);
      await redis.select(rdb);
      expect(await redis.exists('agent-key')).toBe(0);
      await redis.select(0);
      expect(await redis.exists(mainKey)).toBe(1);
    } finally {
      await redis.select(0);
      await redis.del(mainKey);
      await redis.quit();
    }
  });
});

describeWithService('redis', 'Redis shared index with prefixes', () => {
  let w: World;
  const tag = randomBytes(4).toString('hex');
  beforeAll(() => {
    w = makeWorld();
    makeAppRepo(w);
    w.write(
      'treemux.yaml',
      `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nredis: { url: "redis://127.0.0.1:6379", prefix: "tmx${tag}:{agent}:", db: 12 }\nenv: { file: .env, set: { PREFIX: "{redis.prefix}" } }\nagents:\n  - { name: auth, task: a }\n  - { name: pay, task: b }\n`,
    );
  });
  afterAll(() => w.cleanup());

  it('rm clears only the agent prefix on the shared index', async () => {
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    expect(envOf(w, 'auth', 'PREFIX')).toBe(`tmx${tag}:auth:`);
    const cli = (...args: string[]) => execFileSync('redis-cli', ['-n', '12', ...args], { encoding: 'utf8' }).trim();
    for (let i = 0; i < 700; i++) cli('set', `tmx${tag}:auth:k${i}`, '1');
    cli('set', `tmx${tag}:pay:k`, '1');
    cli('set', `tmx${tag}:authx:k`, '1');
    const r = await w.tm(['rm', 'auth']);
    expect(r.code, r.stderr).toBe(0);
    expect(cli('eval', `return #redis.call('keys', ARGV[1])`, '0', `tmx${tag}:auth:*`)).toBe('0');
    expect(cli('exists', `tmx${tag}:pay:k`)).toBe('1');
    expect(cli('exists', `tmx${tag}:authx:k`)).toBe('1');
    await w.tm(['down', '--force']);
    expect(cli('exists', `tmx${tag}:pay:k`)).toBe('0');
    cli('del', `tmx${tag}:authx:k`);
  });
});
