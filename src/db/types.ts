// The shapes shared by every database provider.
import type { DatabaseConfig } from '../layout/index.js';

export interface DbAgent {
  project: string;
  agent: string;
  branch: string;
  base: string;
  index: number;
  /** absolute path of the agent's worktree (exists) */
  worktree: string;
  /** absolute path of the main checkout (where seeds and templates live) */
  mainRoot: string;
  /** placeholder values known before the database: project agent branch base index worktree port.NAME… */
  vars: Record<string, string>;
}

export interface DbInfo {
  kind: 'sqlite' | 'postgres' | 'mysql' | 'command';
  name: string;
  /** unmasked; callers mask it for display */
  url: string;
}

export type Note = (line: string) => void;

export interface DbProvider {
  readonly kind: DbInfo['kind'];
  /** Create (or, if it already exists, reuse) the agent's database. Idempotent. `note` receives one-line progress/warnings. */
  create(agent: DbAgent, note: Note): Promise<DbInfo>;
  /** Remove it. Idempotent (missing is fine). `info` is what create returned, when known. */
  drop(agent: DbAgent, info: DbInfo | null, opts?: { trashDir?: string }): Promise<void>;
  exists(agent: DbAgent, info: DbInfo | null): Promise<boolean>;
}

export type ConfigOf<K extends DatabaseConfig['kind']> = Extract<DatabaseConfig, { kind: K }>;
