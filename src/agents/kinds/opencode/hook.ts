// What treemux's OpenCode plugin (plugin.ts) hands treemux through `treemux hook --kind opencode`:
// one event as JSON on stdin, recorded in <state>/events/<agent>.jsonl for the status rules, its
// session id kept for resuming, and the scope guard's verdict on a write before it happens (printed
// on stdout for the plugin, which throws it at OpenCode: the tool fails with the reason, the model
// reads it). Every value is checked: the input comes from a program treemux does not control.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { appendFileIn } from '../../../host/fs.js';
import { AGENT_NAME_RE } from '../../../layout/schema.js';
import type { AgentEnv } from '../../../project/env.js';
import { StateStore } from '../../../state/index.js';
import { judgeWrite, projectCheckouts } from '../../review/scope.js';
import type { HookEvent } from '../../status/rules.js';
import { LINE_MAX, lastLine, plain } from '../text.js';
import { isOpenCodeSessionId } from './ids.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An event type as OpenCode names them (`session.idle`, `permission.asked`…). */
const EVENT_TYPE = /^[a-z][a-z_]*(\.[a-z_]+){1,3}$/;
const STATUS_TYPES = new Set(['busy', 'idle', 'retry']);
const REPLIES = new Set(['once', 'always', 'reject']);
/** OpenCode's tools that write files (1.18: write, edit; apply_patch for some models; older: patch, multiedit). */
export const WRITING_TOOLS = new Set(['write', 'edit', 'multiedit', 'patch', 'apply_patch']);

/** The event as treemux keeps it: only checked values. PAYLOAD: an OpenCode bus event `{type, properties}` (as the plugin forwards it), or the plugin's `tool.execute.before` call. */
export function eventOf(payload: unknown, now = Date.now()): HookEvent {
  const input = isObj(payload) ? payload : {};
  const type = typeof input.type === 'string' && input.type.length <= 40 && EVENT_TYPE.test(input.type) ? input.type : 'unknown';
  const p = isObj(input.properties) ? input.properties : {};
  const sid = p.sessionID ?? input.sessionID;
  const event: HookEvent = { at: now, event: type, sessionId: isOpenCodeSessionId(sid) ? sid : undefined };
  switch (type) {
    case 'session.status': {
      const status = isObj(p.status) ? p.status : {};
      if (typeof status.type === 'string' && STATUS_TYPES.has(status.type)) event.message = status.type;
      break;
    }
    case 'session.idle': {
      const said = typeof input.lastText === 'string' ? lastLine(input.lastText, LINE_MAX) : '';
      if (said) event.message = said;
      break;
    }
    case 'session.error': {
      const error = isObj(p.error) ? p.error : {};
      const data = isObj(error.data) ? error.data : {};
      event.message = plain(data.message, 500) ?? plain(error.message, 500) ?? plain(error.name, 80);
      break;
    }
    case 'permission.asked': {
      event.tool = plain(p.permission, 80);
      const patterns = Array.isArray(p.patterns) ? p.patterns.filter((x): x is string => typeof x === 'string') : [];
      event.message = plain(`${event.tool ?? 'permission'}${patterns.length ? `: ${patterns.join(' ')}` : ''}`, 500);
      break;
    }
    case 'permission.replied':
      if (typeof p.reply === 'string' && REPLIES.has(p.reply)) event.message = p.reply;
      break;
    case 'tool.execute.before':
      event.tool = plain(input.tool, 80);
      break;
    default:
  }
  if (event.message === undefined) delete event.message;
  if (event.tool === undefined) delete event.tool;
  return event;
}

/** The files a write tool's arguments name: `filePath`, or the paths of an apply_patch's `*** Add/Update/Delete File:` and `*** Move to:` lines. */
export function writeTargets(tool: string, args: unknown): string[] {
  if (!WRITING_TOOLS.has(tool) || !isObj(args)) return [];
  const targets: string[] = [];
  for (const key of ['filePath', 'file_path', 'path']) {
    const v = args[key];
    if (typeof v === 'string' && v.trim()) targets.push(v);
  }
  const patch = args.patchText ?? args.patch;
  if (typeof patch === 'string') {
    for (const m of patch.matchAll(/^\*\*\* (?:(?:Add|Update|Delete) File|Move to): (.+)$/gm)) targets.push(m[1]!.trim());
  }
  return targets;
}

/**
 * The scope guard: a write outside the agent's scope (or inside its avoid list), or into another
 * checkout of the project, is denied or noted; judged on the real path, relative paths from the
 * directory OpenCode works in.
 */
export function scopeDecision(input: Obj, env: AgentEnv): { deny: boolean; reason: string } | null {
  const { worktree, stateDir } = env;
  if (!worktree || !stateDir || input.type !== 'tool.execute.before' || typeof input.tool !== 'string') return null;
  let rules: { scope?: string[]; avoid?: string[]; mode?: 'warn' | 'deny' } = {};
  try {
    rules = env.scope ? (JSON.parse(env.scope) as typeof rules) : {};
  } catch {
    // unreadable rules: the other checkouts are still guarded
  }
  const { scope = [], avoid = [], mode = 'deny' } = rules;
  const cwd = typeof input.directory === 'string' && isAbsolute(input.directory) ? input.directory : worktree;
  for (const target of writeTargets(input.tool, input.args)) {
    const verdict = judgeWrite({ worktree, rules: { scope, avoid }, cwd, target, checkouts: projectCheckouts(dirname(stateDir)) });
    if (!verdict) continue;
    return {
      deny: mode !== 'warn',
      reason: `treemux: ${verdict.file} ${mode === 'warn' ? 'is' : 'may not be changed:'} ${verdict.why}. Change only files in your scope; if this file must change, tell the user.`,
    };
  }
  return null;
}

/** Events after which the session id is kept for resuming (a resumed TUI creates no session: its first turn's end says it). */
const SESSION_EVENTS = new Set(['session.created', 'session.idle']);

/**
 * Handle one call of the plugin: INPUT is the JSON it wrote on stdin. Returns what to print on stdout
 * for the plugin to read: `{"deny":true,"reason":"…"}` when the scope guard refuses a write, else ''.
 * Throws on input that is not JSON (the caller ignores it).
 */
export async function handleOpenCodeHook(input: string, env: AgentEnv): Promise<string> {
  const data = JSON.parse(input || '{}') as unknown;
  const { agent, stateDir } = env;
  if (!isObj(data) || !agent || !stateDir || !AGENT_NAME_RE.test(agent)) return '';
  const event = eventOf(data);
  const decision = scopeDecision(data, env);
  let stdout = '';
  if (decision) {
    event.message = decision.reason;
    if (decision.deny) stdout = JSON.stringify({ deny: true, reason: decision.reason });
  }
  // an agent removed meanwhile: nothing to record
  if (env.worktree && !existsSync(env.worktree)) return stdout;
  await appendFileIn(stateDir, join(stateDir, 'events', `${agent}.jsonl`), `${JSON.stringify(event)}\n`, { mode: 0o600 });
  if (SESSION_EVENTS.has(event.event) && event.sessionId) {
    const sessionId = event.sessionId;
    await new StateStore(dirname(stateDir)).update((s) => {
      const record = s.agents[agent];
      if (record && record.claudeSession !== sessionId) record.claudeSession = sessionId;
    });
  }
  return stdout;
}
