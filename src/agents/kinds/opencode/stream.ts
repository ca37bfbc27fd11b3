// OpenCode's headless mode (`opencode run --format json … -- WORDS`), read one stdout line at a time:
// the facts of the run and a readable rendering of each event for the agent's window and log. Pure.
//
// The shapes, as opencode-ai 1.18.33 writes them (recorded: test/fixtures/events/opencode-run*.jsonl):
// one JSON object per line with `type`, `timestamp` (epoch ms) and `sessionID`; `part` holds the
// session's message part. A step is one model request:
//   {"type":"step_start", part:{type:"step-start", snapshot}}
//   {"type":"text", part:{type:"text", text}}                         (the whole text, once it is done)
//   {"type":"reasoning", part:{type:"reasoning", text}}              (only with --thinking)
//   {"type":"tool_use", part:{type:"tool", tool, callID, state:{status:"completed"|"error", input,
//     output | error, title?, metadata?}}}
//   {"type":"step_finish", part:{type:"step-finish", reason:"stop"|"tool-calls"|"length"|…,
//     tokens:{total,input,output,reasoning,cache:{read,write}}, cost}}   (cost: USD, 0 when unpriced)
//   {"type":"error", error:{name:"APIError"|…, data:{message, statusCode?…}}}   (then exit 1)
// There is no closing `result` line: a run's last step ends with reason `stop`, and the program exits
// at once. A permission that asks is rejected in `run` (without --auto): its tool_use comes back with
// status "error" and error "The user rejected permission to use this specific tool call.", the step
// ends with reason `tool-calls`, and the run ends there, exit 0 (see `settle`).
import type { Denial, RunFacts } from '../facts.js';
import { lastLineOf, summaryLine } from '../facts.js';
import { clean, firstLine, lastLine, LINE_MAX, textLines } from '../text.js';
import { isOpenCodeSessionId } from './ids.js';

export interface TokenCounts {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * RunFacts with what OpenCode tells besides (RunFacts has no place for them yet): the tokens of the
 * run's steps, summed, and the text of the step being read (the result's text once it ends).
 */
export interface OpenCodeRunFacts extends RunFacts {
  tokens?: TokenCounts;
  /** the session the run's own events carry (a subagent's lines carry another) */
  mainSession?: string;
  /** steps ended (step_finish lines of the main session) */
  steps: number;
  /** the current step's text so far */
  stepText: string;
  /** cost of the steps, summed; null while none reported one */
  cost: number | null;
  /** timestamp of the first event, and of the latest */
  firstAt?: number;
  lastAt?: number;
  denials: Denial[];
}

const DETAIL_MAX = 120;
const DETAIL_KEYS = ['command', 'filePath', 'file_path', 'path', 'pattern', 'url', 'description', 'prompt'];
/** what `run` says of a permission it rejected (1.18.33) */
const REJECTED = /rejected permission/i;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function emptyFacts(): OpenCodeRunFacts {
  return { phase: 'starting', lastText: '', toolCalls: 0, steps: 0, stepText: '', cost: null, denials: [] };
}

/** The OpenCode facts of RunFacts made elsewhere (another reader's, or an older record): the missing fields filled in. */
function widen(facts: RunFacts): OpenCodeRunFacts {
  const f = facts as Partial<OpenCodeRunFacts> & RunFacts;
  return { steps: 0, stepText: '', cost: null, denials: [], ...f };
}

/**
 * Read one line of output. Returns new facts (the input is not changed), the readable lines to show
 * for it (may be empty), and whether anything a status reader cares about changed (phase, sessionId,
 * result). A line that is not a JSON object is shown as it is (its stderr's warnings) and changes
 * nothing; a blank line shows nothing.
 */
export function readEvent(facts: RunFacts, line: string): { facts: OpenCodeRunFacts; shown: string[]; changed: boolean } {
  const before = widen(facts);
  const raw = typeof line === 'string' ? line.replace(/\s+$/, '') : '';
  const event = parseObject(raw);
  if (event === undefined) return { facts: before, shown: raw.trim() ? [raw] : [], changed: false };
  if (event === null) return { facts: before, shown: [], changed: false };

  const next: OpenCodeRunFacts = { ...before };
  const shown: string[] = [];
  try {
    const sid = str(event.sessionID);
    const at = num(event.timestamp);
    const valid = isOpenCodeSessionId(sid);
    if (valid && !next.mainSession) {
      next.mainSession = sid;
      next.sessionId = sid;
      shown.push(`▶ session ${sid}`);
    }
    // a subagent's session (the task tool): shown indented, never the run's facts
    const sub = valid && sid !== next.mainSession;
    if (at !== null && !sub) {
      next.firstAt ??= at;
      next.lastAt = at;
    }
    const part = isObj(event.part) ? event.part : {};
    switch (event.type) {
      case 'step_start':
        if (sub) break;
        if (next.phase === 'starting') next.phase = 'busy';
        next.stepText = '';
        break;
      case 'text':
        readText(part, sub, next, shown);
        break;
      case 'tool_use':
        readTool(part, sub, next, shown);
        break;
      case 'step_finish':
        if (!sub) readStepFinish(part, next);
        break;
      case 'error':
        if (!sub) readError(event, next, shown);
        break;
      default:
      // reasoning (--thinking), and types to come: nothing to show
    }
  } catch {
    // a shape nobody foresaw: keep what was read so far
  }
  const changed = next.phase !== before.phase || next.sessionId !== before.sessionId || next.result !== before.result;
  return { facts: next, shown, changed };
}

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

function readText(part: Obj, sub: boolean, next: OpenCodeRunFacts, shown: string[]): void {
  const text = str(part.text);
  if (!text?.trim()) return;
  const indent = sub ? '  ' : '';
  for (const l of textLines(text)) shown.push(indent + l);
  if (sub) return;
  if (next.phase === 'starting') next.phase = 'busy';
  next.lastText = lastLine(text, LINE_MAX);
  next.stepText = next.stepText ? `${next.stepText}\n${text}` : text;
}

function readTool(part: Obj, sub: boolean, next: OpenCodeRunFacts, shown: string[]): void {
  const indent = sub ? '  ' : '';
  const name = clean(str(part.tool) ?? '') || 'tool';
  const state = isObj(part.state) ? part.state : {};
  const detail = describeInput(state.input);
  next.toolCalls += 1;
  if (!sub && next.phase === 'starting') next.phase = 'busy';
  shown.push(`${indent}⚙ ${name}${detail ? `: ${detail}` : ''}`);
  if (state.status !== 'error') return;
  const error = str(state.error) ?? '';
  if (REJECTED.test(error)) {
    if (!sub) next.denials = [...next.denials, { tool: name, detail }];
    shown.push(`${indent}⊘ denied ${name}${detail ? `: ${detail}` : ''}`);
  } else {
    shown.push(`${indent}  ✗ ${firstLine(error, DETAIL_MAX) || 'tool failed'}`);
  }
}

function readStepFinish(part: Obj, next: OpenCodeRunFacts): void {
  next.steps += 1;
  const t = isObj(part.tokens) ? part.tokens : null;
  if (t) {
    const cache = isObj(t.cache) ? t.cache : {};
    const was = next.tokens ?? { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
    next.tokens = {
      input: was.input + (num(t.input) ?? 0),
      output: was.output + (num(t.output) ?? 0),
      reasoning: was.reasoning + (num(t.reasoning) ?? 0),
      cacheRead: was.cacheRead + (num(cache.read) ?? 0),
      cacheWrite: was.cacheWrite + (num(cache.write) ?? 0),
    };
  }
  const cost = num(part.cost);
  if (cost !== null) next.cost = (next.cost ?? 0) + cost;
  const reason = str(part.reason) ?? '';
  // a step that called tools is followed by another, unless the run ends there (a rejected permission: see settle)
  if (reason === 'tool-calls' || reason === '') return;
  next.phase = 'done';
  next.result = resultOf(next, reason === 'stop', reason === 'stop' ? 'success' : clean(reason).slice(0, 40), []);
}

function readError(event: Obj, next: OpenCodeRunFacts, shown: string[]): void {
  const error = isObj(event.error) ? event.error : {};
  const data = isObj(error.data) ? error.data : {};
  const name = clean(str(error.name) ?? '').slice(0, 40) || 'error';
  const message = firstLine(str(data.message) ?? str(error.message) ?? '', DETAIL_MAX);
  next.phase = 'done';
  next.result = resultOf(next, false, name, message ? [message] : []);
  shown.push(`✗ ${name}${message ? `: ${message}` : ''}`);
}

function resultOf(f: OpenCodeRunFacts, ok: boolean, subtype: string, errors: string[]): NonNullable<RunFacts['result']> {
  return {
    ok,
    subtype,
    text: ok ? f.stepText : '',
    // the steps' costs are this run's own; OpenCode gives no session total in its events
    costUsd: null,
    runCostUsd: f.cost,
    errors,
    turns: f.steps,
    durationMs: f.firstAt !== undefined && f.lastAt !== undefined ? Math.max(0, f.lastAt - f.firstAt) : null,
    permissionDenials: f.denials,
  };
}

/**
 * The facts once the program has exited: a run that ended without its closing step (a rejected
 * permission ends it after a `tool-calls` step, exit 0) gets its result from the exit status. A run
 * with a result, or one that never began, is left as it is.
 */
export function settle(facts: RunFacts, exit: { code: number | null; signal: string | null }): OpenCodeRunFacts {
  const f = widen(facts);
  if (f.result || f.phase === 'starting' || f.steps === 0) return f;
  const ok = exit.code === 0 && !exit.signal;
  const how = exit.signal ? `signal ${exit.signal}` : `exit ${exit.code}`;
  return { ...f, phase: 'done', result: resultOf(f, ok, ok ? 'success' : 'error_during_execution', ok ? [] : [`ended after ${f.steps} steps (${how})`]) };
}

/** The window's last line when the program ended (facts.ts's, on the settled facts). */
export function summary(facts: RunFacts, exit: { code: number | null; signal: string | null }): string {
  return summaryLine(settle(facts, exit), exit);
}

export { lastLineOf };

function describeInput(input: unknown): string {
  if (!isObj(input)) return '';
  for (const key of DETAIL_KEYS) {
    const value = input[key];
    if (typeof value === 'string' && value.trim()) return firstLine(value, DETAIL_MAX);
  }
  return '';
}
