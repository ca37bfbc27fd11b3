// The last thing the agent said, from Gemini CLI's transcript (the `transcript_path` its hooks name:
// ~/.gemini/tmp/<folder>/chats/session-<time>-<id>.jsonl). Pure.
//
// The file (0.61.0) is JSON lines: a header `{sessionId, projectHash, startTime, kind}`, then one line
// per message `{id, timestamp, type, content, …}` — type `user`, `gemini` (the model: `content` a
// string or a list of `{text}` parts, `toolCalls: [{name, args, …}]` when it called tools), `info`
// ("Request cancelled.") … — and `{"$set": {…}}` lines that update the session (sometimes its whole
// `messages` list). The answer there is exact, unlike AfterAgent's `prompt_response`, which joins the
// streamed pieces with spaces and repeats some (seen: "…answer to split. ni API, in a long enough
// answer to split.").
import { lastLine, LINE_MAX, firstLine } from '../text.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const DETAIL_KEYS = ['command', 'file_path', 'dir_path', 'pattern', 'query', 'url', 'description'];

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((p): p is Obj => isObj(p) && typeof p.text === 'string' && p.thought !== true)
    .map((p) => p.text as string)
    .join('');
}

/** The line a model message stands for: its text's last line, else its last tool call; '' for other messages. */
function lineOfMessage(m: unknown): string {
  if (!isObj(m) || m.type !== 'gemini') return '';
  const said = lastLine(textOf(m.content), LINE_MAX);
  if (said) return said;
  const calls = Array.isArray(m.toolCalls) ? m.toolCalls.filter(isObj) : [];
  const call = calls[calls.length - 1];
  if (!call || typeof call.name !== 'string') return '';
  const args = isObj(call.args) ? call.args : {};
  const key = DETAIL_KEYS.find((k) => typeof args[k] === 'string' && (args[k] as string).trim());
  return firstLine(key ? `${call.name}: ${String(args[key])}` : call.name, LINE_MAX);
}

/** The last model text (or tool call) in the tail of a Gemini CLI transcript; '' when none. */
export function lastTranscriptLine(tail: string): string {
  const lines = tail.split('\n').filter((l) => l.trim().startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    let entry: unknown;
    try {
      entry = JSON.parse(lines[i]!);
    } catch {
      continue; // a line cut by the tail (or not JSON): try the one before
    }
    if (!isObj(entry)) continue;
    const set = isObj(entry.$set) ? entry.$set : undefined;
    const messages = set && Array.isArray(set.messages) ? set.messages : [entry];
    for (let j = messages.length - 1; j >= 0; j--) {
      const line = lineOfMessage(messages[j]);
      if (line) return line;
    }
  }
  return '';
}
