// The server-side copy of a mysql / MariaDB template schema into an agent's new one: tables (with
// their foreign keys), rows, sequences, routines, views and triggers.
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { messageOf } from './errors.js';
import { myIdent, withoutDefiner } from './mysqlNames.js';
import type { Note } from './types.js';

/** Rows are copied as they are: no strict-mode rejections, explicit 0 ids kept. */
const COPY_SQL_MODE = 'NO_AUTO_VALUE_ON_ZERO';

/** Test seam: called before each table's rows are copied (a throw aborts the copy). */
export interface MysqlHooks {
  beforeTableData?(table: string): void | Promise<void>;
}

/** The rows of one query (its field list dropped). */
export async function rows(c: Connection, sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
  const [r] = await c.query<RowDataPacket[]>(sql, params);
  return r;
}

/** One server-side copy of a schema, on a session in the new schema with foreign key checks off. */
export class Cloner {
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
