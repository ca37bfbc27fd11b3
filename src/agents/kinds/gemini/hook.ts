// What Gemini CLI's hooks hand treemux (`treemux hook --kind gemini`, installed in the worktree's
// .gemini/settings.json): the event JSON on stdin, recorded in <state>/events/<agent>.jsonl for the
// status rules, the session id kept for resuming, and the scope guard's verdict on a write before it
// happens. Every value is checked: the input comes from a program treemux does not control.
//
// The payloads (0.61.0, recorded: test/fixtures/events/gemini-hooks.jsonl) all carry `session_id` (a
// UUID), `transcript_path` (~/.gemini/tmp/<folder>/chats/session-…jsonl), `cwd`, `hook_event_name`,
// `timestamp`; then SessionStart `source` (startup | resume | clear), BeforeAgent `prompt`, BeforeTool
// `tool_name` + `tool_input`, AfterTool the same + `tool_response`, Notification `notification_type`
// (ToolPermission) + `message` + `details`, AfterAgent `prompt` + `prompt_response`, SessionEnd `reason`.
//
// What the client reads back on stdout: nothing, or one JSON object. BeforeTool's
// `{"decision":"deny","reason":"…"}` refuses the call before it runs (and before any permission
// question): the model gets "Tool execution blocked: <reason>" as the tool's error and goes on.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { appendFileIn } from '../../../host/fs.js';
import { AGENT_NAME_RE } from '../../../layout/schema.js';
import type { AgentEnv } from '../../../project/env.js';
import { StateStore } from '../../../state/index.js';
import { judgeWrite, projectCheckouts } from '../../review/scope.js';
import type { HookEvent } from '../../status/rules.js';
import { isSessionId } from './ids.js';
import { plain } from '../text.js';

/** The events of Gemini CLI 0.61.0's hooks (its HookEventName). */
export const GEMINI_HOOK_EVENTS = [
  'SessionStart',
  'SessionEnd',
  'BeforeAgent',
  'AfterAgent',
  'BeforeTool',
  'AfterTool',
  'Notification',
  'PreCompress',
  'BeforeModel',
  'AfterModel',
  'BeforeToolSelection',
] as const;
const KNOWN = new Set<string>(GEMINI_HOOK_EVENTS);

/** The tools that write a file named by `tool_input.file_path`. */
const WRITING_TOOLS = new Set(['write_file', 'replace']);

/** The event as treemux keeps it: only checked values. */
export function eventOf(input: Record<string, unknown>, now = Date.now()): HookEvent {
  const name = typeof input.hook_event_name === 'string' && KNOWN.has(input.hook_event_name) ? input.hook_event_name : 'unknown';
  const transcript = input.transcript_path;
  return {
    at: now,
    event: name,
    sessionId: isSessionId(input.session_id) ? input.session_id : undefined,
    transcriptPath: typeof transcript === 'string' && isAbsolute(transcript) && transcript.endsWith('.jsonl') ? transcript : undefined,
    // the permission question's summary ("Tool Confirm Shell Command requires execution")
    message: name === 'Notification' ? plain(input.message, 500) : undefined,
    tool: plain(input.tool_name, 80),
  };
}

/**
 * The scope guard: a write (write_file, replace) outside the agent's scope (or inside its avoid list),
 * or into another checkout of the project, is denied or noted; judged on the real path.
 */
export function scopeDecision(input: Record<string, unknown>, env: AgentEnv): { deny: boolean; reason: string } | null {
  const { worktree, stateDir } = env;
  if (!worktree || !stateDir || input.hook_event_name !== 'BeforeTool' || !WRITING_TOOLS.has(String(input.tool_name))) return null;
  let rules: { scope?: string[]; avoid?: string[]; mode?: 'warn' | 'deny' } = {};
  try {
    rules = (env.scope ? JSON.parse(env.scope) : {}) as typeof rules;
  } catch {
    rules = {};
  }
  const { scope = [], avoid = [], mode = 'deny' } = rules;
  const toolInput = (input.tool_input ?? {}) as Record<string, unknown>;
  const target = toolInput.file_path;
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

/** What BeforeTool prints to refuse the call: Gemini CLI's decision format. */
export function denyOutput(reason: string): string {
  return JSON.stringify({ decision: 'deny', reason });
}

/**
 * Handle one hook call: INPUT is the JSON Gemini CLI wrote on stdin. Returns what to print on stdout
 * (a denial, or ''). Throws on input that is not JSON (the caller ignores it and exits 0: a hook that
 * fails only makes the client print a warning, but must never refuse by accident — exit 2 refuses).
 */
export async function handleGeminiHook(input: string, env: AgentEnv): Promise<string> {
  const data = JSON.parse(input || '{}') as unknown;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return '';
  const payload = data as Record<string, unknown>;
  const { agent, stateDir } = env;
  if (!agent || !stateDir || !AGENT_NAME_RE.test(agent)) return '';
  const event = eventOf(payload);
  const decision = scopeDecision(payload, env);
  let stdout = '';
  if (decision) {
    event.message = decision.reason;
    if (decision.deny) stdout = denyOutput(decision.reason);
  }
  // an agent removed meanwhile (its window killed, a last SessionEnd on its way): nothing to record
  if (env.worktree && !existsSync(env.worktree)) return stdout;
  await appendFileIn(stateDir, join(stateDir, 'events', `${agent}.jsonl`), `${JSON.stringify(event)}\n`, { mode: 0o600 });
  if (event.event === 'SessionStart' && event.sessionId) {
    const sessionId = event.sessionId;
    // the record's session field is named for Claude, and means "the client's conversation"
    await new StateStore(dirname(stateDir)).update((s) => {
      const record = s.agents[agent];
      if (record) record.claudeSession = sessionId;
    });
  }
  return stdout;
}
