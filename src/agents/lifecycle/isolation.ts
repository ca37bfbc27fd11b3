// Each agent's own environment: ports, database, Redis share, copied files and env file. Provisioned
// by `up` (every step registers its undo), released by `rm`/`down`.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { UserError } from '../../util/output.js';
import { writeFileIn } from '../../host/fs.js';
import { maskUrl, providerFor, type DbAgent, type DbInfo } from '../../db/index.js';
import { copyPaths, worktreeIncludePaths, type CopyResult } from '../../env/copy.js';
import { renderEnvFile } from '../../env/dotenv.js';
import { PortRegistry, registryDir } from '../../env/ports.js';
import { allocateRedisDb, clearRedisShare } from '../../env/redis.js';
import { expand, type ResolvedAgent } from '../../layout/index.js';
import type { AgentRecord } from '../../state/index.js';
import type { Ctx } from '../../project/context.js';
import type { AgentView, Inventory } from '../inventory.js';
import { agentVars } from './spawn.js';

type Undo = () => Promise<unknown>;

export interface Isolation {
  ports: Record<string, number>;
  database: DbInfo | null;
  redis: { prefix: string; db: number } | null;
  /** every placeholder value for this agent */
  vars: Record<string, string>;
  /** variables of its env file (`env.set` expanded, COMPOSE_PROJECT_NAME): also set in its window */
  env: Record<string, string>;
}

export function portRegistry(): PortRegistry {
  return new PortRegistry(registryDir());
}

function dbAgent(ctx: Ctx, spec: ResolvedAgent, vars: Record<string, string>): DbAgent {
  return {
    project: ctx.layout.project,
    agent: spec.name,
    branch: spec.branch,
    base: spec.base,
    index: spec.index,
    worktree: spec.worktree,
    mainRoot: ctx.repo.root,
    vars,
  };
}

function portVars(ports: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(ports).map(([name, port]) => [`port.${name}`, String(port)]));
}

/** Redis db indexes other agents of this project hold (from the state and what `up` assigns now). */
function redisDbsInUse(inv: Inventory, except: string): number[] {
  return Object.values(inv.state.agents)
    .filter((r) => r.name !== except && r.redis)
    .map((r) => r.redis!.db);
}

export async function provision(ctx: Ctx, inv: Inventory, agent: AgentView, undo: Undo[], fresh: Set<number>): Promise<Isolation> {
  const { layout } = ctx.layout;
  const spec = agent.spec;
  const record = agent.record;
  const copies = layout.copy.length > 0 ? layout.copy : ((await worktreeIncludePaths(ctx.repo.root)) ?? []);
  await refuseLinksOut(ctx, [
    ...(layout.database.kind === 'sqlite' && layout.database.seed ? [layout.database.seed] : []),
    ...(layout.env?.copy ? [layout.env.copy] : []),
    ...(record ? [] : copies),
  ]);

  // 1. ports: stable while the agent exists (the registry keeps its entries)
  let ports: Record<string, number> = {};
  if (Object.keys(layout.ports).length > 0) {
    const registry = portRegistry();
    const had = record?.ports && Object.keys(record.ports).length > 0;
    ports = await registry.allocate({
      project: ctx.repo.commonDir,
      projectName: ctx.layout.project,
      agent: spec.name,
      worktree: spec.worktree,
      ports: layout.ports,
    });
    if (!had) undo.push(() => registry.release(ctx.repo.commonDir, spec.name));
  }

  // 2. Redis share: a prefix, and a db index (auto: 1, 2, 3 … one per agent of the project)
  let redis: Isolation['redis'] = null;
  if (layout.redis) {
    const prefix = expand(layout.redis.prefix, agentVars(ctx, spec));
    let db: number;
    if (layout.redis.db !== 'auto') db = layout.redis.db;
    else if (record?.redis) db = record.redis.db;
    else {
      db = allocateRedisDb([...redisDbsInUse(inv, spec.name), ...fresh]);
      fresh.add(db);
    }
    redis = { prefix, db };
  }

  const vars: Record<string, string> = { ...agentVars(ctx, spec), ...portVars(ports) };
  if (redis) Object.assign(vars, { 'redis.prefix': redis.prefix, 'redis.db': String(redis.db) });

  // 3. database: created from the main one (or reused when it exists)
  let database: DbInfo | null = null;
  const provider = providerFor(layout.database);
  if (provider) {
    const target = dbAgent(ctx, spec, vars);
    const existed = await provider.exists(target, record?.database ?? null);
    database = await provider.create(target, (line) => ctx.out.info(`${spec.name}: ${maskUrl(line)}`));
    if (!existed) {
      const made = database;
      undo.push(() => provider.drop(target, made));
      ctx.out.info(`${spec.name}: database ${made.name} (${layout.database.kind})`);
    }
    Object.assign(vars, { 'db.url': database.url, 'db.name': database.name });
  }

  // 4. untracked files from the main checkout (only into a new worktree: never overwrite)
  if (copies.length > 0 && !record) {
    const results = await copyPaths(ctx.repo.root, spec.worktree, copies);
    const copied = results.filter((r) => !r.skipped);
    if (copied.length > 0) ctx.out.info(`${spec.name}: copied ${describeCopies(copied)}`);
  }

  // 5. env file: the main checkout's, with env.set on top
  const env: Record<string, string> = {};
  if (layout.env) {
    for (const [key, value] of Object.entries(layout.env.set)) env[key] = expand(value, vars);
    if (!('COMPOSE_PROJECT_NAME' in env)) env.COMPOSE_PROJECT_NAME = composeName(ctx.layout.project, spec.name);
    const from = layout.env.copy ? join(ctx.repo.root, layout.env.copy) : null;
    const source = from && existsSync(from) ? from : null;
    const base = source ? await readFile(source, 'utf8') : null;
    const target = join(spec.worktree, layout.env.file);
    // no more readable than its source; private when it holds a password
    const mode = envFileMode(source ? (await stat(source)).mode : null, Object.values(env));
    await writeFileIn(spec.worktree, target, renderEnvFile(base, env), { mode });
  }
  return { ports, database, redis, vars, env };
}

/**
 * Paths of the main checkout the layout brings into worktrees (a seed, env.copy, copy): refused when
 * the repository itself makes one of them, or a folder on its way, a link that leads out of the
 * checkout (a cloned repository could point `.env` at ~/.aws/credentials). A link the user made
 * there (untracked: a shared node_modules, say) is theirs, and followed.
 */
async function refuseLinksOut(ctx: Ctx, rels: readonly string[]): Promise<void> {
  const root = await realpath(ctx.repo.root);
  const outward = new Map<string, string>();
  for (const rel of rels) {
    const parts = rel.split(/[\\/]+/).filter((p) => p && p !== '.');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const real = await realpath(join(ctx.repo.root, prefix)).catch(() => null);
      if (!real) break;
      const r = relative(root, real);
      if (r.startsWith('..') || isAbsolute(r)) outward.set(prefix, real);
    }
  }
  if (outward.size === 0) return;
  const tracked = await ctx.repo.trackedLinks([...outward.keys()]);
  for (const [prefix, real] of outward) {
    if (tracked.has(prefix)) throw new UserError(`refusing to read ${prefix}: the repository makes it a link to ${real}, outside the checkout`);
  }
}

/**
 * The env file's permissions: its source's (never more open than 0644), and 0600 when a value it sets
 * holds a password (a database URL with one, say).
 */
export function envFileMode(sourceMode: number | null, values: readonly string[]): number {
  const fromSource = sourceMode === null ? 0o644 : sourceMode & 0o644;
  return values.some(hasPassword) ? fromSource & 0o600 : fromSource;
}

/** `scheme://user:password@host…` anywhere in the text. */
export function hasPassword(text: string): boolean {
  return /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i.test(text);
}

/** Docker Compose project names: lowercase letters, digits, dashes and underscores. */
export function composeName(project: string, agent: string): string {
  return `${project}-${agent}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
}

function describeCopies(results: CopyResult[]): string {
  return results.map((r) => `${r.path} (${r.method}, ${r.ms} ms)`).join(', ');
}

/** Whether the env file would show in `git status` of the worktree (then it is excluded, once). */
export async function envFileNeedsExclude(ctx: Ctx, worktree: string): Promise<string | null> {
  const file = ctx.layout.layout.env?.file;
  if (!file) return null;
  return (await ctx.repo.isIgnored(worktree, file)) ? null : file;
}

export interface Release {
  warnings: string[];
}

/** Give back what the agent held: database, Redis share, ports. Problems are warnings, not stops. */
export async function release(ctx: Ctx, agent: AgentView, opts: { trashDir?: string }): Promise<Release> {
  const { layout } = ctx.layout;
  const record: AgentRecord | undefined = agent.record;
  const warnings: string[] = [];
  const vars: Record<string, string> = { ...agentVars(ctx, agent.spec), ...portVars(record?.ports ?? {}) };

  const provider = providerFor(layout.database);
  if (provider && (record?.database || layout.database.kind !== 'command')) {
    try {
      await provider.drop(dbAgent(ctx, agent.spec, vars), record?.database ?? null, opts);
    } catch (err) {
      warnings.push(`could not drop its database: ${maskUrl(err instanceof Error ? err.message : String(err))}`);
    }
  }

  if (layout.redis?.url) {
    const share = record?.redis ?? (layout.redis.db !== 'auto' ? { prefix: expand(layout.redis.prefix, vars), db: layout.redis.db } : null);
    if (share) {
      try {
        await clearRedisShare(layout.redis.url, { ...share, ownDb: layout.redis.db === 'auto' });
      } catch (err) {
        warnings.push(`could not clear its Redis share: ${maskUrl(err instanceof Error ? err.message : String(err))}`);
      }
    }
  }

  if (Object.keys(layout.ports).length > 0 || record?.ports) {
    await portRegistry()
      .release(ctx.repo.commonDir, agent.name)
      .catch((err: unknown) => warnings.push(`could not release its ports: ${String(err)}`));
  }
  return { warnings };
}

/** The lines about an agent's environment in its instructions. */
export function environmentLines(iso: Isolation, envFile: string | null): string[] {
  const lines: string[] = [];
  for (const [name, port] of Object.entries(iso.ports)) {
    lines.push(`Port \`${name}\`: ${port} (http://localhost:${port}); use it, never another agent's`);
  }
  if (iso.database) {
    lines.push(`Database (${iso.database.kind}): \`${iso.database.name}\` at \`${maskUrl(iso.database.url)}\`; it is yours alone`);
  }
  if (iso.redis) lines.push(`Redis: key prefix \`${iso.redis.prefix}\`, db ${iso.redis.db}`);
  if (envFile) lines.push(`Env file: \`${envFile}\` (${Object.keys(iso.env).join(', ')})`);
  return lines;
}
