// The last thing a Codex agent said or did, from the tail of its rollout file (the `transcript_path`
// of its hook events: CODEX_HOME/sessions/YYYY/MM/DD/rollout-…-<thread id>.jsonl). Pure.
//
// Each line (0.171.0) is {timestamp, ordinal, type, payload}. The conversation is in the
// `response_item` lines: payload {type: "message", role: "assistant", content: [{type: "output_text",
// text}]}, {type: "function_call", name: "exec_command", arguments: "{\"cmd\":…}"}, {type:
// "custom_tool_call", name: "apply_patch", input: "*** Begin Patch…"}; an `event_msg` line with payload
// {type: "task_complete", last_agent_message} ends a turn, {type: "turn_aborted"} an interrupted one.
import { lastLine, LINE_MAX } from '../text.js';

const lastLineOfText = (text: string): string => lastLine(text, LINE_MAX);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The last assistant text or tool call of a rollout's tail; '' when none. */
export function lastRolloutLine(tail: string): string {
  const lines = tail.split('\n').filter((l) => l.trim().startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    let entry: unknown;
    try {
      entry = JSON.parse(lines[i]!);
    } catch {
      continue; // a line cut by the tail (or not JSON): try the one before
    }
    if (!isObj(entry) || entry.type !== 'response_item' || !isObj(entry.payload)) continue;
    const said = lineOf(entry.payload);
    if (said) return said;
  }
  return '';
}

function lineOf(p: Obj): string {
  if (p.type === 'message' && p.role === 'assistant' && Array.isArray(p.content)) {
    const text = p.content
      .filter((c): c is Obj => isObj(c) && c.type === 'output_text' && typeof c.text === 'string')
      .map((c) => c.text as string)
      .join('\n');
    return text.trim() ? lastLineOfText(text) : '';
  }
  if (p.type === 'function_call' && typeof p.name === 'string') {
    let detail = '';
    try {
      const args = JSON.parse(String(p.arguments ?? '{}')) as Obj;
      detail = typeof args.cmd === 'string' ? args.cmd : typeof args.command === 'string' ? args.command : '';
    } catch {
      // arguments that are not JSON: the name alone
    }
    return lastLineOfText(detail ? `${p.name}: ${detail.split('\n')[0]}` : p.name);
  }
  if (p.type === 'custom_tool_call' && typeof p.name === 'string') {
    const input = typeof p.input === 'string' ? p.input : '';
    const file = /^\*\*\* (?:Add|Update|Delete) File: (.+)$/m.exec(input)?.[1];
    return lastLineOfText(file ? `${p.name}: ${file}` : p.name);
  }
  return '';
}
