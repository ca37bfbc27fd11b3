// What runs in each window: argument arrays only. The task is the agent's last argument, so no
// shell ever reads it.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expand, type ResolvedAgent } from '../layout/index.js';
import type { Spawn } from '../tmux/index.js';
import type { Ctx } from './context.js';
import { stateDir } from './files.js';

/** The installed treemux launcher, by absolute path (a bare `treemux` may not be on PATH). */
export function treemuxArgv(): string[] {
  const here = dirname(fileURLToPath(import.meta.url)); // dist/agents
  return [process.execPath, resolve(here, '..', '..', 'bin', 'treemux.js')];
}

/** Placeholder values known for an agent before isolation (ports, database) is in place. */
export function agentVars(ctx: Ctx, spec: ResolvedAgent): Record<string, string> {
  return {
    project: ctx.layout.project,
    agent: spec.name,
    branch: spec.branch,
    base: spec.base,
    index: String(spec.index),
    worktree: spec.worktree,
  };
}

function baseEnv(ctx: Ctx): Record<string, string> {
  const env: Record<string, string> = { TREEMUX_PROJECT: ctx.layout.project, TREEMUX_STATE_DIR: stateDir(ctx.repo.commonDir) };
  if (process.env.PATH) env.PATH = process.env.PATH;
  if (ctx.tmux.socket) env.TREEMUX_SOCKET = ctx.tmux.socket;
  return env;
}

/** The agent's program with its task; `env` (its env file's variables) is set in its window too. */
export function agentSpawn(
  ctx: Ctx,
  spec: ResolvedAgent,
  vars: Record<string, string> = agentVars(ctx, spec),
  env: Record<string, string> = {},
  /** in place of the task (e.g. Claude's --resume ID) */
  resume?: string[],
): Spawn {
  const argv = [expand(spec.command, vars), ...spec.args.map((a) => expand(a, vars))];
  if (resume) argv.push(...resume);
  else if (spec.task.trim().length > 0) argv.push(spec.task);
  return {
    cwd: spec.worktree,
    command: argv,
    env: { ...baseEnv(ctx), ...env, ...scopeEnv(spec), TREEMUX_AGENT: spec.name, TREEMUX_WORKTREE: spec.worktree },
  };
}

/** The scope guard's rules, for the hooks Claude Code runs (only when the agent has any). */
function scopeEnv(spec: ResolvedAgent): Record<string, string> {
  if (spec.kind !== 'claude' || (spec.scope.length === 0 && spec.avoid.length === 0)) return {};
  return { TREEMUX_SCOPE: JSON.stringify({ scope: spec.scope, avoid: spec.avoid, mode: spec.scopeMode }) };
}

/** The sidebar pane of an agent window: `treemux sidebar`, knowing its agent from TREEMUX_AGENT. */
export function sidebarSpawn(ctx: Ctx, worktree: string, agent: string): Spawn {
  const argv = [...treemuxArgv(), 'sidebar'];
  if (ctx.layoutFile !== join(ctx.repo.root, 'treemux.yaml')) argv.push('--layout', ctx.layoutFile);
  return { cwd: worktree, command: argv, env: { ...baseEnv(ctx), TREEMUX_AGENT: agent } };
}

/** One of the layout's extra panes: a shell command by the layout's author, in the worktree. */
export function paneSpawn(ctx: Ctx, worktree: string, command: string, iso: { vars: Record<string, string>; env: Record<string, string> }): Spawn {
  return { cwd: worktree, command: ['sh', '-c', expand(command, iso.vars)], env: { ...baseEnv(ctx), ...iso.env } };
}

/** In place of an agent that could not start: shows why, and ends (so the agent counts as exited). */
export function failureSpawn(spec: ResolvedAgent, reason: string): Spawn {
  const script = 'process.stderr.write(`treemux: ${process.argv[1]}\\n`); process.exit(1);';
  return { cwd: spec.worktree, command: [process.execPath, '-e', script, reason] };
}

export function dashSpawn(ctx: Ctx): Spawn {
  const argv = [...treemuxArgv(), 'dash'];
  if (ctx.layoutFile !== join(ctx.repo.root, 'treemux.yaml')) argv.push('--layout', ctx.layoutFile);
  return { cwd: ctx.repo.root, command: argv, env: baseEnv(ctx) };
}

/** How the agent runs the tests: `merge.test` from the layout, else the package's npm test script. */
export async function testCommandOf(ctx: Ctx, worktree: string): Promise<string | null> {
  if (ctx.layout.layout.merge.test) return ctx.layout.layout.merge.test;
  try {
    const pkg = JSON.parse(await readFile(join(worktree, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    if (pkg.scripts?.test) return 'npm test';
  } catch {
    // no package.json: unknown
  }
  return null;
}
