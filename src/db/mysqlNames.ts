// mysql / MariaDB names: the agent's database name, and identifiers and DEFINER clauses in SQL text.
import { DbError } from './errors.js';
import { splitUrl } from './url.js';

const MAX_NAME = 64;

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

/** Drop a `DEFINER=user@host` clause (creating objects for another user needs extra privileges). */
export function withoutDefiner(sql: string): string {
  return sql.replace(/\s+DEFINER\s*=\s*(?:`(?:[^`]|``)*`|'(?:[^'\\]|''|\\.)*'|[^\s@]+)@(?:`(?:[^`]|``)*`|'(?:[^'\\]|''|\\.)*'|\S+)/i, '');
}
