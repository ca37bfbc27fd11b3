// What a headless run's events say, whatever the client: its phase, session, result and figures,
// and the lines that end it in the window. The kinds' event readers (claude/stream.ts …) fill these in.
import { lastLine, LINE_MAX } from './text.js';

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
