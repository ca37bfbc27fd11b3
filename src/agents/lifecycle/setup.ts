// The layout's setup commands: shell commands its author wrote, run in the agent's worktree, in
// order, after copying and before the agent starts. Their output goes to the agent's log.
import { logPath } from '../../project/paths.js';
import { agentEnv } from '../../project/env.js';
import { runShell } from '../../host/exec.js';
import { appendFileIn } from '../../host/fs.js';
import { expand } from '../../layout/placeholders.js';
import type { Ctx } from '../../project/context.js';

export function logFile(ctx: Ctx, agent: string): string {
  return logPath(ctx.repo.commonDir, agent);
}

export interface SetupResult {
  ok: boolean;
  /** one line: which command failed and why */
  reason?: string;
}

export async function runSetup(
  ctx: Ctx,
  agent: string,
  worktree: string,
  vars: Record<string, string>,
  env: Record<string, string>,
  /** a line of progress */
  say: (line: string) => void,
): Promise<SetupResult> {
  const commands = ctx.layout.layout.setup.map((c) => expand(c, vars));
  if (commands.length === 0) return { ok: true };
  const log = logFile(ctx, agent);
  const append = (text: string) => appendFileIn(ctx.repo.commonDir, log, text, { mode: 0o600 });
  for (const command of commands) {
    const started = Date.now();
    await append(`$ ${command}\n`);
    const r = await runShell(command, { cwd: worktree, env: { ...env, ...agentEnv({ project: ctx.layout.project, agent }) } });
    await append(`${r.all}${r.all ? '\n' : ''}`);
    if (r.exitCode !== 0) {
      const last = r.all.trim().split('\n').pop() ?? '';
      const why = r.exitCode === null ? (r.signal ?? 'did not run') : `exit ${r.exitCode}`;
      return { ok: false, reason: `setup \`${command}\` failed (${why})${last ? `: ${last}` : ''}` };
    }
    say(`${agent}: setup \`${command}\` done in ${Date.now() - started} ms`);
  }
  return { ok: true };
}
