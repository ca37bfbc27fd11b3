// Gemini CLI's headless mode (`gemini --output-format stream-json --prompt=TASK`), read one stdout line
// at a time: the facts of the run (phase, session, outcome, turns, tokens) and a readable rendering of
// each event for the agent's window and log. Pure.
//
// The shapes, as Gemini CLI 0.61.0 writes them (recorded: test/fixtures/events/gemini-stream.jsonl),
// one JSON object per line, each with `type` and `timestamp`:
// - `init`: `session_id` (a UUID, the same when resumed), `model`;
// - `message`: `role` `user` (the prompt, once) or `assistant` with `content` and `delta: true`: the
//   answer comes in pieces to be joined, not in lines;
// - `tool_use`: `tool_name`, `tool_id`, `parameters`; `tool_result`: `tool_id`, `status` `success` or
//   `error`, `output`, `error: {type, message}` (a hook's or a policy's refusal: type
//   `policy_violation`, message `Tool execution blocked: <reason>`);
// - `error`: `severity` `warning` | `error`, `message` (loop detected, turn limit, blocked stream…);
// - `result`, last: `status` `success` | `error`, `error: {type, message}` on errors, `stats`:
//   `total_tokens`, `input_tokens`, `output_tokens`, `cached`, `duration_ms`, `tool_calls`, `models`.
//   No cost, no turn count, no text: the answer is the assistant text since the last tool result.
import type { Denial, RunFacts, RunResult } from '../facts.js';
import { clean, firstLine, lastLine, LINE_MAX, textLines } from '../text.js';
import { isSessionId } from './ids.js';

export { lastLineOf, summaryLine } from '../facts.js';

const DETAIL_MAX = 120;
/** The parameters that say what a call does, in the order they are looked for. */
const DETAIL_KEYS = ['command', 'file_path', 'dir_path', 'pattern', 'query', 'url', 'prompt', 'description'];

/** Token counts of a run (Gemini reports tokens, not cost). */
export interface TokenCounts {
  input: number;
  output: number;
  cached: number;
  total: number;
}

/** RunResult with what Gemini reports besides: its tokens (RunResult has no place for them yet). */
export interface GeminiRunResult extends RunResult {
  tokens: TokenCounts | null;
}

/**
 * RunFacts with what reading the stream needs between lines: the answer being streamed (shown line by
 * line as each ends), the model turns counted so far (a model turn: the answer or calls between two
 * tool results), the tools called by id (for a refusal's detail), warnings and errors seen.
 */
export interface GeminiFacts extends RunFacts {
  /** the assistant text since the last prompt or tool result, joined from its pieces */
  answer: string;
  /** how much of `answer` was shown (whole lines only, until the answer ends) */
  shownUpTo: number;
  /** model turns so far */
  turns: number;
  /** whether the model's current turn has begun (text or a call since the last prompt or tool result) */
  inTurn: boolean;
  /** tool_id → name and detail of the calls seen */
  calls: Record<string, Denial>;
  /** `error` events of severity error, one line each */
  errorLines: string[];
  /** refusals (tool_result errors of type policy_violation) */
  denials: Denial[];
  result?: GeminiRunResult;
}

export function emptyFacts(): GeminiFacts {
  return { phase: 'starting', lastText: '', toolCalls: 0, answer: '', shownUpTo: 0, turns: 0, inTurn: false, calls: {}, errorLines: [], denials: [] };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Facts from what the runner hands back: a RunFacts without Gemini's fields gets them (empty). */
function asGemini(facts: RunFacts): GeminiFacts {
  const f = facts as Partial<GeminiFacts> & RunFacts;
  return {
    ...emptyFacts(),
    ...f,
    calls: { ...(f.calls ?? {}) },
    errorLines: [...(f.errorLines ?? [])],
    denials: [...(f.denials ?? [])],
  };
}

/**
 * Read one line of output. Returns new facts (the input is not changed), the readable lines to show for
 * it (may be empty), and whether anything a status reader cares about changed (phase, sessionId,
 * result). A line that is not a JSON object is shown as it is (stderr noise, a plain program) and
 * changes nothing; a blank line shows nothing.
 */
export function readEvent(facts: RunFacts, line: string): { facts: GeminiFacts; shown: string[]; changed: boolean } {
  const before = asGemini(facts);
  const raw = typeof line === 'string' ? line.replace(/\s+$/, '') : '';
  const event = parseObject(raw);
  if (event === undefined) return { facts: before, shown: raw.trim() ? [raw] : [], changed: false };
  if (event === null) return { facts: before, shown: [], changed: false };

  const next = asGemini(before);
  const shown: string[] = [];
  try {
    switch (event.type) {
      case 'init':
        readInit(event, next, shown);
        break;
      case 'message':
        readMessage(event, next, shown);
        break;
      case 'tool_use':
        readToolUse(event, next, shown);
        break;
      case 'tool_result':
        readToolResult(event, next, shown);
        break;
      case 'error':
        readError(event, next, shown);
        break;
      case 'result':
        readResult(event, next, shown);
        break;
      default:
      // a type this version does not write: nothing to show
    }
  } catch {
    // a shape nobody foresaw: keep what was read so far
  }
  const changed = next.phase !== before.phase || next.sessionId !== before.sessionId || next.result !== before.result;
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

function readInit(event: Obj, next: GeminiFacts, shown: string[]): void {
  next.phase = 'starting';
  const sid = str(event.session_id);
  if (isSessionId(sid)) next.sessionId = sid; // a value of another shape never reaches --resume
  const model = str(event.model);
  if (model) next.model = clean(model);
  const parts = [isSessionId(sid) && `session ${sid.slice(0, 8)}`, model && `model ${clean(model)}`].filter(Boolean);
  shown.push(`▶ ${parts.length ? parts.join(' · ') : 'started'}`);
}

/** The answer's lines not shown yet: whole lines only, unless `all` (the answer ended). */
function flushAnswer(next: GeminiFacts, shown: string[], all: boolean): void {
  const rest = next.answer.slice(next.shownUpTo);
  const end = all ? rest.length : rest.lastIndexOf('\n') + 1;
  if (end <= 0) return;
  const chunk = rest.slice(0, end);
  next.shownUpTo += end;
  if (chunk.trim()) shown.push(...textLines(chunk.replace(/^\n+/, '')));
}

/** The model's turn ends (a prompt, a tool result, the end): the answer so far is shown whole. */
function endAnswer(next: GeminiFacts, shown: string[]): void {
  flushAnswer(next, shown, true);
}

function beginTurn(next: GeminiFacts): void {
  if (!next.inTurn) {
    next.turns += 1;
    next.inTurn = true;
    next.answer = '';
    next.shownUpTo = 0;
  }
}

function readMessage(event: Obj, next: GeminiFacts, shown: string[]): void {
  const content = str(event.content) ?? '';
  if (event.role === 'user') {
    // the prompt as given: not shown again (the window's command line has it)
    endAnswer(next, shown);
    next.inTurn = false;
    next.answer = '';
    next.shownUpTo = 0;
    next.phase = 'busy';
    return;
  }
  if (event.role !== 'assistant') return;
  next.phase = 'busy';
  beginTurn(next);
  // pieces of one answer (delta) or a whole one
  next.answer = event.delta === true ? next.answer + content : next.answer ? `${next.answer}\n${content}` : content;
  const said = lastLine(next.answer, LINE_MAX);
  if (said) next.lastText = said;
  flushAnswer(next, shown, false);
}

function readToolUse(event: Obj, next: GeminiFacts, shown: string[]): void {
  next.phase = 'busy';
  beginTurn(next);
  endAnswer(next, shown);
  next.toolCalls += 1;
  const name = clean(str(event.tool_name) ?? '') || 'tool';
  const detail = describe(event.parameters);
  const id = str(event.tool_id);
  if (id) next.calls[id] = { tool: name, detail };
  shown.push(`⚙ ${name}${detail ? `: ${detail}` : ''}`);
}

function readToolResult(event: Obj, next: GeminiFacts, shown: string[]): void {
  next.phase = 'busy';
  endAnswer(next, shown);
  next.inTurn = false; // the next text or call is the model's next turn
  next.answer = '';
  next.shownUpTo = 0;
  if (event.status === 'success') return;
  const id = str(event.tool_id);
  const call = (id && next.calls[id]) || { tool: 'tool', detail: '' };
  const error = isObj(event.error) ? event.error : {};
  const message = firstLine(str(error.message) ?? str(event.output) ?? '', DETAIL_MAX);
  if (error.type === 'policy_violation') {
    next.denials.push(call);
    shown.push(`  ⊘ ${call.tool} refused${message ? `: ${message.replace(/^Tool execution blocked:\s*/, '')}` : ''}`);
  } else {
    shown.push(`  ✗ ${message || `${call.tool} failed`}`);
  }
}

function readError(event: Obj, next: GeminiFacts, shown: string[]): void {
  const message = firstLine(str(event.message) ?? '', DETAIL_MAX);
  if (!message) return;
  if (event.severity === 'error') {
    next.errorLines.push(message);
    shown.push(`✗ ${message}`);
  } else {
    shown.push(`⚠ ${message}`);
  }
}

function readResult(event: Obj, next: GeminiFacts, shown: string[]): void {
  endAnswer(next, shown);
  next.phase = 'done';
  const ok = event.status === 'success';
  const error = isObj(event.error) ? event.error : {};
  const errorType = clean(str(error.type) ?? '');
  const errorMessage = firstLine(str(error.message) ?? '', DETAIL_MAX);
  const stats = isObj(event.stats) ? event.stats : {};
  const total = num(stats.total_tokens);
  const tokens: TokenCounts | null =
    total === null ? null : { input: num(stats.input_tokens) ?? 0, output: num(stats.output_tokens) ?? 0, cached: num(stats.cached) ?? 0, total };
  const errors = [...(errorMessage ? [errorMessage] : []), ...next.errorLines];
  next.result = {
    ok,
    subtype: ok ? 'success' : errorType || 'error',
    // the client gives no result text: the answer of the last model turn is the run's word
    text: next.inTurn ? next.answer : '',
    costUsd: null,
    runCostUsd: null,
    errors,
    turns: next.turns,
    durationMs: num(stats.duration_ms),
    permissionDenials: next.denials,
    tokens,
  };
  for (const d of next.denials) shown.push(`⊘ refused ${d.tool}${d.detail ? `: ${d.detail}` : ''}`);
  if (!ok) {
    shown.push(`✗ ${errorType || 'error'}`);
    if (errorMessage) shown.push(`  ${errorMessage}`);
  }
}

/** What a tool call does: the first string of its parameters' telling keys, one line, ≤120 chars. */
function describe(input: unknown): string {
  if (!isObj(input)) return '';
  for (const key of DETAIL_KEYS) {
    const value = input[key];
    if (typeof value === 'string' && value.trim()) return firstLine(value, DETAIL_MAX);
  }
  return '';
}
