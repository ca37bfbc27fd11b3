// A fake Anthropic Messages API for driving the real Claude Code client offline.
//
// `POST /v1/messages` answers from a script the test sets: each request of the main conversation
// (one that offers tools) takes the next reply, streamed as server-sent events when the request
// asks for `stream: true`, else as one JSON message. Side requests of the client (title and topic
// guesses, quota probes: no tools offered) get a short harmless text and do not use up the script.
// `POST /v1/messages/count_tokens` counts roughly; anything else gets an empty 200 (GET/HEAD) or 404.
// Every request is recorded for assertions.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply = (
  | { text: string }
  | { toolUse: { name: string; input: Record<string, unknown>; id?: string }; text?: string }
  /** answer with an HTTP error (e.g. 529 overloaded) */
  | { error: { status: number; type: string; message: string } }
) & {
  /** hold the answer this long (streaming: after message_start), so the client shows itself busy */
  delayMs?: number;
};

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** 'main' (took a scripted reply), 'side' (a side request) or 'other' (not /v1/messages) */
  role: 'main' | 'side' | 'other';
  at: number;
}

export interface FakeAnthropic {
  url: string;
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
  /** environment for the client: base URL, key, no non-essential traffic */
  env(apiKey?: string): Record<string, string>;
  close(): Promise<void>;
}

/** What a main request gets once the script is used up. */
const FALLBACK: Reply = { text: '(fake-anthropic: script exhausted)' };
const SIDE_TEXT = '{"isNewTopic": false, "title": null}';
export const FAKE_API_KEY = 'sk-ant-api03-treemux-fake-key-0123456789abcdefghij-AAAAAAAA';

interface MessagesBody {
  model?: string;
  stream?: boolean;
  tools?: unknown[];
  messages?: unknown[];
  max_tokens?: number;
}

let ids = 0;
const nextId = (prefix: string) => `${prefix}_fake${Date.now().toString(36)}${(ids++).toString(36).padStart(4, '0')}`;

function contentOf(reply: Reply): Array<Record<string, unknown>> {
  if ('error' in reply) return [];
  if ('toolUse' in reply) {
    const blocks: Array<Record<string, unknown>> = [];
    if (reply.text) blocks.push({ type: 'text', text: reply.text });
    blocks.push({ type: 'tool_use', id: reply.toolUse.id ?? nextId('toolu'), name: reply.toolUse.name, input: reply.toolUse.input });
    return blocks;
  }
  return [{ type: 'text', text: reply.text }];
}

function usage(body: MessagesBody, outTokens: number) {
  const input = Math.max(1, Math.round(JSON.stringify(body.messages ?? []).length / 4));
  return { input_tokens: input, output_tokens: outTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const data = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), 'request-id': nextId('req') });
  res.end(data);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answer(res: ServerResponse, body: MessagesBody, reply: Reply): Promise<void> {
  if (reply.delayMs && !body.stream) await sleep(reply.delayMs);
  if ('error' in reply) {
    sendJson(res, reply.error.status, { type: 'error', error: { type: reply.error.type, message: reply.error.message } });
    return;
  }
  const content = contentOf(reply);
  const stopReason = content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  const model = body.model ?? 'claude-sonnet-4-5';
  const id = nextId('msg');
  const outTokens = Math.max(1, Math.round(JSON.stringify(content).length / 4));
  if (!body.stream) {
    sendJson(res, 200, { id, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage: usage(body, outTokens) });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': nextId('req') });
  const ev = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const u = usage(body, 1);
  ev('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: u } });
  if (reply.delayMs) {
    // keep the connection visibly alive while "thinking", as the API's pings do
    const end = Date.now() + reply.delayMs;
    while (Date.now() < end && !res.destroyed) {
      ev('ping', {});
      await sleep(Math.min(500, end - Date.now()));
    }
  }
  content.forEach((block, index) => {
    if (block.type === 'text') {
      ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
      const text = String(block.text);
      // a few deltas, as the real API streams words
      const parts = text.match(/.{1,24}/gsu) ?? [''];
      for (const part of parts) ev('content_block_delta', { index, delta: { type: 'text_delta', text: part } });
    } else {
      ev('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      const json = JSON.stringify(block.input);
      const cut = Math.floor(json.length / 2);
      for (const part of [json.slice(0, cut), json.slice(cut)]) ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
    }
    ev('content_block_stop', { index });
  });
  ev('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outTokens } });
  ev('message_stop', {});
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

export async function startFakeAnthropic(replies: Reply[] = []): Promise<FakeAnthropic> {
  let queue = [...replies];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = (req.url ?? '/').split('?')[0]!;
      const rec: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, role: 'other', at: Date.now() };
      requests.push(rec);
      if (req.method === 'POST' && path === '/v1/messages') {
        const b = (body ?? {}) as MessagesBody;
        if (Array.isArray(b.tools) && b.tools.length > 0) {
          rec.role = 'main';
          await answer(res, b, queue.shift() ?? FALLBACK);
        } else {
          rec.role = 'side';
          await answer(res, b, { text: SIDE_TEXT });
        }
      } else if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
        sendJson(res, 200, { input_tokens: Math.max(1, Math.round(JSON.stringify(body ?? '').length / 4)) });
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        sendJson(res, 200, {});
      } else {
        sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `fake-anthropic: no ${req.method} ${path}` } });
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { type: 'error', error: { type: 'api_error', message: String(err) } });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
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
    env: (apiKey = FAKE_API_KEY) => ({
      ANTHROPIC_BASE_URL: url,
      ANTHROPIC_API_KEY: apiKey,
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
