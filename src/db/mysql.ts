// mysql / MariaDB: each agent gets `<template>_<agent>`, its tables, rows, routines, views and
// triggers copied server-side from the template database. All or nothing for tables and rows.
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { DbError, maskedNote, messageOf, reason } from './errors.js';
import { urlPassword } from './mask.js';
import { expandUrl, hostPort, splitUrl, withDatabase, withPasswordFrom } from './url.js';
import type { ConfigOf, DbAgent, DbInfo, DbProvider, Note } from './types.js';

const MAX_NAME = 64;
const CONNECT_TIMEOUT_MS = 5_000;
/** Rows are copied as they are: no strict-mode rejections, explicit 0 ids kept. */
const COPY_SQL_MODE = 'NO_AUTO_VALUE_ON_ZERO';

export function myIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function mysqlNames(url: string, agent: string): { template: string; name: string } {
  const parts = splitUrl(url);
  if (!parts || parts.database === '') {
    throw new DbError(`database.url must name the template database, e.g. mysql://root@localhost:3306/shop_dev (got ${url})`);
  }
  const name = `${parts.database}_${agent}`;
  if ([...name].length > MAX_NAME) {
    throw new DbError(`mysql database name "${name}" is longer than ${MAX_NAME} characters: use a shorter agent name or template database name`);
  }
  return { template: parts.database, name };
}

/** Test seam: called before each table's rows are copied (a throw aborts the copy). */
export interface MysqlHooks {
  beforeTableData?(table: string): void | Promise<void>;
}

async function rows(c: Connection, sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
  const [r] = await c.query<RowDataPacket[]>(sql, params);
  return r;
}

/** Drop a `DEFINER=user@host` clause (creating objects for another user needs extra privileges). */
function withoutDefiner(sql: string): string {
  return sql.replace(/\s+DEFINER\s*=\s*(?:`(?:[^`]|``)*`|'(?:[^'\\]|''|\\.)*'|[^\s@]+)@(?:`(?:[^`]|``)*`|'(?:[^'\\]|''|\\.)*'|\S+)/i, '');
}

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

/** One server-side copy of a schema, on a session in the new schema with foreign key checks off. */
class Cloner {
  constructor(
    private readonly c: Connection,
    private readonly from: string,
    private readonly to: string,
    private readonly say: Note,
    private readonly hooks: MysqlHooks,
  ) {}

  /** Statements read from the template refer to it by name here and there: point them at the copy. */
  private retarget(sql: string): string {
    let out = sql.split(`${myIdent(this.from)}.`).join(`${myIdent(this.to)}.`);
    if (/^[A-Za-z0-9_$]+$/.test(this.from)) {
      // `shop_dev.orders` as the user typed it (trigger and routine bodies keep their original text)
      out = out.replace(new RegExp(`(?<![\\w$.\`])${this.from.replace(/\$/g, '\\$')}\\.(?=[\\w$\`])`, 'g'), `${myIdent(this.to)}.`);
    }
    return out;
  }

  /** Run a CREATE as it was written; when the DEFINER clause is refused, as the current user. */
  private async exec(sql: string, sqlMode?: string): Promise<void> {
    if (sqlMode !== undefined) await this.c.query('SET SESSION sql_mode = ?', [sqlMode]);
    try {
      await this.c.query(sql);
    } catch (err) {
      const stripped = withoutDefiner(sql);
      if (stripped === sql) throw err;
      await this.c.query(stripped);
    } finally {
      if (sqlMode !== undefined) await this.c.query('SET SESSION sql_mode = ?', [COPY_SQL_MODE]);
    }
  }

  async run(): Promise<void> {
    const { c, from } = this;
    await c.query(`SET SESSION FOREIGN_KEY_CHECKS = 0, UNIQUE_CHECKS = 0, sql_mode = ?`, [COPY_SQL_MODE]);
    await c.query(`USE ${myIdent(this.to)}`);
    const tables = await rows(
      c,
      'SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
      [from],
    );
    const plain = tables.filter((t) => t.type === 'BASE TABLE' || t.type === 'SYSTEM VERSIONED').map((t) => String(t.name));
    const sequences = tables.filter((t) => t.type === 'SEQUENCE').map((t) => String(t.name));
    const views = tables.filter((t) => t.type === 'VIEW').map((t) => String(t.name));
    for (const t of plain) await this.table(t);
    for (const t of plain) await this.data(t);
    for (const s of sequences) await this.bestEffort(`sequence ${s}`, () => this.sequence(s));
    await this.routines();
    await this.views(views);
    await this.triggers();
  }

  private async table(t: string): Promise<void> {
    const src = `${myIdent(this.from)}.${myIdent(t)}`;
    const [row] = await rows(this.c, `SHOW CREATE TABLE ${src}`);
    const ddl = row?.['Create Table'] as string | undefined;
    try {
      if (!ddl) throw new Error('no definition');
      await this.c.query(this.retarget(ddl)); // keeps foreign keys, unlike CREATE TABLE … LIKE
    } catch (err) {
      await this.c.query(`CREATE TABLE ${myIdent(this.to)}.${myIdent(t)} LIKE ${src}`);
      this.say(`mysql: table ${t} copied without its foreign keys (${messageOf(err)})`);
    }
  }

  private async data(t: string): Promise<void> {
    await this.hooks.beforeTableData?.(t);
    const cols = await rows(
      this.c,
      'SELECT COLUMN_NAME AS name, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [this.from, t],
    );
    const names = cols
      .filter((col) => !/\b(VIRTUAL|STORED|PERSISTENT)\b/i.test(String(col.extra ?? '')))
      .map((col) => myIdent(String(col.name)))
      .join(', ');
    if (names === '') return;
    await this.c.query(
      `INSERT INTO ${myIdent(this.to)}.${myIdent(t)} (${names}) SELECT ${names} FROM ${myIdent(this.from)}.${myIdent(t)}`,
    );
  }

  private async sequence(s: string): Promise<void> {
    const [row] = await rows(this.c, `SHOW CREATE TABLE ${myIdent(this.from)}.${myIdent(s)}`);
    await this.c.query(this.retarget(String(row?.['Create Table'])));
    await this.c.query(`INSERT INTO ${myIdent(this.to)}.${myIdent(s)} SELECT * FROM ${myIdent(this.from)}.${myIdent(s)}`);
  }

  private async bestEffort(what: string, fn: () => Promise<void>): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (err) {
      this.say(`mysql: could not copy ${what} into ${this.to}: ${messageOf(err)}`);
      return false;
    }
  }

  private async routines(): Promise<void> {
    const list = await rows(
      this.c,
      'SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_TYPE DESC, ROUTINE_NAME',
      [this.from],
    );
    for (const r of list) {
      const type = String(r.type) === 'FUNCTION' ? 'FUNCTION' : 'PROCEDURE';
      const name = String(r.name);
      await this.bestEffort(`${type.toLowerCase()} ${name}`, async () => {
        const [row] = await rows(this.c, `SHOW CREATE ${type} ${myIdent(this.from)}.${myIdent(name)}`);
        const ddl = row?.[type === 'FUNCTION' ? 'Create Function' : 'Create Procedure'] as string | null | undefined;
        if (!ddl) throw new Error('its definition is not readable (missing privilege?)');
        await this.exec(this.retarget(ddl), String(row?.sql_mode ?? ''));
      });
    }
  }

  /** Views may use each other: retry the failed ones until a round makes no progress. */
  private async views(names: string[]): Promise<void> {
    const ddl = new Map<string, string>();
    for (const v of names) {
      const [row] = await rows(this.c, `SHOW CREATE VIEW ${myIdent(this.from)}.${myIdent(v)}`);
      ddl.set(v, this.retarget(String(row?.['Create View'])));
    }
    let pending = [...names];
    const errors = new Map<string, string>();
    while (pending.length > 0) {
      const failed: string[] = [];
      for (const v of pending) {
        try {
          await this.exec(ddl.get(v)!);
        } catch (err) {
          failed.push(v);
          errors.set(v, messageOf(err));
        }
      }
      if (failed.length === pending.length) break;
      pending = failed;
    }
    for (const v of pending) this.say(`mysql: could not copy view ${v} into ${this.to}: ${errors.get(v)}`);
  }

  /** Rebuilt from information_schema (the original statement may name the template's schema). */
  private async triggers(): Promise<void> {
    const list = await rows(
      this.c,
      `SELECT TRIGGER_NAME AS name, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event, EVENT_OBJECT_TABLE AS tbl,
              ACTION_STATEMENT AS body, SQL_MODE AS mode, DEFINER AS definer
       FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
       ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`,
      [this.from],
    );
    for (const t of list) {
      const name = String(t.name);
      await this.bestEffort(`trigger ${name}`, async () => {
        const timing = String(t.timing);
        const event = String(t.event);
        if (!/^(BEFORE|AFTER)$/.test(timing) || !/^(INSERT|UPDATE|DELETE)$/.test(event)) throw new Error(`unexpected ${timing} ${event}`);
        const definer = String(t.definer ?? '');
        const at = definer.lastIndexOf('@');
        const who = at > 0 ? ` DEFINER=${myIdent(definer.slice(0, at))}@${myIdent(definer.slice(at + 1))}` : '';
        const ddl = `CREATE${who} TRIGGER ${myIdent(name)} ${timing} ${event} ON ${myIdent(String(t.tbl))} FOR EACH ROW ${this.retarget(String(t.body))}`;
        await this.exec(ddl, String(t.mode ?? ''));
      });
    }
  }
}
