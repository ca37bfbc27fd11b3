// A fake OpenAI-compatible Chat Completions API for driving real clients offline (OpenCode's bundled
// `@ai-sdk/openai-compatible` provider).
//
// `POST /v1/chat/completions` answers from a script the test sets: each request of the main
// conversation (one that offers tools) takes the next reply, streamed as server-sent events
// (`chat.completion.chunk` deltas, a last chunk with `finish_reason` `stop` or `tool_calls`, a usage
// chunk, `data: [DONE]`) when the request asks for `stream: true`, else as one `chat.completion`.
// Side requests (a session title from the small model: no tools offered) get a short harmless text
// and do not use up the script. `GET /v1/models` lists the models asked about; anything else gets 404.
// Every request is recorded for assertions and failure messages.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChatReply = (
  | { text: string }
  /** a function call; `text` before it when given */
  | { toolCall: { name: string; arguments: Record<string, unknown>; id?: string }; text?: string }
  /** answer with an HTTP error (e.g. 500) */
  | { error: { status: number; message: string } }
) & {
  /** hold the answer this long (streaming: after the first, role-only chunk), so the client shows itself busy */
  delayMs?: number;
};

export interface ChatRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** 'main' (took a scripted reply), 'side' (no tools: a title) or 'other' (not chat/completions) */
  role: 'main' | 'side' | 'other';
  at: number;
}

export interface FakeOpenAIChat {
  /** `http://127.0.0.1:PORT/v1`: what a client's baseURL is set to */
  baseURL: string;
  port: number;
  requests: ChatRequest[];
  mainRequests(): ChatRequest[];
  script(replies: ChatReply[]): void;
  push(...replies: ChatReply[]): void;
  remaining(): number;
  /** the traffic as short lines, for a failure message */
  traffic(): string;
  close(): Promise<void>;
}

const FALLBACK: ChatReply = { text: '(fake-openai-chat: script exhausted)' };
/** What a side request (the session title) gets. */
export const SIDE_TEXT = 'Fake session title';
export const FAKE_OPENAI_KEY = 'sk-treemux-fake-0123456789abcdef';

interface ChatBody {
  model?: string;
  stream?: boolean;
  tools?: unknown[];
  messages?: unknown[];
}

let ids = 0;
const nextId = (prefix: string) => `${prefix}_fake${Date.now().toString(36)}${(ids++).toString(36).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function usage(body: ChatBody, outTokens: number) {
  const prompt = Math.max(1, Math.round(JSON.stringify(body.messages ?? []).length / 4));
  return { prompt_tokens: prompt, completion_tokens: outTokens, total_tokens: prompt + outTokens };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const data = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

async function answer(res: ServerResponse, body: ChatBody, reply: ChatReply): Promise<void> {
  if (reply.delayMs && !body.stream) await sleep(reply.delayMs);
  if ('error' in reply) {
    sendJson(res, reply.error.status, { error: { message: reply.error.message, type: 'server_error', code: null } });
    return;
  }
  const id = nextId('chatcmpl');
  const model = body.model ?? 'fake-model';
  const created = Math.floor(Date.now() / 1000);
  const text = 'toolCall' in reply ? (reply.text ?? '') : reply.text;
  const call = 'toolCall' in reply ? { id: reply.toolCall.id ?? nextId('call'), name: reply.toolCall.name, args: JSON.stringify(reply.toolCall.arguments) } : undefined;
  const finish = call ? 'tool_calls' : 'stop';
  const outTokens = Math.max(1, Math.round((text.length + (call?.args.length ?? 0)) / 4));
  if (!body.stream) {
    const message: Record<string, unknown> = { role: 'assistant', content: text || null };
    if (call) message.tool_calls = [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.args } }];
    sendJson(res, 200, { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: finish }], usage: usage(body, outTokens) });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra })}\n\n`);
  chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
  if (reply.delayMs) {
    // keep the connection visibly alive while "thinking" (SSE comments are ignored by parsers)
    const end = Date.now() + reply.delayMs;
    while (Date.now() < end && !res.destroyed) {
      res.write(': keep-alive\n\n');
      await sleep(Math.min(300, end - Date.now()));
    }
  }
  // a few deltas, as the real API streams words
  for (const part of text.match(/.{1,24}/gsu) ?? []) chunk([{ index: 0, delta: { content: part }, finish_reason: null }]);
  if (call) {
    const cut = Math.floor(call.args.length / 2);
    chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: call.args.slice(0, cut) } }] }, finish_reason: null }]);
    chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: call.args.slice(cut) } }] }, finish_reason: null }]);
  }
  chunk([{ index: 0, delta: {}, finish_reason: finish }]);
  chunk([], { usage: usage(body, outTokens) });
  res.write('data: [DONE]\n\n');
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

/** The last user message of a recorded request, as text (for failure messages and assertions). */
export function lastUserText(req: ChatRequest | undefined): string {
  const messages = ((req?.body ?? {}) as { messages?: { role?: string; content?: unknown }[] }).messages ?? [];
  const user = [...messages].reverse().find((m) => m.role === 'user');
  const c = user?.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => (typeof p === 'object' && p && 'text' in p ? String((p as { text: unknown }).text) : '')).join('');
  return '';
}

export async function startFakeOpenAIChat(replies: ChatReply[] = []): Promise<FakeOpenAIChat> {
  let queue = [...replies];
  const requests: ChatRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = (req.url ?? '/').split('?')[0]!;
      const rec: ChatRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, role: 'other', at: Date.now() };
      requests.push(rec);
      if (req.method === 'POST' && path === '/v1/chat/completions') {
        const b = (body ?? {}) as ChatBody;
        if (Array.isArray(b.tools) && b.tools.length > 0) {
          rec.role = 'main';
          await answer(res, b, queue.shift() ?? FALLBACK);
        } else {
          rec.role = 'side';
          await answer(res, b, { text: SIDE_TEXT });
        }
      } else if (req.method === 'GET' && path === '/v1/models') {
        sendJson(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }] });
      } else {
        sendJson(res, 404, { error: { message: `fake-openai-chat: no ${req.method} ${path}`, type: 'not_found' } });
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error' } });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
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
          const b = (r.body ?? {}) as ChatBody;
          return `${r.method} ${r.path} (${r.role}${b.model ? `, ${b.model}` : ''}${Array.isArray(b.tools) ? `, ${b.tools.length} tools` : ''}) ${JSON.stringify(lastUserText(r).slice(0, 80))}`;
        })
        .join('\n'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
