// The layout file, version 1, as a zod schema: every key of PRODUCT.md, including those that later
// features act on (they parse and are typed now). Objects are strict: unknown keys are errors.
import { KIND_NAMES } from '../agents/kinds/names.js';
import { z } from 'zod';

export { AGENT_NAME_RE, PROJECT_NAME_RE, PORT_NAME_RE } from './names.js';
import { AGENT_NAME_RE, PROJECT_NAME_RE, PORT_NAME_RE } from './names.js';

/** An agent's name becomes a window, a branch, a folder and part of a database name: short enough for each. */
export const AGENT_NAME_MAX = 40;
const agentName = z
  .string()
  .regex(AGENT_NAME_RE, { error: 'must match [a-z0-9][a-z0-9-]*' })
  .max(AGENT_NAME_MAX, { error: `must be at most ${AGENT_NAME_MAX} characters (it names a window, a branch, a folder and a database)` });
const nonEmpty = z.string().min(1, { error: 'must not be empty' });
const stringList = z.array(z.string()).default([]);
const agentNameList = z.array(agentName).default([]);

export const agentKind = z.enum(KIND_NAMES);
export const agentMode = z.enum(['interactive', 'headless']);
export const agentRole = z.enum(['worker', 'operator']);
export const scopeMode = z.enum(['warn', 'deny']);

/** A host's name: `agent.host` refers to it; `local` is this machine. */
export const HOST_NAME_RE = /^[a-z0-9][a-z0-9-]*$/;
const hostRef = z.string().regex(HOST_NAME_RE, { error: 'must be local or a name under hosts: ([a-z0-9][a-z0-9-]*)' });
// eslint-disable-next-line no-control-regex
const noControl = /^[^\x00-\x1f\x7f]*$/;
/** `hosts.NAME`: how ssh reaches it, and where this repository's clone is there. */
export const hostSchema = z.strictObject({
  ssh: nonEmpty
    .refine((d) => !d.startsWith('-'), { error: 'must not start with "-" (it would be an ssh option)' })
    .refine((d) => !/\s/.test(d) && noControl.test(d), { error: 'must be one ssh destination (user@host or a Host of ~/.ssh/config), no spaces' }),
  repo: nonEmpty.refine((p) => noControl.test(p) && (p.startsWith('/') || p === '~' || p.startsWith('~/')), {
    error: 'must be an absolute path there, or one under ~ (e.g. ~/src/shop; a lone ~ is written "~")',
  }),
});

/** `agent:` — defaults for every agent; each agent may override each key. */
export const agentDefaultsSchema = z.strictObject({
  command: nonEmpty.default('claude'),
  args: z.array(z.string()).default([]),
  kind: agentKind.optional(), // inferred from the command's file name when absent
  mode: agentMode.default('interactive'),
  host: hostRef.optional(), // where agents run by default (local)
});

export const agentSchema = z.strictObject({
  name: agentName,
  task: z.string().default(''),
  command: nonEmpty.optional(),
  args: z.array(z.string()).optional(),
  kind: agentKind.optional(),
  mode: agentMode.optional(),
  base: nonEmpty.optional(), // this agent's base branch (default: the layout's base)
  scope: stringList, // globs this agent may change
  avoid: stringList, // globs it must not touch
  done: stringList, // acceptance criteria
  depends_on: agentNameList, // merge order
  start_after: agentNameList, // start only once these are merged into base
  role: agentRole.default('worker'),
  scope_mode: scopeMode.optional(),
  host: hostRef.optional(), // local (the default) or a name under hosts:
});

const portNumber = z.number().int().min(1, { error: 'must be a port number 1-65535' }).max(65535, {
  error: 'must be a port number 1-65535',
});

const dbNone = z.strictObject({ kind: z.literal('none') });
const dbSqlite = z.strictObject({
  kind: z.literal('sqlite'),
  path: nonEmpty.default('db/dev.sqlite'),
  seed: nonEmpty.optional(),
});
/** A database server's URL: this scheme, a host, and the name of the development database (the template). */
const serverUrl = (kind: string, schemes: readonly string[], example: string) =>
  nonEmpty.refine((url) => /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*\/[^/?#]+/i.test(url.trim()) || /^[a-z][a-z0-9+.-]*:\/\/.*\{/i.test(url), {
    error: `must be a URL naming the development database, e.g. ${example}`,
  }).refine((url) => schemes.some((s) => url.trim().toLowerCase().startsWith(`${s}://`)), {
    error: `is not a ${kind} URL: it must start with ${schemes.map((s) => `${s}://`).join(' or ')}`,
  });

const dbPostgres = z.strictObject({
  kind: z.literal('postgres'),
  url: serverUrl('PostgreSQL', ['postgresql', 'postgres'], 'postgresql://user@localhost:5432/shop_dev'),
  /** when the template database is busy: fall back to an empty database instead of failing */
  allow_empty: z.boolean().default(false),
});
const dbMysql = z.strictObject({ kind: z.literal('mysql'), url: serverUrl('MySQL/MariaDB', ['mysql'], 'mysql://root@localhost:3306/shop_dev') });
const commandLine = z.union([nonEmpty, z.array(z.string()).min(1)]);
const dbCommand = z.strictObject({
  kind: z.literal('command'),
  create: commandLine,
  drop: commandLine.optional(),
});

export const databaseSchema = z.preprocess(
  // `database:` given without `kind` means the embedded default, sqlite
  (v) => (v && typeof v === 'object' && !Array.isArray(v) && !('kind' in v) ? { kind: 'sqlite', ...v } : v),
  z.discriminatedUnion('kind', [dbNone, dbSqlite, dbPostgres, dbMysql, dbCommand]),
);

export const redisSchema = z.strictObject({
  prefix: z.string().default('{agent}:'),
  db: z.union([z.literal('auto'), z.number().int().min(0).max(15)]).default('auto'),
  url: nonEmpty.optional(),
});

const envValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
export const envSchema = z.strictObject({
  file: nonEmpty.default('.env'),
  copy: nonEmpty.optional(),
  set: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' }), envValue).default({}),
});

export const paneSchema = z.strictObject({ name: nonEmpty, command: nonEmpty });

export { SIDEBAR_WIDTH } from './names.js';
import { SIDEBAR_WIDTH } from './names.js';
/** `sidebar: true`, or `{ width: N }` to choose its width (it keeps it when a larger client attaches). */
export const sidebarSchema = z.union(
  [
    z.boolean(),
    z.strictObject({ width: z.number().int().min(12).max(200).default(SIDEBAR_WIDTH) }),
  ],
  { error: 'must be true, false or { width: N }' },
);

export { sidebarWidth } from './names.js';
export const mergeSchema = z.strictObject({ test: nonEmpty.optional() });

export const layoutSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1 (the only layout version treemux knows)' }),
  project: z.string().regex(PROJECT_NAME_RE, { error: 'must match [A-Za-z0-9][A-Za-z0-9_-]*' }).optional(),
  base: nonEmpty.optional(),
  worktree: nonEmpty.default('../{project}-{agent}'),
  branch: nonEmpty.default('feature/{agent}'),
  agent: agentDefaultsSchema.default({ command: 'claude', args: [], mode: 'interactive' }),
  max_parallel: z.number().int().min(0).default(0),
  ports: z.record(z.string().regex(PORT_NAME_RE, { error: 'must be a port name [A-Za-z_][A-Za-z0-9_]*' }), portNumber).default({}),
  database: databaseSchema.default({ kind: 'none' }),
  redis: redisSchema.optional(),
  env: envSchema.optional(),
  copy: z.array(nonEmpty).default([]),
  setup: z.array(nonEmpty).default([]),
  panes: z.array(paneSchema).default([]),
  sidebar: sidebarSchema.default(false),
  merge: mergeSchema.default({}),
  scope_mode: scopeMode.default('deny'),
  hosts: z.record(z.string().regex(HOST_NAME_RE, { error: 'must be a host name [a-z0-9][a-z0-9-]*' }), hostSchema).default({}),
  agents: z.array(agentSchema).default([]),
});

/** The layout as written, with defaults filled in (project/base still optional: they depend on the repo). */
export type Layout = z.output<typeof layoutSchema>;
export type LayoutAgent = z.output<typeof agentSchema>;
export type DatabaseConfig = z.output<typeof databaseSchema>;
export type AgentKind = z.output<typeof agentKind>;
export type AgentMode = z.output<typeof agentMode>;
export type HostConfig = z.output<typeof hostSchema>;
