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
import { stripVTControlCharacters } from 'node:util';
import { isSessionId } from './ids.js';

export interface Denial {
  tool: string;
  /** the command / file_path / pattern… of its tool_input, one line, ≤120 chars ('' when none) */
  detail: string;
}

export interface RunResult {
  /** !is_error */
  ok: boolean;
  /** 'success' | 'error_max_turns' | 'error_during_execution' | 'error_max_budget_usd' | … */
  subtype: string;
  /** the `result` field ('' when absent) */
  text: string;
  /** total_cost_usd: Claude Code's figure for the whole session (a resumed run includes the runs before it) */
  costUsd: number | null;
  /** this run's own cost: the sum of model_usage_since_last_result[*].costUSD, when the client gives it */
  runCostUsd: number | null;
  /** an error result's `errors`, one line each */
  errors: string[];
  /** num_turns */
  turns: number | null;
  /** duration_ms */
  durationMs: number | null;
  permissionDenials: Denial[];
}

export interface RunFacts {
  /** system/init: starting; assistant or user: busy; result: done */
  phase: 'starting' | 'busy' | 'done';
  /** the latest non-empty session_id of any event */
  sessionId?: string;
  /** from system/init */
  model?: string;
  /** from system/init `permissionMode` */
  permissionMode?: string;
  /** the last assistant text (the main agent's, not a subagent's) as one line, ≤200 chars */
  lastText: string;
  /** tool_use blocks seen (subagents' included) */
  toolCalls: number;
  result?: RunResult;
}

const DETAIL_MAX = 120;
const LINE_MAX = 200;
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

/**
 * The line that ends a run in the window: `── ✓ done · 2 turns · 1.5 s · $0.0125`,
 * `── ✗ error_max_turns · exit 1 · 3 turns · 40.2 s · $0.04`, or when no result event came:
 * `── ✗ ended without a result (exit 1)` / `(signal SIGTERM)`.
 */
export function summaryLine(facts: RunFacts, exit: { code: number | null; signal: string | null }): string {
  const how = exit.signal ? `signal ${exit.signal}` : exit.code !== null ? `exit ${exit.code}` : '';
  const r = facts.result;
  if (!r) return `── ✗ ended without a result${how ? ` (${how})` : ''}`;
  const parts = [r.ok ? '✓ done' : `✗ ${r.subtype === 'success' ? 'error' : r.subtype}`];
  if (exit.signal || (exit.code !== null && exit.code !== 0)) parts.push(how);
  if (r.turns !== null) parts.push(`${r.turns} ${r.turns === 1 ? 'turn' : 'turns'}`);
  if (r.durationMs !== null) parts.push(formatDuration(r.durationMs));
  const cost = r.runCostUsd ?? r.costUsd;
  if (cost !== null) parts.push(formatCost(cost));
  return `── ${parts.join(' · ')}`;
}

/** The agent's last line once done: the result text's last non-empty line, else lastText. One line, ≤200 chars. */
export function lastLineOf(facts: RunFacts): string {
  const r = facts.result;
  const said = lastLine(r?.text ?? '', LINE_MAX);
  if (said) return said;
  // a failed run's last words are usually its first ("Working on…"): say how it failed instead
  if (r && !r.ok) return `${r.subtype === 'success' ? 'error' : r.subtype}${r.errors[0] ? `: ${r.errors[0]}` : ''}`.slice(0, LINE_MAX);
  return facts.lastText;
}

/** 850 ms, 1.5 s, 42.0 s, 3 min 7 s, 1 h 5 min */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** $0.0125, $0.04, $1.50: four decimals at most, two at least */
function formatCost(usd: number): string {
  return `$${usd.toFixed(4).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
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

/** Text as lines for the window: control sequences dropped, trailing blanks trimmed. */
function textLines(text: string): string[] {
  return clean(text)
    .replace(/\s+$/, '')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
}

function firstLine(text: string, max: number): string {
  const line = clean(text)
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean);
  return clip(line ?? '', max);
}

function lastLine(text: string, max: number): string {
  const lines = clean(text)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return clip(lines[lines.length - 1] ?? '', max);
}

/** Terminal escapes and control characters out (tabs kept), CRLF and lone CR as newlines. */
function clean(text: string): string {
  return stripVTControlCharacters(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // do not split a surrogate pair
  return `${s.slice(0, cut)}…`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
