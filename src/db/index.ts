// The database module: the only place treemux talks to databases. One provider per `database.kind`.
import type { DatabaseConfig } from '../layout/index.js';
import { CommandProvider } from './command.js';
import { MysqlProvider, mysqlNames } from './mysql.js';
import { PostgresProvider, pgNames } from './postgres.js';
import { SqliteProvider, sqliteTarget } from './sqlite.js';
import type { DbAgent, DbProvider } from './types.js';
import { expandUrl, withDatabase } from './url.js';

export { DbError } from './errors.js';
export { maskUrl } from './mask.js';
export { withoutPassword } from './url.js';
export type { DbAgent, DbInfo, DbProvider } from './types.js';

/** The provider for the layout's `database:` section; null for `kind: none`. */
export function providerFor(config: DatabaseConfig): DbProvider | null {
  switch (config.kind) {
    case 'none': return null;
    case 'sqlite': return new SqliteProvider(config);
    case 'postgres': return new PostgresProvider(config);
    case 'mysql': return new MysqlProvider(config);
    case 'command': return new CommandProvider(config);
  }
}

/** Who the planned name is for: `vars` (the agent's placeholder values) expands a sqlite `path` and names a command's database. */
export type PlanAgent = Pick<DbAgent, 'agent' | 'worktree'> & { vars?: Record<string, string> };

/** The url expanded as far as the known vars allow (a name needs only its database part). */
function urlForPlan(url: string, vars: Record<string, string> | undefined): string {
  try {
    return expandUrl(url, vars);
  } catch {
    return url;
  }
}

/** A planned name that still holds a placeholder is not known. */
function known(name: string): string | null {
  return /\{[A-Za-z_][A-Za-z0-9_.]*\}/.test(name) ? null : name;
}

/**
 * What `{db.name}` and `ls` show before (or without) creating the database. Throws no error: a
 * configuration the providers would refuse gives null.
 */
export function plannedName(config: DatabaseConfig, agent: PlanAgent): string | null {
  try {
    switch (config.kind) {
      case 'none': return null;
      case 'sqlite': return sqliteTarget(config, { worktree: agent.worktree, vars: { agent: agent.agent, worktree: agent.worktree, ...agent.vars } }).name;
      case 'postgres': return known(pgNames(urlForPlan(config.url, agent.vars), agent.agent).name);
      case 'mysql': return known(mysqlNames(urlForPlan(config.url, agent.vars), agent.agent).name);
      case 'command': return agent.vars?.project ? `${agent.vars.project}-${agent.agent}` : null;
    }
  } catch {
    return null;
  }
}

/** What `{db.url}` will be (unmasked), when it is known before creating: null for `none` and `command`. */
export function plannedUrl(config: DatabaseConfig, agent: PlanAgent): string | null {
  try {
    switch (config.kind) {
      case 'sqlite': return `file:${sqliteTarget(config, { worktree: agent.worktree, vars: { agent: agent.agent, worktree: agent.worktree, ...agent.vars } }).abs}`;
      case 'postgres': {
        const url = expandUrl(config.url, agent.vars);
        return withDatabase(url, pgNames(url, agent.agent).name);
      }
      case 'mysql': {
        const url = expandUrl(config.url, agent.vars);
        return withDatabase(url, mysqlNames(url, agent.agent).name);
      }
      default: return null;
    }
  } catch {
    return null;
  }
}
