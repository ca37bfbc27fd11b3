// postgres: each agent gets `<template>_<agent>`, created WITH TEMPLATE (a server-side copy).
import type pg from 'pg';
import { DbError, maskedNote, reason } from './errors.js';
import { urlPassword } from './mask.js';
import { expandUrl, hostPort, splitUrl, withDatabase, withPasswordFrom } from './url.js';
import type { ConfigOf, DbAgent, DbInfo, DbProvider, Note } from './types.js';

const MAX_NAME_BYTES = 63;
const CONNECT_TIMEOUT_MS = 5_000;

export function pgIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The template (the url's database) and the agent's database name; refuses names postgres would cut. */
export function pgNames(url: string, agent: string): { template: string; name: string } {
  const parts = splitUrl(url);
  if (!parts || parts.database === '') {
    throw new DbError(`database.url must name the template database, e.g. postgresql://user@localhost:5432/shop_dev (got ${url})`);
  }
  const name = `${parts.database}_${agent}`;
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    throw new DbError(`postgres database name "${name}" is longer than ${MAX_NAME_BYTES} bytes: use a shorter agent name or template database name`);
  }
  return { template: parts.database, name };
}

export class PostgresProvider implements DbProvider {
  readonly kind = 'postgres' as const;

  constructor(private readonly config: ConfigOf<'postgres'>) {}

  /** Run `fn` on a connection to the server's admin database (`postgres`; `template1` when that is missing). */
  private async admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const where = `postgres at ${hostPort(url, 5432)}`;
    const secrets = [urlPassword(url) ?? ''];
    const template = splitUrl(url)?.database;
    const candidates = template === 'postgres' ? ['template1'] : ['postgres', 'template1'];
    let client: pg.Client | null = null;
    for (const db of candidates) {
      const { default: driver } = await import('pg'); // loaded only where a PostgreSQL database is used
      const c = new driver.Client({ connectionString: withDatabase(url, db), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      c.on('error', () => {}); // a dropped connection surfaces through the pending query instead
      try {
        await c.connect();
        client = c;
        break;
      } catch (err) {
        await c.end().catch(() => {});
        const last = db === candidates[candidates.length - 1];
        if ((err as { code?: string }).code === '3D000' && !last) continue;
        throw new DbError(`${where}: ${reason(err)}`, secrets);
      }
    }
    try {
      return await fn(client!);
    } catch (err) {
      if (err instanceof DbError) throw err;
      throw new DbError(`${where}: ${reason(err)}`, secrets);
    } finally {
      await client!.end().catch(() => {});
    }
  }

  private static async dbExists(c: pg.Client, name: string): Promise<boolean> {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return (r.rowCount ?? 0) > 0;
  }

  async create(agent: DbAgent, note: Note): Promise<DbInfo> {
    const url = expandUrl(this.config.url, agent.vars);
    const say = maskedNote(note, [urlPassword(url) ?? '']);
    const { template, name } = pgNames(url, agent.agent);
    const info: DbInfo = { kind: 'postgres', name, url: withDatabase(url, name) };
    await this.admin(url, async (c) => {
      if (await PostgresProvider.dbExists(c, name)) return;
      const createEmpty = async (why: string) => {
        await createIgnoringDuplicate(c, `CREATE DATABASE ${pgIdent(name)}`);
        say(`${why}: created empty database "${name}"`);
      };
      if (!(await PostgresProvider.dbExists(c, template))) {
        return createEmpty(`template database "${template}" does not exist`);
      }
      const others = async (clientsOnly: boolean) => {
        const r = await c.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()${clientsOnly ? " AND backend_type = 'client backend'" : ''}`,
          [template],
        );
        return Number(r.rows[0]?.n ?? 0);
      };
      // Sessions on the template make CREATE … TEMPLATE wait 5 s before failing: see them first.
      let n = await others(true);
      if (n === 0) {
        try {
          await createIgnoringDuplicate(c, `CREATE DATABASE ${pgIdent(name)} TEMPLATE ${pgIdent(template)}`);
          return;
        } catch (err) {
          if ((err as { code?: string }).code !== '55006') throw err;
          n = await others(false);
        }
      }
      const busy = `template database "${template}" is in use by ${n > 0 ? `${n} other connection${n === 1 ? '' : 's'}` : 'other connections'}`;
      if (this.config.allow_empty) return createEmpty(busy);
      throw new DbError(`${busy}, so "${name}" cannot be copied from it: close those connections, or set database.allow_empty: true to start it empty`);
    });
    return info;
  }

  /** The database to drop and the URL of its server: what create made, when known. */
  private target(agent: DbAgent, info: DbInfo | null): { url: string; name: string } {
    // the stored URL has no password (state.json keeps none): the layout's has it
    if (info?.kind === 'postgres' && info.name && splitUrl(info.url)) return { url: withPasswordFrom(info.url, expandUrl(this.config.url, agent.vars)), name: info.name };
    const url = expandUrl(this.config.url, agent.vars);
    return { url, name: pgNames(url, agent.agent).name };
  }

  async drop(agent: DbAgent, info: DbInfo | null): Promise<void> {
    const { url, name } = this.target(agent, info);
    const template = splitUrl(expandUrl(this.config.url, agent.vars))?.database;
    if (name === template || !name.endsWith(`_${agent.agent}`)) {
      throw new DbError(`refusing to drop postgres database "${name}": it is not agent ${agent.agent}'s database`);
    }
    await this.admin(url, async (c) => {
      const v = await c.query<{ server_version_num: string }>('SHOW server_version_num');
      if (Number(v.rows[0]?.server_version_num ?? 0) >= 130000) {
        await c.query(`DROP DATABASE IF EXISTS ${pgIdent(name)} WITH (FORCE)`);
        return;
      }
      await c.query('UPDATE pg_database SET datallowconn = false WHERE datname = $1', [name]).catch(() => {});
      await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await c.query(`DROP DATABASE IF EXISTS ${pgIdent(name)}`);
    });
  }

  async exists(agent: DbAgent, info: DbInfo | null): Promise<boolean> {
    const { url, name } = this.target(agent, info);
    return this.admin(url, (c) => PostgresProvider.dbExists(c, name));
  }
}

/** CREATE DATABASE; another treemux creating the same database at the same moment counts as success. */
async function createIgnoringDuplicate(c: pg.Client, sql: string): Promise<void> {
  try {
    await c.query(sql);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err;
  }
}
