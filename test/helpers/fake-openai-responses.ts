// A fake OpenAI Responses API for driving the real Codex CLI offline (see test/helpers/codex.ts).
//
// `POST /v1/responses` answers from a script the test sets, streamed as server-sent events the way
// the API does: `response.created`, `response.in_progress`, then per output item
// `response.output_item.added` … `response.output_item.done` (a message's text as
// `response.output_text.delta`s, a function call's arguments as `response.function_call_arguments.delta`s),
// and `response.completed` carrying the usage. Each request of the main conversation takes the next
// reply. Codex's side request, the thread title the TUI asks for beside the first turn (a structured
// output whose JSON schema has a `title`; it offers only apply_patch, or no tools at all), gets
// `{"title": …}` and does not use up the script: had it taken a scripted tool call, the title agent
// would have answered it ("unsupported call: exec_command") and the conversation lost it. Anything
// else gets an empty 200 (GET/HEAD) or 404. Every request is recorded for assertions.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply = (
  | { text: string }
  /**
   * A function call, by default Codex's shell tool `exec_command` with `{cmd, …}`; `text` is said
   * before it (a message item first).
   */
  | { call: { name?: string; args: Record<string, unknown>; callId?: string }; text?: string }
  /** a call of a freeform (custom) tool, by default `apply_patch` with a patch as its input */
  | { custom: { name?: string; input: string; callId?: string }; text?: string }
  /** answer with an HTTP error (e.g. 500) */
  | { error: { status: number; message: string; type?: string } }
) & {
  /** hold the answer this long after `response.created`, so the client shows itself busy */
  delayMs?: number;
  /** the usage `response.completed` reports (default: counted roughly from the request and the answer) */
  usage?: Usage;
};

export interface Usage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** 'main' (took a scripted reply), 'side' (the thread title) or 'other' (not /v1/responses) */
  role: 'main' | 'side' | 'other';
  at: number;
}

export interface FakeResponses {
  /** `http://127.0.0.1:PORT/v1`: the provider's base_url (Codex appends `/responses`) */
  baseUrl: string;
  port: number;
  /** every request so far, in arrival order */
  requests: RecordedRequest[];
  /** main-conversation requests only */
  mainRequests(): RecordedRequest[];
  /** replace the script (replies not yet used are dropped) */
  script(replies: Reply[]): void;
  /** append to the script */
  push(...replies: Reply[]): void;
  /** scripted replies not yet used */
  remaining(): number;
  /** the traffic as short lines, for a failure message */
  traffic(): string;
  close(): Promise<void>;
}

/** What a main request gets once the script is used up. */
const FALLBACK: Reply = { text: '(fake-openai-responses: script exhausted)' };
export const SIDE_TITLE = 'Fake thread title';
export const FAKE_OPENAI_KEY = 'sk-treemux-fake-openai-key-0123456789abcdef';

interface ResponsesBody {
  model?: string;
  stream?: boolean;
  tools?: unknown[];
  input?: unknown[];
  instructions?: string;
  text?: { format?: { type?: string; name?: string; schema?: { properties?: Record<string, unknown> } } };
}

/** The thread-title request: structured output asking for a `title`, or no tools offered. */
function isSideRequest(b: ResponsesBody): boolean {
  const format = b.text?.format;
  if (format?.type === 'json_schema' && format.schema?.properties && 'title' in format.schema.properties) return true;
  return !Array.isArray(b.tools) || b.tools.length === 0;
}

let ids = 0;
const nextId = (prefix: string) => `${prefix}_fake${Date.now().toString(36)}${(ids++).toString(36).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The output items of a reply, as `response.output_item.done` carries them. */
function itemsOf(reply: Reply): Array<Record<string, unknown>> {
  if ('error' in reply) return [];
  const items: Array<Record<string, unknown>> = [];
  const message = (text: string) => ({
    type: 'message',
    id: nextId('msg'),
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  });
  if ('custom' in reply) {
    if (reply.text) items.push(message(reply.text));
    items.push({
      type: 'custom_tool_call',
      id: nextId('ctc'),
      status: 'completed',
      call_id: reply.custom.callId ?? nextId('call'),
      name: reply.custom.name ?? 'apply_patch',
      input: reply.custom.input,
    });
  } else if ('call' in reply) {
    if (reply.text) items.push(message(reply.text));
    items.push({
      type: 'function_call',
      id: nextId('fc'),
      status: 'completed',
      call_id: reply.call.callId ?? nextId('call'),
      name: reply.call.name ?? 'exec_command',
      arguments: JSON.stringify(reply.call.args),
    });
  } else {
    items.push(message(reply.text));
  }
  return items;
}

function roughUsage(body: ResponsesBody, items: unknown[]): Usage {
  const input = Math.max(1, Math.round(JSON.stringify(body.input ?? []).length / 4));
  const output = Math.max(1, Math.round(JSON.stringify(items).length / 4));
  return { input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + output };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const data = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), 'x-request-id': nextId('req') });
  res.end(data);
}

async function answer(res: ServerResponse, body: ResponsesBody, reply: Reply): Promise<void> {
  if ('error' in reply) {
    if (reply.delayMs) await sleep(reply.delayMs);
    sendJson(res, reply.error.status, { error: { type: reply.error.type ?? 'server_error', message: reply.error.message, code: null, param: null } });
    return;
  }
  const model = body.model ?? 'gpt-fake';
  const id = nextId('resp');
  const created = Math.floor(Date.now() / 1000);
  const response = (status: string, output: unknown[], usage: Usage | null) => ({
    id,
    object: 'response',
    created_at: created,
    status,
    model,
    output,
    usage,
  });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': nextId('req') });
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
  ev('response.created', { response: response('in_progress', [], null) });
  ev('response.in_progress', { response: response('in_progress', [], null) });
  if (reply.delayMs) {
    // comments keep the connection visibly alive while "thinking"
    const end = Date.now() + reply.delayMs;
    while (Date.now() < end && !res.destroyed) {
      res.write(': keep-alive\n\n');
      await sleep(Math.min(500, end - Date.now()));
    }
  }
  const items = itemsOf(reply);
  items.forEach((item, index) => {
    if (item.type === 'message') {
      const text = String((item.content as Array<{ text: string }>)[0]!.text);
      ev('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', content: [] } });
      ev('response.content_part.added', { item_id: item.id, output_index: index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
      // a few deltas, as the real API streams words
      for (const part of text.match(/.{1,24}/gsu) ?? ['']) ev('response.output_text.delta', { item_id: item.id, output_index: index, content_index: 0, delta: part });
      ev('response.output_text.done', { item_id: item.id, output_index: index, content_index: 0, text });
      ev('response.content_part.done', { item_id: item.id, output_index: index, content_index: 0, part: { type: 'output_text', text, annotations: [] } });
    } else if (item.type === 'custom_tool_call') {
      const input = String(item.input);
      ev('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', input: '' } });
      ev('response.custom_tool_call_input.delta', { item_id: item.id, output_index: index, delta: input });
      ev('response.custom_tool_call_input.done', { item_id: item.id, output_index: index, input });
    } else {
      const args = String(item.arguments);
      ev('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', arguments: '' } });
      const cut = Math.floor(args.length / 2);
      for (const part of [args.slice(0, cut), args.slice(cut)]) ev('response.function_call_arguments.delta', { item_id: item.id, output_index: index, delta: part });
      ev('response.function_call_arguments.done', { item_id: item.id, output_index: index, arguments: args });
    }
    ev('response.output_item.done', { output_index: index, item });
  });
  ev('response.completed', { response: response('completed', items, reply.usage ?? roughUsage(body, items)) });
  res.end();
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** The text of the user's messages in a recorded request's input, in order. */
export function userTexts(req: RecordedRequest | undefined): string[] {
  const input = ((req?.body ?? {}) as ResponsesBody).input ?? [];
  return input.flatMap((item) => {
    const it = item as { type?: string; role?: string; content?: Array<{ type?: string; text?: string }> };
    if (it.role !== 'user' || !Array.isArray(it.content)) return [];
    return it.content.filter((c) => c.type === 'input_text' && typeof c.text === 'string').map((c) => c.text!);
  });
}

/** The outputs of tool calls a recorded request sends back (`function_call_output`, `custom_tool_call_output`), by call id. */
export function callOutputs(req: RecordedRequest | undefined): Record<string, string> {
  const input = ((req?.body ?? {}) as ResponsesBody).input ?? [];
  const out: Record<string, string> = {};
  for (const item of input) {
    const it = item as { type?: string; call_id?: string; output?: unknown };
    if ((it.type === 'function_call_output' || it.type === 'custom_tool_call_output') && typeof it.call_id === 'string') out[it.call_id] = typeof it.output === 'string' ? it.output : JSON.stringify(it.output);
  }
  return out;
}

export async function startFakeResponses(replies: Reply[] = []): Promise<FakeResponses> {
  let queue = [...replies];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = (req.url ?? '/').split('?')[0]!;
      const rec: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, role: 'other', at: Date.now() };
      requests.push(rec);
      if (req.method === 'POST' && path === '/v1/responses') {
        const b = (body ?? {}) as ResponsesBody;
        if (isSideRequest(b)) {
          rec.role = 'side';
          await answer(res, b, { text: JSON.stringify({ title: SIDE_TITLE }) });
        } else {
          rec.role = 'main';
          await answer(res, b, queue.shift() ?? FALLBACK);
        }
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        sendJson(res, 200, { object: 'list', data: [], models: [] });
      } else {
        sendJson(res, 404, { error: { type: 'invalid_request_error', message: `fake-openai-responses: no ${req.method} ${path}`, code: null, param: null } });
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { type: 'server_error', message: String(err), code: null, param: null } });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    mainRequests: () => requests.filter((r) => r.role === 'main'),
    script(r) {
      queue = [...r];
    },
    push(...r) {
      queue.push(...r);
    },
    remaining: () => queue.length,
    traffic: () =>
      requests
        .map((r) => {
          const b = (r.body ?? {}) as ResponsesBody;
          const tools = Array.isArray(b.tools) ? ` tools=${b.tools.length}` : '';
          return `${new Date(r.at).toISOString().slice(11, 23)} ${r.method} ${r.path} (${r.role})${tools} input=${Array.isArray(b.input) ? b.input.length : '-'}`;
        })
        .join('\n'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
