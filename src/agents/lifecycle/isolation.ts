// Each agent's own environment: ports, database, Redis share, copied files and env file. Provisioned
// by `up` (every step registers its undo), released by `rm`/`down`.
import { join } from 'node:path';
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { UserError } from '../../util/output.js';
import { maskUrl, providerFor, type DbAgent, type DbInfo } from '../../db/index.js';
import { copyPaths, worktreeIncludePaths, type CopyResult } from '../../env/copy.js';
import { PortRegistry, registryDir } from '../../env/ports.js';
import { allocateRedisDb, clearRedisShare } from '../../env/redis.js';
import { expand } from '../../layout/placeholders.js';
import { type ResolvedAgent } from '../../layout/resolve.js';
import type { AgentRecord } from '../../state/index.js';
import type { Ctx } from '../../project/context.js';
import type { AgentView, Inventory } from '../inventory.js';
import { agentVars } from './spawn.js';
import { writeEnvFile } from './envFile.js';

export { composeName, envFileMode, envFileNeedsExclude, hasPassword } from './envFile.js';

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

/**
 * Make (or find again) the agent's environment, in this order: ports, Redis share, database, copied
 * files, env file. Each thing made registers its undo; progress lines go to `say`.
 */
export async function provision(ctx: Ctx, inv: Inventory, agent: AgentView, undo: Undo[], fresh: Set<number>, say: (line: string) => void): Promise<Isolation> {
  const copies = await copiesFor(ctx, agent.record);
  const ports = await allocatePorts(ctx, agent, undo);
  const redis = redisShare(ctx, inv, agent, fresh);
  const vars: Record<string, string> = { ...agentVars(ctx, agent.spec), ...portVars(ports) };
  if (redis) Object.assign(vars, { 'redis.prefix': redis.prefix, 'redis.db': String(redis.db) });
  const database = await createDatabase(ctx, agent, vars, undo, say);
  if (database) Object.assign(vars, { 'db.url': database.url, 'db.name': database.name });
  // untracked files from the main checkout (only into a new worktree: never overwrite)
  if (copies.length > 0 && !agent.record) await copyUntracked(ctx, agent.spec, copies, say);
  const env = await writeEnvFile(ctx, agent.spec, vars);
  return { ports, database, redis, vars, env };
}

/** What comes from the main checkout (layout.copy, else .worktreeinclude), once no path of it leads out. */
async function copiesFor(ctx: Ctx, record: AgentRecord | undefined): Promise<string[]> {
  const { layout } = ctx.layout;
  const copies = layout.copy.length > 0 ? layout.copy : ((await worktreeIncludePaths(ctx.repo.root)) ?? []);
  await refuseLinksOut(ctx, [
    ...(layout.database.kind === 'sqlite' && layout.database.seed ? [layout.database.seed] : []),
    ...(layout.env?.copy ? [layout.env.copy] : []),
    ...(record ? [] : copies),
  ]);
  return copies;
}

/** Ports: stable while the agent exists (the registry keeps its entries). */
async function allocatePorts(ctx: Ctx, agent: AgentView, undo: Undo[]): Promise<Record<string, number>> {
  const { layout } = ctx.layout;
  if (Object.keys(layout.ports).length === 0) return {};
  const registry = portRegistry();
  const had = agent.record?.ports && Object.keys(agent.record.ports).length > 0;
  const ports = await registry.allocate({
    project: ctx.repo.commonDir,
    projectName: ctx.layout.project,
    agent: agent.spec.name,
    worktree: agent.spec.worktree,
    ports: layout.ports,
  });
  if (!had) undo.push(() => registry.release(ctx.repo.commonDir, agent.spec.name));
  return ports;
}

/** Redis share: a prefix, and a db index (auto: 1, 2, 3 … one per agent of the project; one handed out now goes into `fresh`). */
function redisShare(ctx: Ctx, inv: Inventory, agent: AgentView, fresh: Set<number>): Isolation['redis'] {
  const conf = ctx.layout.layout.redis;
  if (!conf) return null;
  const prefix = expand(conf.prefix, agentVars(ctx, agent.spec));
  if (conf.db !== 'auto') return { prefix, db: conf.db };
  if (agent.record?.redis) return { prefix, db: agent.record.redis.db };
  const db = allocateRedisDb([...redisDbsInUse(inv, agent.spec.name), ...fresh]);
  fresh.add(db);
  return { prefix, db };
}

/** The agent's database: created from the main one, or reused when it exists (then not undone). */
async function createDatabase(ctx: Ctx, agent: AgentView, vars: Record<string, string>, undo: Undo[], say: (line: string) => void): Promise<DbInfo | null> {
  const { layout } = ctx.layout;
  const provider = providerFor(layout.database);
  if (!provider) return null;
  const name = agent.spec.name;
  const target = dbAgent(ctx, agent.spec, vars);
  const existed = await provider.exists(target, agent.record?.database ?? null);
  const database = await provider.create(target, (line) => say(`${name}: ${maskUrl(line)}`));
  if (!existed) {
    undo.push(() => provider.drop(target, database));
    say(`${name}: database ${database.name} (${layout.database.kind})`);
  }
  return database;
}

async function copyUntracked(ctx: Ctx, spec: ResolvedAgent, copies: string[], say: (line: string) => void): Promise<void> {
  const results = await copyPaths(ctx.repo.root, spec.worktree, copies);
  const copied = results.filter((r) => !r.skipped);
  if (copied.length > 0) say(`${spec.name}: copied ${describeCopies(copied)}`);
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
      const real = await realpath(join(ctx.repo.root, prefix)).catch(() => null); // not there: nothing to read, nothing beyond it
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




function describeCopies(results: CopyResult[]): string {
  return results.map((r) => `${r.path} (${r.method}, ${r.ms} ms)`).join(', ');
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
