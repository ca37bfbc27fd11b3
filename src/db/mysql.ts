// mysql / MariaDB: each agent gets `<template>_<agent>`, its tables, rows, routines, views and
// triggers copied server-side from the template database (mysqlClone.ts). All or nothing for tables and rows.
import type { Connection } from 'mysql2/promise';
import { DbError, maskedNote, messageOf, reason } from './errors.js';
import { urlPassword } from './mask.js';
import { Cloner, rows, type MysqlHooks } from './mysqlClone.js';
import { myIdent, mysqlNames } from './mysqlNames.js';
import { expandUrl, hostPort, splitUrl, withDatabase, withPasswordFrom } from './url.js';
import type { ConfigOf, DbAgent, DbInfo, DbProvider, Note } from './types.js';

export { myIdent, mysqlNames } from './mysqlNames.js';
export type { MysqlHooks } from './mysqlClone.js';

const CONNECT_TIMEOUT_MS = 5_000;

export class MysqlProvider implements DbProvider {
  readonly kind = 'mysql' as const;

  constructor(
    private readonly config: ConfigOf<'mysql'>,
    private readonly hooks: MysqlHooks = {},
  ) {}

  private async session<T>(url: string, fn: (c: Connection) => Promise<T>): Promise<T> {
    const where = `mysql at ${hostPort(url, 3306)}`;
    const secrets = [urlPassword(url) ?? ''];
    let c: Connection;
    try {
      const { default: mysql } = await import('mysql2/promise'); // loaded only where a MySQL database is used
      c = await mysql.createConnection({ uri: withDatabase(url, ''), connectTimeout: CONNECT_TIMEOUT_MS, multipleStatements: false });
    } catch (err) {
      throw new DbError(`${where}: ${reason(err)}`, secrets);
    }
    c.on('error', () => {});
    try {
      return await fn(c);
    } catch (err) {
      if (err instanceof DbError) throw new DbError(err.message, secrets);
      throw new DbError(`${where}: ${reason(err)}`, secrets);
    } finally {
      await c.end().catch(() => c.destroy());
    }
  }

  private static async schemaExists(c: Connection, name: string): Promise<boolean> {
    return (await rows(c, 'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name])).length > 0;
  }

  async create(agent: DbAgent, note: Note): Promise<DbInfo> {
    const url = expandUrl(this.config.url, agent.vars);
    const say = maskedNote(note, [urlPassword(url) ?? '']);
    const { template, name } = mysqlNames(url, agent.agent);
    const info: DbInfo = { kind: 'mysql', name, url: withDatabase(url, name) };
    await this.session(url, async (c) => {
      if (await MysqlProvider.schemaExists(c, name)) return;
      const tpl = await rows(
        c,
        'SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
        [template],
      );
      if (tpl.length === 0) {
        await createSchema(c, name, '');
        say(`template database "${template}" does not exist: created empty database "${name}"`);
        return;
      }
      const { cs, co } = tpl[0] as { cs: string; co: string };
      const charset = /^\w+$/.test(cs) && /^\w+$/.test(co) ? ` CHARACTER SET ${cs} COLLATE ${co}` : '';
      if (!(await createSchema(c, name, charset))) return; // made meanwhile by another treemux
      try {
        await new Cloner(c, template, name, say, this.hooks).run();
      } catch (err) {
        await c.query(`DROP DATABASE IF EXISTS ${myIdent(name)}`).catch(() => {});
        const why = err instanceof DbError ? err.message : messageOf(err);
        throw new DbError(`could not copy mysql database "${template}" into "${name}" (nothing was kept): ${why}`);
      }
    });
    return info;
  }

  private target(agent: DbAgent, info: DbInfo | null): { url: string; name: string } {
    // the stored URL has no password (state.json keeps none): the layout's has it
    if (info?.kind === 'mysql' && info.name && splitUrl(info.url)) return { url: withPasswordFrom(info.url, expandUrl(this.config.url, agent.vars)), name: info.name };
    const url = expandUrl(this.config.url, agent.vars);
    return { url, name: mysqlNames(url, agent.agent).name };
  }

  async drop(agent: DbAgent, info: DbInfo | null): Promise<void> {
    const { url, name } = this.target(agent, info);
    if (name === splitUrl(expandUrl(this.config.url, agent.vars))?.database || !name.endsWith(`_${agent.agent}`)) {
      throw new DbError(`refusing to drop mysql database "${name}": it is not agent ${agent.agent}'s database`);
    }
    await this.session(url, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${myIdent(name)}`);
    });
  }

  async exists(agent: DbAgent, info: DbInfo | null): Promise<boolean> {
    const { url, name } = this.target(agent, info);
    return this.session(url, (c) => MysqlProvider.schemaExists(c, name));
  }
}

/** CREATE DATABASE; false when it already exists (created by someone else in the meantime). */
async function createSchema(c: Connection, name: string, charset: string): Promise<boolean> {
  try {
    await c.query(`CREATE DATABASE ${myIdent(name)}${charset}`);
    return true;
  } catch (err) {
    if ((err as { errno?: number }).errno === 1007) return false; // ER_DB_CREATE_EXISTS
    throw err;
  }
}
