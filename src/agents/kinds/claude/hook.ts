// What Claude Code's hooks hand treemux (`treemux hook`, installed in .claude/settings.local.json):
// the event JSON, recorded in <state>/events/<agent>.jsonl for the status rules, the session id kept
// for resuming, and the scope guard's verdict on a write before it happens. Every value is checked:
// the input comes from a program treemux does not control.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { appendFileIn } from '../../../host/fs.js';
import { AGENT_NAME_RE } from '../../../layout/schema.js';
import type { AgentEnv } from '../../../project/env.js';
import { StateStore } from '../../../state/index.js';
import { judgeWrite, projectCheckouts } from '../../review/scope.js';
import type { HookEvent } from '../../status/rules.js';
import { isSessionId } from './ids.js';

/** A short line of text to show, with control characters (a terminal's escapes) removed; undefined otherwise. */
function plain(value: unknown, max: number): string | undefined {
  return typeof value === 'string' ? value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, max) : undefined;
}

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

/**
 * Handle one hook call: INPUT is the JSON Claude Code wrote on stdin. Returns what to print on stdout
 * for Claude Code to read (a denial), or ''. Throws on input that is not JSON (the caller ignores it).
 */
export async function handleHook(input: string, env: AgentEnv): Promise<string> {
  const data = JSON.parse(input || '{}') as Record<string, unknown>;
  const { agent, stateDir } = env;
  if (!agent || !stateDir || !AGENT_NAME_RE.test(agent)) return '';
  const event = eventOf(data);
  const decision = scopeDecision(data, env);
  let stdout = '';
  if (decision) {
    event.message = decision.reason;
    // Claude Code reads this from stdout: the write is refused before the file is touched
    if (decision.deny) stdout = JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: decision.reason } });
  }
  // an agent removed meanwhile (its window killed, a last SessionEnd on its way): nothing to record
  if (env.worktree && !existsSync(env.worktree)) return stdout;
  await appendFileIn(stateDir, join(stateDir, 'events', `${agent}.jsonl`), `${JSON.stringify(event)}\n`, { mode: 0o600 });
  if (event.event === 'SessionStart' && event.sessionId) {
    const sessionId = event.sessionId;
    await new StateStore(dirname(stateDir)).update((s) => {
      const record = s.agents[agent];
      if (record) record.claudeSession = sessionId;
    });
  }
  return stdout;
}
