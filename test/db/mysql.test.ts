import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbError, plannedName, providerFor, type DbInfo } from '../../src/db/index.js';
import { MysqlProvider } from '../../src/db/mysql.js';
import { withDatabase } from '../../src/db/url.js';
import { describeWithService } from '../helpers/services.js';
import { cleanupAgents, makeAgent, noteSink, uniqueName } from './agent.js';

async function withConn<T>(url: string, fn: (c: Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({ uri: url, connectTimeout: 5000 });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
async function all(url: string, sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
  return withConn(url, async (c) => (await c.query<RowDataPacket[]>(sql, params))[0]);
}

afterAll(cleanupAgents);

describe('mysql provider without a server', () => {
  it('an unreachable server is one DbError line, without the password', async () => {
    const p = providerFor({ kind: 'mysql', url: 'mysql://root:hunter2secret@127.0.0.1:3999/shop_dev' })!;
    const err = await p.create(makeAgent('auth'), () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbError);
    expect((err as Error).message).toBe('mysql at 127.0.0.1:3999: connection refused');
  });

  it('refuses names over 64 characters; plans <template>_<agent>', async () => {
    const p = providerFor({ kind: 'mysql', url: `mysql://root@127.0.0.1:3999/${'t'.repeat(60)}` })!;
    await expect(p.create(makeAgent('abcdef'), () => {})).rejects.toThrow(/longer than 64 characters/);
    expect(plannedName({ kind: 'mysql', url: 'mysql://root@h/shop_dev' }, { agent: 'auth', worktree: '/x' })).toBe('shop_dev_auth');
  });
});

describeWithService('mysql', 'mysql provider', ({ url: serverUrl }) => {
  const template = uniqueName();
  const templateUrl = withDatabase(serverUrl, template);
  const config = { kind: 'mysql', url: templateUrl } as const;
  const made = new Set<string>([template]);
  const track = (info: DbInfo) => (made.add(info.name), info);
  const schemaExists = async (name: string) =>
    (await all(serverUrl, 'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name])).length === 1;

  beforeAll(async () => {
    await withConn(serverUrl, async (c) => {
      await c.query(`CREATE DATABASE \`${template}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      await c.query(`USE \`${template}\``);
      await c.query('CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL)');
      await c.query(`CREATE TABLE orders (
        id INT AUTO_INCREMENT PRIMARY KEY,
        customer_id INT NOT NULL,
        qty INT NOT NULL,
        price DECIMAL(8,2) NOT NULL,
        total DECIMAL(10,2) AS (qty * price) STORED,
        label VARCHAR(80) AS (CONCAT('order #', id)) VIRTUAL,
        CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE)`);
      await c.query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')");
      await c.query("INSERT INTO customers (id, name) VALUES (0, 'zero'), (1, 'ann'), (2, 'bob')"); // an id 0 row
      await c.query('INSERT INTO orders (customer_id, qty, price) VALUES (1, 2, 5.50), (1, 1, 10), (2, 3, 1.25), (0, 1, 99)');
      // a view that uses another view whose name sorts after it: created in dependency order
      await c.query('CREATE VIEW z_totals AS SELECT customer_id, SUM(total) AS spent FROM orders GROUP BY customer_id');
      await c.query('CREATE VIEW a_big_spenders AS SELECT c.name, t.spent FROM customers c JOIN z_totals t ON t.customer_id = c.id WHERE t.spent > 15');
      await c.query('CREATE PROCEDURE count_orders(OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM orders; END');
      await c.query('CREATE FUNCTION double_it(x INT) RETURNS INT DETERMINISTIC RETURN x * 2');
      await c.query("CREATE TRIGGER upper_name BEFORE INSERT ON customers FOR EACH ROW SET NEW.name = UPPER(NEW.name)");
    });
  });
  afterAll(async () => {
    await withConn(serverUrl, async (c) => {
      for (const db of made) await c.query(`DROP DATABASE IF EXISTS \`${db}\``);
    });
  });

  it('clones tables with their rows, generated columns, views, routines and triggers', async () => {
    const agent = makeAgent('auth');
    const { notes, note } = noteSink();
    const info = track(await providerFor(config)!.create(agent, note));
    expect(notes).toEqual([]);
    expect(info).toEqual({ kind: 'mysql', name: `${template}_auth`, url: withDatabase(serverUrl, `${template}_auth`) });
    const db = info.url;
    expect((await all(db, 'SELECT id, name FROM customers ORDER BY id')).map((r) => [r.id, r.name])).toEqual([
      [0, 'zero'], [1, 'ann'], [2, 'bob'],
    ]);
    const orders = await all(db, 'SELECT id, total, label FROM orders ORDER BY id');
    expect(orders.map((r) => [r.total, r.label])).toEqual([
      ['11.00', 'order #1'], ['10.00', 'order #2'], ['3.75', 'order #3'], ['99.00', 'order #4'],
    ]);
    expect((await all(db, 'SELECT name, spent FROM a_big_spenders ORDER BY name')).map((r) => r.name)).toEqual(['ann', 'zero']);
    // the views read the clone, not the template
    const views = await all(serverUrl, 'SELECT VIEW_DEFINITION AS d FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?', [info.name]);
    expect(views).toHaveLength(2);
    for (const v of views) expect(String(v.d)).not.toContain(`\`${template}\`.`);
    const [called] = await withConn(db, async (c) => {
      await c.query('CALL count_orders(@n)');
      return (await c.query<RowDataPacket[]>('SELECT @n AS n, double_it(21) AS d'))[0];
    });
    expect(called).toMatchObject({ n: 4, d: 42 });
    await all(db, "INSERT INTO customers (name) VALUES ('carol')");
    expect((await all(db, 'SELECT name FROM customers ORDER BY id DESC LIMIT 1'))[0]!.name).toBe('CAROL');
    // foreign keys and the schema's collation come along
    const fks = await all(serverUrl, 'SELECT CONSTRAINT_NAME AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?', [info.name]);
    expect(fks.map((r) => r.n)).toEqual(['fk_customer']);
    const [schema] = await all(serverUrl, 'SELECT DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [info.name]);
    expect(schema!.co).toBe('utf8mb4_bin');
    // the auto-increment counter continues after the copied ids
    await all(db, 'INSERT INTO orders (customer_id, qty, price) VALUES (1, 1, 1)');
    expect((await all(db, 'SELECT MAX(id) AS m FROM orders'))[0]!.m).toBe(5);
  });

  it("keeps two agents' databases isolated, and reuses one on a second create", async () => {
    const p = providerFor(config)!;
    const one = track(await p.create(makeAgent('one'), () => {}));
    const two = track(await p.create(makeAgent('two'), () => {}));
    await all(one.url, 'DELETE FROM orders WHERE id = 1');
    const n = async (url: string) => (await all(url, 'SELECT COUNT(*) AS n FROM orders'))[0]!.n;
    expect(await n(one.url)).toBe(3);
    expect(await n(two.url)).toBe(4);
    expect(await n(templateUrl)).toBe(4);

    const { notes, note } = noteSink();
    expect(await p.create(makeAgent('one'), note)).toEqual(one);
    expect(await n(one.url)).toBe(3);
    expect(notes).toEqual([]);
  });

  it('drop removes the database; dropping again is fine', async () => {
    const agent = makeAgent('drop-me');
    const p = providerFor(config)!;
    const info = track(await p.create(agent, () => {}));
    expect(info.name).toBe(`${template}_drop-me`);
    expect(await p.exists(agent, info)).toBe(true);
    await p.drop(agent, info);
    expect(await schemaExists(info.name)).toBe(false);
    expect(await p.exists(agent, null)).toBe(false);
    await p.drop(agent, null);
  });

  it('a failure in the middle of the copy leaves no database behind', async () => {
    const agent = makeAgent('broken');
    const p = new MysqlProvider(config, {
      beforeTableData: (t) => {
        if (t === 'orders') throw new Error('disk full (simulated)');
      },
    });
    const err = await p.create(agent, () => {}).catch((e: unknown) => e);
    made.add(`${template}_broken`);
    expect(err).toBeInstanceOf(DbError);
    expect((err as Error).message).toMatch(/could not copy mysql database .* \(nothing was kept\): disk full \(simulated\)/);
    expect(await schemaExists(`${template}_broken`)).toBe(false);
  });

  it('as a user without SUPER: objects defined by root are recreated as that user; schema-qualified trigger text is retargeted', async () => {
    const user = uniqueName('tmxu');
    const tpl = uniqueName();
    made.add(tpl).add(`${tpl}_app`);
    await withConn(serverUrl, async (c) => {
      await c.query(`CREATE DATABASE ${tpl}`);
      await c.query(`CREATE TABLE ${tpl}.t (id INT PRIMARY KEY, note VARCHAR(20))`);
      await c.query(`INSERT INTO ${tpl}.t VALUES (1, 'one')`);
      await c.query(`CREATE VIEW ${tpl}.v AS SELECT id FROM ${tpl}.t`);
      await c.query(`CREATE TRIGGER ${tpl}.tr BEFORE INSERT ON ${tpl}.t FOR EACH ROW SET NEW.note = 'trig'`);
      await c.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'pw_${user}'`);
      await c.query(`GRANT ALL ON \`${tpl}\\_%\`.* TO '${user}'@'%'`);
      await c.query(`GRANT SELECT, SHOW VIEW, TRIGGER ON ${tpl}.* TO '${user}'@'%'`);
    });
    try {
      const url = withDatabase(serverUrl.replace('://root@', `://${user}:pw_${user}@`), tpl);
      const { notes, note } = noteSink();
      const info = track(await providerFor({ kind: 'mysql', url })!.create(makeAgent('app'), note));
      expect(notes).toEqual([]);
      expect((await all(info.url, 'SELECT id FROM v')).map((r) => r.id)).toEqual([1]);
      await all(info.url, "INSERT INTO t VALUES (2, 'x')");
      expect((await all(info.url, 'SELECT note FROM t WHERE id = 2'))[0]!.note).toBe('trig');
      const [trig] = await all(serverUrl, 'SELECT DEFINER AS d FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?', [info.name]);
      expect(String(trig!.d)).toMatch(new RegExp(`^${user}@`));
    } finally {
      await all(serverUrl, `DROP USER IF EXISTS '${user}'@'%'`);
    }
  });

  it('a missing template: an empty database and a note', async () => {
    const missing = uniqueName('tmx_missing');
    const { notes, note } = noteSink();
    const info = track(await providerFor({ kind: 'mysql', url: withDatabase(serverUrl, missing) })!.create(makeAgent('e'), note));
    expect(await schemaExists(info.name)).toBe(true);
    expect(notes).toEqual([`template database "${missing}" does not exist: created empty database "${missing}_e"`]);
  });
});
