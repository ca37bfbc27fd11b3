// Codex's headless mode (`codex exec --json [resume ID] -- PROMPT`), read one stdout line at a time:
// the facts of the run (phase, thread, result, tokens) and a readable rendering of each event for the
// agent's window and log. Pure.
//
// The shapes, as Codex 0.171.0 writes them (recorded: test/fixtures/events/codex-exec*.jsonl): one
// JSON object per line with `type`. `thread.started` {thread_id} (the only place the id appears; the
// same id again when resumed), `turn.started`, `item.started` / `item.updated` / `item.completed`
// {item: {id, type, …}} where type is agent_message {text}, reasoning {text}, command_execution
// {command, aggregated_output, exit_code, status}, file_change {changes: [{path, kind}], status},
// mcp_tool_call {server, tool, status}, web_search {query}, todo_list {items}, or error {message} (a
// warning: the run goes on); the turn ends with `turn.completed` {usage: {input_tokens,
// cached_input_tokens, cache_write_input_tokens, output_tokens, reasoning_output_tokens}} — the
// thread's totals so far, not the turn's: a resumed thread's first turn reports what the runs before
// it used too — or
// `turn.failed` {error: {message}}, a failure preceded by a top-level `error` {message}. No cost, no
// duration, and a command refused for want of approval shows only on stderr (`ERROR
// codex_core::tools::router: … approval policy is Never`), never as an event.
import type { RunFacts, RunResult } from '../facts.js';
import { clean, firstLine, lastLine, LINE_MAX, textLines } from '../text.js';
import { isThreadId } from './args.js';

export { lastLineOf } from '../facts.js';

const DETAIL_MAX = 120;

/**
 * Token counts as `turn.completed` reports them: the thread's totals so far (a resumed thread's
 * include its earlier runs; what one run used is the difference to the totals before it).
 */
export interface RunTokens {
  input: number;
  cachedInput: number;
  output: number;
  reasoningOutput: number;
}

/** RunFacts with what Codex reports besides: the last agent message whole, and the tokens. */
export interface CodexFacts extends RunFacts {
  /** the last agent_message's text, whole (the result's text) */
  lastMessage?: string;
  /** the thread's token totals at its last completed turn */
  tokens?: RunTokens;
  /** top-level `error` events' messages since the last turn ended */
  errors?: string[];
}

/** RunResult with the thread's token totals (null: no turn completed). */
export interface CodexResult extends RunResult {
  tokens: RunTokens | null;
}

export function emptyFacts(): CodexFacts {
  return { phase: 'starting', lastText: '', toolCalls: 0 };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/**
 * Read one line of output. Returns new facts (the input is not changed), the readable lines to show for
 * it (may be empty), and whether anything a status reader cares about changed (phase, sessionId, result).
 * A line that is not a JSON object is shown as it is and changes nothing; a blank line shows nothing.
 */
export function readEvent(facts: RunFacts, line: string): { facts: CodexFacts; shown: string[]; changed: boolean } {
  const before = facts as CodexFacts;
  const raw = typeof line === 'string' ? line.replace(/\s+$/, '') : '';
  const event = parseObject(raw);
  if (event === undefined) return { facts: before, shown: raw.trim() ? [raw] : [], changed: false };
  if (event === null) return { facts: before, shown: [], changed: false };

  const next: CodexFacts = { ...before };
  const shown: string[] = [];
  try {
    switch (event.type) {
      case 'thread.started': {
        const id = str(event.thread_id);
        if (isThreadId(id)) next.sessionId = id; // a value of another shape never reaches `resume`
        shown.push(`▶ ${id ? `thread ${clean(id).slice(0, 8)}` : 'started'}`);
        break;
      }
      case 'turn.started':
        next.phase = 'busy';
        next.errors = [];
        break;
      case 'item.started':
      case 'item.updated':
      case 'item.completed':
        readItem(event.type, isObj(event.item) ? event.item : {}, next, shown);
        break;
      case 'turn.completed':
        next.tokens = tokensOf(isObj(event.usage) ? event.usage : {});
        endTurn(next, true, []);
        break;
      case 'turn.failed': {
        const error = isObj(event.error) ? str(event.error.message) : undefined;
        const errors = [...(before.errors ?? [])];
        const said = error ? firstLine(error, DETAIL_MAX) : '';
        if (said && !errors.includes(said)) errors.push(said);
        endTurn(next, false, errors);
        shown.push(`✗ turn failed${said ? `: ${said}` : ''}`);
        break;
      }
      case 'error': {
        const message = firstLine(str(event.message) ?? '', DETAIL_MAX);
        if (message) next.errors = [...(before.errors ?? []), message];
        break;
      }
      default:
      // events of a later version: nothing to show
    }
  } catch {
    // a shape nobody foresaw: keep what was read so far
  }
  const changed = next.phase !== before.phase || next.sessionId !== before.sessionId || next.result !== before.result;
  return { facts: next, shown, changed };
}

function endTurn(next: CodexFacts, ok: boolean, errors: string[]): void {
  const turns = (next.result?.turns ?? 0) + 1;
  next.phase = 'done';
  next.errors = [];
  const result: CodexResult = {
    ok,
    subtype: ok ? 'success' : 'error',
    text: ok ? (next.lastMessage ?? '') : '',
    costUsd: null,
    runCostUsd: null,
    errors,
    turns,
    durationMs: null,
    permissionDenials: [],
    tokens: next.tokens ?? null,
  };
  next.result = result;
}

function tokensOf(usage: Obj): RunTokens {
  return {
    input: count(usage.input_tokens),
    cachedInput: count(usage.cached_input_tokens),
    output: count(usage.output_tokens),
    reasoningOutput: count(usage.reasoning_output_tokens),
  };
}

function readItem(type: string, item: Obj, next: CodexFacts, shown: string[]): void {
  next.phase = 'busy';
  const completed = type === 'item.completed';
  switch (item.type) {
    case 'agent_message': {
      const text = str(item.text);
      if (!completed || !text?.trim()) return;
      shown.push(...textLines(text));
      next.lastMessage = text;
      next.lastText = lastLine(text, LINE_MAX);
      return;
    }
    case 'command_execution': {
      const command = unwrapShell(str(item.command) ?? '');
      // shown (and counted) when it starts; when it ends, only a failure is news
      if (type === 'item.started') {
        next.toolCalls += 1;
        shown.push(`⚙ $ ${firstLine(command, DETAIL_MAX)}`);
      } else if (completed && typeof item.exit_code === 'number' && item.exit_code !== 0) {
        const out = firstLine(str(item.aggregated_output) ?? '', DETAIL_MAX);
        shown.push(`  ✗ exit ${item.exit_code}${out ? `: ${out}` : ''}`);
      }
      return;
    }
    case 'file_change': {
      if (!completed) return;
      next.toolCalls += 1;
      const changes = Array.isArray(item.changes) ? item.changes.filter(isObj) : [];
      for (const c of changes) shown.push(`✎ ${clean(str(c.kind) ?? 'change')} ${firstLine(str(c.path) ?? '', DETAIL_MAX)}`);
      if (item.status === 'failed') shown.push('  ✗ patch failed');
      return;
    }
    case 'mcp_tool_call': {
      if (type !== 'item.started') return;
      next.toolCalls += 1;
      shown.push(`⚙ ${clean(str(item.server) ?? 'mcp')}.${clean(str(item.tool) ?? 'tool')}`);
      return;
    }
    case 'web_search': {
      if (!completed) return;
      next.toolCalls += 1;
      shown.push(`⚙ web search: ${firstLine(str(item.query) ?? '', DETAIL_MAX)}`);
      return;
    }
    case 'error': {
      const message = firstLine(str(item.message) ?? '', DETAIL_MAX);
      if (completed && message) shown.push(`⚠ ${message}`);
      return;
    }
    default:
    // reasoning, todo_list, later types: nothing
  }
}

/** `/bin/bash -lc 'cmd'` (how Codex shows the commands it runs) as `cmd`. */
export function unwrapShell(command: string): string {
  const m = /^\S*\/(?:ba|z|da)?sh -l?c '((?:[^']|'\\'')*)'$/s.exec(command);
  return m ? m[1]!.replace(/'\\''/g, "'") : command;
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

/**
 * The line that ends a run in the window: `── ✓ done · 1 turn · 7,099 in · 38 out tokens` (the
 * thread's totals),
 * `── ✗ error · exit 1 · 1 turn`, or when no turn ended: `── ✗ ended without a result (exit 1)`.
 */
export function summaryLine(facts: RunFacts, exit: { code: number | null; signal: string | null }): string {
  const how = exit.signal ? `signal ${exit.signal}` : exit.code !== null ? `exit ${exit.code}` : '';
  const r = facts.result;
  if (!r) return `── ✗ ended without a result${how ? ` (${how})` : ''}`;
  const parts = [r.ok ? '✓ done' : `✗ ${r.subtype === 'success' ? 'error' : r.subtype}`];
  if (exit.signal || (exit.code !== null && exit.code !== 0)) parts.push(how);
  if (r.turns !== null) parts.push(`${r.turns} ${r.turns === 1 ? 'turn' : 'turns'}`);
  const tokens = (facts as CodexFacts).tokens;
  if (tokens) parts.push(`${tokens.input.toLocaleString('en-US')} in · ${tokens.output.toLocaleString('en-US')} out tokens`);
  return `── ${parts.join(' · ')}`;
}
