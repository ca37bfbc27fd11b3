// What Claude Code's hooks hand treemux (`treemux hook`, installed in .claude/settings.local.json),
// read for kinds/hook.ts: the event JSON as treemux keeps it, the session id kept for resuming (from
// SessionStart), and the scope guard's verdict on a write before it happens. Every value is checked:
// the input comes from a program treemux does not control.
import { dirname, isAbsolute } from 'node:path';
import type { AgentEnv } from '../../../project/env.js';
import { judgeWrite, projectCheckouts } from '../../review/scope.js';
import type { HookEvent } from '../../status/rules.js';
import { plain } from '../text.js';
import type { HookReader } from '../types.js';
import { isSessionId } from './ids.js';

const WRITING_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

/**
 * The scope guard: a write outside the agent's scope (or inside its avoid list), or into another
 * checkout of the project, is denied or noted; judged on the real path.
 */
export function scopeDecision(input: Record<string, unknown>, env: AgentEnv): { deny: boolean; reason: string } | null {
  const { worktree, stateDir } = env;
  if (!worktree || !stateDir || input.hook_event_name !== 'PreToolUse' || !WRITING_TOOLS.has(String(input.tool_name))) return null;
  const { scope = [], avoid = [], mode = 'deny' } = (env.scope ? JSON.parse(env.scope) : {}) as { scope?: string[]; avoid?: string[]; mode?: 'warn' | 'deny' };
  const toolInput = (input.tool_input ?? {}) as Record<string, unknown>;
  const target = toolInput.file_path ?? toolInput.notebook_path;
  if (typeof target !== 'string' || !target) return null;
  const verdict = judgeWrite({
    worktree,
    rules: { scope, avoid },
    cwd: typeof input.cwd === 'string' && isAbsolute(input.cwd) ? input.cwd : worktree,
    target,
    checkouts: projectCheckouts(dirname(stateDir)),
  });
  if (!verdict) return null;
  return {
    deny: mode !== 'warn',
    reason: `treemux: ${verdict.file} ${mode === 'warn' ? 'is' : 'may not be changed:'} ${verdict.why}. Change only files in your scope; if this file must change, tell the user.`,
  };
}

/** The event as treemux keeps it: only checked values. */
export function eventOf(input: Record<string, unknown>, now = Date.now()): HookEvent {
  return {
    at: now,
    event: plain(input.hook_event_name, 40) ?? 'unknown',
    sessionId: isSessionId(input.session_id) ? input.session_id : undefined,
    transcriptPath: typeof input.transcript_path === 'string' && isAbsolute(input.transcript_path) && input.transcript_path.endsWith('.jsonl') ? input.transcript_path : undefined,
    message: plain(input.message, 500),
    tool: plain(input.tool_name, 80),
  };
}

export const claudeHook: HookReader = {
  eventOf,
  respond(input, env) {
    const decision = scopeDecision(input, env);
    if (!decision) return null;
    // Claude Code reads this from stdout: the write is refused before the file is touched
    const stdout = decision.deny
      ? JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: decision.reason } })
      : '';
    return { stdout, note: decision.reason };
  },
  sessionOf: (event) => (event.event === 'SessionStart' ? event.sessionId : undefined),
};
