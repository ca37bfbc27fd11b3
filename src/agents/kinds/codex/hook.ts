// What Codex's hooks hand treemux (`treemux hook --kind codex`, registered on its command line: see
// hooks.ts): the event JSON, recorded in <state>/events/<agent>.jsonl for the status rules; the
// thread id kept for resuming; the scope guard's verdict on a patch before it is applied; and, at a
// session's start, the agent's instructions as context (Codex reads AGENTS.md, not CLAUDE.local.md).
// Every value is checked: the input comes from a program treemux does not control.
//
// The payloads (Codex 0.171.0, recorded in test/fixtures/events/codex-hooks.jsonl) are Claude Code's
// shape: every one has session_id (the thread id), turn_id (not SessionStart), transcript_path (the
// rollout JSONL), cwd, hook_event_name, model, permission_mode; SessionStart adds source (startup,
// resume); UserPromptSubmit prompt; PreToolUse/PostToolUse tool_name (Bash, apply_patch…),
// tool_input ({command}: the shell command, or the whole patch for apply_patch), tool_use_id,
// PostToolUse tool_response; PermissionRequest tool_name and tool_input {command, description}; Stop
// stop_hook_active, last_assistant_message; Interrupt nothing more.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { appendFileIn, readFileIn } from '../../../host/fs.js';
import { AGENT_NAME_RE } from '../../../layout/schema.js';
import type { AgentEnv } from '../../../project/env.js';
import { StateStore } from '../../../state/index.js';
import { judgeWrite, projectCheckouts } from '../../review/scope.js';
import type { HookEvent } from '../../status/rules.js';
import { isThreadId } from './args.js';
import { plain } from '../text.js';

/**
 * The event as treemux keeps it: only checked values. `message` is what the agent said last for a
 * Stop (its last_assistant_message), the prompt for a UserPromptSubmit.
 */
export function eventOf(input: Record<string, unknown>, now = Date.now()): HookEvent {
  const event = plain(input.hook_event_name, 40) ?? 'unknown';
  const message = event === 'Stop' ? input.last_assistant_message : event === 'UserPromptSubmit' ? input.prompt : undefined;
  return {
    at: now,
    event,
    sessionId: isThreadId(input.session_id) ? input.session_id : undefined,
    transcriptPath: typeof input.transcript_path === 'string' && isAbsolute(input.transcript_path) && input.transcript_path.endsWith('.jsonl') ? input.transcript_path : undefined,
    message: plain(message, 500),
    tool: plain(input.tool_name, 80),
  };
}

/**
 * The files an apply_patch patch writes: its `*** Add File:`, `*** Update File:`, `*** Delete File:`
 * and `*** Move to:` paths, as written (relative to the call's cwd, or absolute).
 */
export function patchTargets(patch: string): string[] {
  const found: string[] = [];
  for (const line of patch.split(/\r?\n/)) {
    const m = /^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/.exec(line);
    if (m && m[1]!.trim()) found.push(m[1]!.trim());
  }
  return [...new Set(found)];
}

/**
 * The scope guard: an apply_patch that writes outside the agent's scope (or inside its avoid list),
 * or into another checkout of the project, is denied or noted, judged on the real path of each file.
 * Shell commands are not judged (what a command writes is not known before it runs).
 */
export function scopeDecision(input: Record<string, unknown>, env: AgentEnv): { deny: boolean; reason: string } | null {
  const { worktree, stateDir } = env;
  if (!worktree || !stateDir || input.hook_event_name !== 'PreToolUse' || input.tool_name !== 'apply_patch') return null;
  const { scope = [], avoid = [], mode = 'deny' } = (env.scope ? JSON.parse(env.scope) : {}) as { scope?: string[]; avoid?: string[]; mode?: 'warn' | 'deny' };
  const toolInput = (input.tool_input ?? {}) as Record<string, unknown>;
  const patch = typeof toolInput.command === 'string' ? toolInput.command : typeof toolInput.patch === 'string' ? toolInput.patch : '';
  const cwd = typeof input.cwd === 'string' && isAbsolute(input.cwd) ? input.cwd : worktree;
  const checkouts = projectCheckouts(dirname(stateDir));
  for (const target of patchTargets(patch)) {
    const verdict = judgeWrite({ worktree, rules: { scope, avoid }, cwd, target, checkouts });
    if (!verdict) continue;
    return {
      deny: mode !== 'warn',
      reason: `treemux: ${verdict.file} ${mode === 'warn' ? 'is' : 'may not be changed:'} ${verdict.why}. Change only files in your scope; if this file must change, tell the user.`,
    };
  }
  return null;
}

/** What Codex reads from a PreToolUse hook's stdout to refuse the call (the model is told the reason). */
export function denialOutput(reason: string): string {
  return JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } });
}

/** What Codex reads from a SessionStart hook's stdout: text added to the conversation as a developer message. */
export function contextOutput(text: string): string {
  return JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: text } });
}

/** The longest instructions handed as context (Codex's own project-doc limit is 32 KiB). */
const CONTEXT_MAX = 32 * 1024;

/**
 * Handle one hook call: INPUT is the JSON Codex wrote on stdin; INSTRUCTIONS the worktree's file
 * treemux writes for its agent (CLAUDE.local.md) relative to the worktree, handed as context when a
 * session starts fresh (not on resume: the thread has it already). Returns what to print on stdout for
 * Codex to read (a denial, the context), or ''. Throws on input that is not JSON (the caller ignores it).
 */
export async function handleHook(input: string, env: AgentEnv, instructions = 'CLAUDE.local.md'): Promise<string> {
  const data = JSON.parse(input || '{}') as Record<string, unknown>;
  const { agent, stateDir } = env;
  if (!agent || !stateDir || !AGENT_NAME_RE.test(agent)) return '';
  const event = eventOf(data);
  let stdout = '';
  const decision = scopeDecision(data, env);
  if (decision) {
    event.message = decision.reason;
    if (decision.deny) stdout = denialOutput(decision.reason);
  }
  if (event.event === 'SessionStart' && data.source !== 'resume' && env.worktree) {
    const text = await readInstructions(env.worktree, instructions);
    if (text) stdout = contextOutput(text);
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

/** The instructions file's text ('' when missing, unreadable, or a link: treemux never reads through one). */
export async function readInstructions(worktree: string, rel: string): Promise<string> {
  try {
    return ((await readFileIn(worktree, join(worktree, rel))) ?? '').slice(0, CONTEXT_MAX).trim();
  } catch {
    return '';
  }
}
