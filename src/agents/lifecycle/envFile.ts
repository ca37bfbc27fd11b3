// An agent's env file: the main checkout's (env.copy), with env.set on top, written into its
// worktree no more readable than its source, and private when it holds a password.
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileIn } from '../../host/fs.js';
import { renderEnvFile } from '../../env/dotenv.js';
import { expand } from '../../layout/placeholders.js';
import { type ResolvedAgent } from '../../layout/resolve.js';
import type { Ctx } from '../../project/context.js';

/** Writes the env file (when the layout has one); returns the variables it sets (also set in the window). */
export async function writeEnvFile(ctx: Ctx, spec: ResolvedAgent, vars: Record<string, string>): Promise<Record<string, string>> {
  const conf = ctx.layout.layout.env;
  if (!conf) return {};
  const env = envValues(conf.set, vars, ctx.layout.project, spec.name);
  const from = conf.copy ? join(ctx.repo.root, conf.copy) : null;
  const source = from && existsSync(from) ? from : null;
  const base = source ? await readFile(source, 'utf8') : null;
  const target = join(spec.worktree, conf.file);
  // no more readable than its source; private when it holds a password
  const mode = envFileMode(source ? (await stat(source)).mode : null, Object.values(env));
  await writeFileIn(spec.worktree, target, renderEnvFile(base, env), { mode });
  return env;
}

/** `env.set` expanded, and COMPOSE_PROJECT_NAME unless it sets its own. */
export function envValues(set: Readonly<Record<string, string>>, vars: Record<string, string>, project: string, agent: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(set)) env[key] = expand(value, vars);
  if (!('COMPOSE_PROJECT_NAME' in env)) env.COMPOSE_PROJECT_NAME = composeName(project, agent);
  return env;
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

/** Whether the env file would show in `git status` of the worktree (then it is excluded, once). */
export async function envFileNeedsExclude(ctx: Ctx, worktree: string): Promise<string | null> {
  const file = ctx.layout.layout.env?.file;
  if (!file) return null;
  return (await ctx.repo.isIgnored(worktree, file)) ? null : file;
}
