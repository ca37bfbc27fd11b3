// Claude Code's print mode (`claude -p --output-format stream-json --verbose TASK`), read one stdout
// line at a time: the facts of the run (phase, session, result) and a readable rendering of each event
// for the agent's window and log. Pure.
//
// The shapes, as Claude Code writes them: one JSON object per line, each with `type`, `session_id` and
// `uuid`. `system`/`init` opens a turn (cwd, model, permissionMode, tools…); every assistant content block
// comes as its own `assistant` line (`message` is the API message: id, content[one block], usage…;
// `parent_tool_use_id` is set for a subagent's output); tool results come back as `user` lines whose
// content holds `tool_result` blocks (`is_error: true` on failure, no key at all on success); the turn ends
// with one `result` line (subtype `success` or `error_*`, is_error, result — absent or null on errors,
// which carry `errors: string[]` instead —, num_turns, duration_ms, total_cost_usd, permission_denials:
// [{tool_name, tool_use_id, tool_input}]). Other lines (`system`/status, thinking_tokens, api_retry,
// `rate_limit_event`, `stream_event`…) carry nothing the window needs.
import { isSessionId } from './ids.js';
import type { Denial, RunFacts } from '../facts.js';
import { clean, firstLine, lastLine, LINE_MAX, textLines } from '../text.js';

export type { Denial, RunFacts, RunResult } from '../facts.js';
export { lastLineOf, summaryLine } from '../facts.js';

const DETAIL_MAX = 120;
/** The tool_input keys that say what a call does, in the order they are looked for. */
const DETAIL_KEYS = ['command', 'file_path', 'path', 'pattern', 'url', 'description', 'prompt'];

export function emptyFacts(): RunFacts {
  return { phase: 'starting', lastText: '', toolCalls: 0 };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Read one line of output. Returns new facts (the input is not changed), the readable lines to show for
 * it (may be empty), and whether anything a status reader cares about changed (phase, sessionId, result).
 * A line that is not a JSON object is shown as it is (stderr noise, a plain program) and changes nothing;
 * a blank line shows nothing.
 */
export function readEvent(facts: RunFacts, line: string): { facts: RunFacts; shown: string[]; changed: boolean } {
  const raw = typeof line === 'string' ? line.replace(/\s+$/, '') : '';
  const event = parseObject(raw);
  if (event === undefined) return { facts, shown: raw.trim() ? [raw] : [], changed: false };
  if (event === null) return { facts, shown: [], changed: false }; // JSON, but not an object

  const next: RunFacts = { ...facts };
  const shown: string[] = [];
  const sid = str(event.session_id);
  if (isSessionId(sid)) next.sessionId = sid; // a value of another shape never reaches --resume

  try {
    switch (event.type) {
      case 'system':
        readSystem(event, next, shown);
        break;
      case 'assistant':
        next.phase = 'busy';
        readAssistant(event, next, shown);
        break;
      case 'user':
        next.phase = 'busy';
        readUser(event, shown);
        break;
      case 'result':
        next.phase = 'done';
        readResult(event, facts, next, shown);
        break;
      default:
      // stream_event, rate_limit_event, control_response, tool_use_summary…: nothing to show
    }
  } catch {
    // a shape nobody foresaw: keep what was read so far
  }
  const changed = next.phase !== facts.phase || next.sessionId !== facts.sessionId || next.result !== facts.result;
  return { facts: next, shown, changed };
}

/** The object on a line; null for JSON that is not an object; undefined for anything else. */
function parseObject(line: string): Obj | null | undefined {
  const start = line.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return isObj(value) ? value : null;
}

function readSystem(event: Obj, next: RunFacts, shown: string[]): void {
  if (event.subtype === 'init') {
    next.phase = 'starting';
    const model = str(event.model);
    const mode = str(event.permissionMode);
    if (model) next.model = model;
    if (mode) next.permissionMode = mode;
    const sid = str(event.session_id);
    const parts = [sid && `session ${sid.slice(0, 8)}`, model && `model ${model}`, mode && `permission mode ${mode}`].filter(Boolean);
    shown.push(`▶ ${parts.length ? parts.join(' · ') : 'started'}`);
  } else if (event.subtype === 'compact_boundary') {
    const meta = isObj(event.compact_metadata) ? event.compact_metadata : {};
    const trigger = str(meta.trigger);
    const before = num(meta.pre_tokens);
    const parts = [trigger, before !== null && `${before.toLocaleString('en-US')} tokens before`].filter(Boolean);
    shown.push(`⋯ conversation compacted${parts.length ? ` (${parts.join(', ')})` : ''}`);
  }
}

function readAssistant(event: Obj, next: RunFacts, shown: string[]): void {
  const message = isObj(event.message) ? event.message : {};
  const content = message.content;
  const subagent = typeof event.parent_tool_use_id === 'string' && event.parent_tool_use_id !== '';
  const indent = subagent ? '  ' : '';
  const blocks: unknown[] = typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? content : [];
  for (const block of blocks) {
    if (!isObj(block)) continue;
    if (block.type === 'text') {
      const text = str(block.text);
      if (!text?.trim()) continue;
      for (const l of textLines(text)) shown.push(indent + l);
      if (!subagent) next.lastText = lastLine(text, LINE_MAX);
    } else if (block.type === 'tool_use') {
      next.toolCalls += 1;
      const name = clean(str(block.name) ?? '') || 'tool';
      const detail = describeInput(block.input);
      shown.push(`${indent}⚙ ${name}${detail ? `: ${detail}` : ''}`);
    }
    // thinking, redacted_thinking: nothing
  }
}

function readUser(event: Obj, shown: string[]): void {
  const message = isObj(event.message) ? event.message : {};
  if (!Array.isArray(message.content)) return; // a replayed prompt
  const indent = typeof event.parent_tool_use_id === 'string' && event.parent_tool_use_id !== '' ? '    ' : '  ';
  for (const block of message.content) {
    if (!isObj(block) || block.type !== 'tool_result' || block.is_error !== true) continue;
    const text = toolResultText(block.content).replace(/<\/?tool_use_error>/g, '');
    shown.push(`${indent}✗ ${firstLine(text, DETAIL_MAX) || 'tool failed'}`);
  }
}

function readResult(event: Obj, before: RunFacts, next: RunFacts, shown: string[]): void {
  const isError = event.is_error === true || (event.is_error !== false && typeof event.subtype === 'string' && event.subtype.startsWith('error'));
  const subtype = str(event.subtype) || (isError ? 'error' : 'success');
  const denials: Denial[] = (Array.isArray(event.permission_denials) ? event.permission_denials : [])
    .filter(isObj)
    .map((d) => ({ tool: clean(str(d.tool_name) ?? '') || 'tool', detail: describeInput(d.tool_input) }));
  const text = str(event.result) ?? '';
  const errors = (Array.isArray(event.errors) ? (event.errors as unknown[]) : [])
    .filter((e) => e !== null && e !== undefined)
    .map((e) => firstLine(typeof e === 'string' ? e : isObj(e) && typeof e.message === 'string' ? e.message : safeJson(e), DETAIL_MAX))
    .filter(Boolean);
  next.result = {
    ok: !isError,
    subtype,
    text,
    costUsd: num(event.total_cost_usd),
    runCostUsd: sinceLastResult(event.model_usage_since_last_result),
    errors,
    turns: num(event.num_turns),
    durationMs: num(event.duration_ms),
    permissionDenials: denials,
  };
  for (const d of denials) shown.push(`⊘ denied ${d.tool}${d.detail ? `: ${d.detail}` : ''}`);
  if (text.trim()) {
    // Claude Code's result repeats the last assistant text: show it only when it says something new
    if (lastLine(text, LINE_MAX) !== before.lastText) shown.push(...textLines(text));
  } else if (isError) {
    shown.push(`✗ ${clean(subtype)}`);
    for (const line of errors) shown.push(`  ${line}`);
  }
}

/** The cost of the models used since the last result (this run), when the client reports it per model. */
function sinceLastResult(usage: unknown): number | null {
  if (!isObj(usage)) return null;
  const costs = Object.values(usage).filter(isObj).map((m) => num(m.costUSD)).filter((c): c is number => c !== null);
  return costs.length ? costs.reduce((a, b) => a + b, 0) : null;
}

/** What a tool call does: the first string of its input's telling keys, one line, ≤120 chars. */
function describeInput(input: unknown): string {
  if (!isObj(input)) return '';
  for (const key of DETAIL_KEYS) {
    const value = input[key];
    if (typeof value === 'string' && value.trim()) return firstLine(value, DETAIL_MAX);
  }
  return '';
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((b): b is Obj => isObj(b) && b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text as string)
    .join('\n');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
