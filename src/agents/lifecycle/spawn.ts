// What runs in each window: argument arrays only. The task is the agent's last argument, so no
// shell ever reads it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { treemuxArgv } from '../../util/invocation.js';
import { expand } from '../../layout/placeholders.js';
import { type ResolvedAgent } from '../../layout/resolve.js';
import type { Spawn } from '../../tmux/index.js';
import { shellQuote } from '../../util/shell.js';
import type { Ctx } from '../../project/context.js';
import { stateDir } from '../../project/paths.js';
import { kindOf, type KindName } from '../kinds/index.js';
import { agentEnv } from '../../project/env.js';

export { treemuxArgv };

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
  const env = agentEnv({ project: ctx.layout.project, stateDir: stateDir(ctx.repo.commonDir), socket: ctx.tmux.socket });
  if (process.env.PATH) env.PATH = process.env.PATH;
  return env;
}

/** The agent's program with its task; `env` (its env file's variables) is set in its window too. */
export function agentSpawn(
  ctx: Ctx,
  spec: ResolvedAgent,
  vars: Record<string, string> = agentVars(ctx, spec),
  env: Record<string, string> = {},
  /** the conversation to continue in place of starting with the task (a session id the kind checked) */
  resume?: string,
): Spawn {
  const kind = kindOf(spec.kind);
  const argv = kind.interactiveArgv(expand(spec.command, vars), spec.args.map((a) => expand(a, vars)), spec.task, resume, hookArgv(spec.kind));
  return {
    cwd: spec.worktree,
    command: argv,
    env: { ...baseEnv(ctx), ...env, ...kindOf(spec.kind).windowEnv(spec), ...agentEnv({ agent: spec.name, worktree: spec.worktree }) },
  };
}

/**
 * A headless agent's window: the runner (`treemux run`) around the agent's program, started the
 * kind's way (Claude Code: print mode, the prompt after `--`; `resume` continues a conversation).
 */
export function headlessSpawn(
  ctx: Ctx,
  spec: ResolvedAgent,
  vars: Record<string, string>,
  env: Record<string, string>,
  run: { prompt: string; resume?: string },
): Spawn {
  const program = expand(spec.command, vars);
  const args = spec.args.map((a) => expand(a, vars));
  const argv = kindOf(spec.kind).headlessArgv(program, args, run.prompt, run.resume);
  const runner = [...treemuxArgv(), 'run', '--agent', spec.name, '--kind', spec.kind, ...layoutArgs(ctx), '--', ...argv];
  return { ...agentSpawn(ctx, spec, vars, env), command: runner };
}

/** treemux's hook command for a kind's client (node and treemux by absolute path: no `treemux` on PATH needed). */
export function hookArgv(kind: KindName): string[] {
  return [...treemuxArgv(), 'hook', '--kind', kind];
}

/** A window for a headless agent whose run ended while its window was gone: its log, then done. */
export function logsSpawn(ctx: Ctx, spec: ResolvedAgent): Spawn {
  return { cwd: spec.worktree, command: [...treemuxArgv(), 'logs', spec.name, '-n', '500', ...layoutArgs(ctx)], env: baseEnv(ctx) };
}

/** treemux as a shell command line for an agent's shell: absolute paths, quoted; the layout when not the default. */
export function treemuxCommandLine(ctx: Ctx): string {
  return [...treemuxArgv(), ...layoutArgs(ctx)].map(shellQuote).join(' ');
}

/** `--layout FILE` when the layout is not the repository's treemux.yaml (for treemux run from elsewhere). */
export function layoutArgs(ctx: Ctx): string[] {
  return ctx.layoutFile !== join(ctx.repo.root, 'treemux.yaml') ? ['--layout', ctx.layoutFile] : [];
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

/** The dashboard's program, its pane known by `@treemux-role dash`. */
export function dashSpawn(ctx: Ctx): Spawn {
  const argv = [...treemuxArgv(), 'dash', ...layoutArgs(ctx)];
  return { cwd: ctx.repo.root, command: argv, env: baseEnv(ctx), paneOptions: { '@treemux-role': 'dash' } };
}

/** How the agent runs the tests: `merge.test` from the layout, else the package's npm test script. */
export async function testCommandOf(ctx: Ctx, worktree: string): Promise<string | null> {
  if (ctx.layout.layout.merge.test) return ctx.layout.layout.merge.test;
  try {
    const pkg = JSON.parse(await readFile(join(worktree, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    if (pkg.scripts?.test) return 'npm test';
  } catch {
    // no package.json (or not JSON): the test command is unknown
  }
  return null;
}
