// Test helper: real database servers. requireService() checks one is reachable (2 s); describeWithService()
// runs a suite against it, skipping it with a clear line when it is not reachable — except in CI
// (`CI` set), where a missing service FAILS the suite instead of silently skipping it.
import net from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, it } from 'vitest';

export type ServiceKind = 'postgres' | 'mysql' | 'redis';

export interface ServiceStatus {
  available: boolean;
  url: string;
  why?: string;
}

const TIMEOUT_MS = 2_000;

export function serviceUrl(kind: ServiceKind): string {
  switch (kind) {
    case 'postgres': return process.env.TREEMUX_TEST_PG_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
    case 'mysql': return process.env.TREEMUX_TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
    case 'redis': return process.env.TREEMUX_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
  }
}

function why(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: { code?: string }[] };
  return e?.code ?? e?.errors?.[0]?.code ?? String(e?.message ?? err).split('\n')[0] ?? 'error';
}

async function checkPostgres(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.query('SELECT 1');
  } finally {
    await c.end().catch(() => {});
  }
}

async function checkMysql(url: string): Promise<void> {
  const c = await mysql.createConnection({ uri: url, connectTimeout: TIMEOUT_MS });
  try {
    await c.query('SELECT 1');
  } finally {
    await c.end().catch(() => c.destroy());
  }
}

/** A raw RESP `PING` (after `AUTH` when the URL has a password): needs no redis package. */
function checkRedis(url: string): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || 6379);
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const pass = decodeURIComponent(u.password);
  const user = decodeURIComponent(u.username);
  const quote = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    let buf = '';
    const done = (err?: Error) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error('timed out')), TIMEOUT_MS);
    sock.on('connect', () => {
      const auth = pass ? `AUTH ${user ? `${quote(user)} ` : ''}${quote(pass)}\r\n` : '';
      sock.write(`${auth}PING\r\n`);
    });
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      if (buf.includes('+PONG')) done();
      else if (/^-/m.test(buf)) done(new Error(buf.split('\r\n').find((l) => l.startsWith('-'))!.slice(1)));
    });
    sock.on('error', (e) => done(e));
    sock.on('close', () => done(new Error(`closed before PONG${buf ? `: ${buf.trim()}` : ''}`)));
  });
}

/** One reachability check of `url` (no cache). */
export async function checkService(kind: ServiceKind, url: string): Promise<ServiceStatus> {
  const check = kind === 'postgres' ? checkPostgres : kind === 'mysql' ? checkMysql : checkRedis;
  try {
    await check(url);
    return { available: true, url };
  } catch (err) {
    return { available: false, url, why: why(err) };
  }
}

const cache = new Map<ServiceKind, Promise<ServiceStatus>>();

/** Is the test server of this kind (its URL from TREEMUX_TEST_*_URL) reachable? Checked once per test file. */
export function requireService(kind: ServiceKind): Promise<ServiceStatus> {
  let p = cache.get(kind);
  if (!p) {
    p = checkService(kind, serviceUrl(kind));
    cache.set(kind, p);
  }
  return p;
}

function masked(url: string): string {
  return url.replace(/(\/\/[^:/@]*):[^@/]*@/, '$1:***@');
}

/**
 * `describe(name, …)` against a real server: `fn` receives its URL. Not reachable: skipped with a
 * console line, or, in CI, a failing test that gives the reason.
 */
export function describeWithService(kind: ServiceKind, name: string, fn: (service: { url: string }) => void): void {
  describe(name, async () => {
    const s = await requireService(kind);
    if (s.available) {
      fn({ url: s.url });
      return;
    }
    const reason = `${kind} not reachable at ${masked(s.url)} (${s.why ?? 'unknown'})`;
    if (process.env.CI) {
      it(`requires ${kind}`, () => {
        throw new Error(`${name} cannot run in CI: ${reason}`);
      });
      return;
    }
    console.log(`skipped ${name}: ${reason}`);
    it.skip(`requires ${kind}: ${reason}`, () => {});
  });
}
