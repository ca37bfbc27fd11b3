// A fake Gemini API (generativelanguage v1beta) for driving the real Gemini CLI offline.
//
// The client, given GOOGLE_GEMINI_BASE_URL=http://127.0.0.1:PORT and GEMINI_API_KEY, talks to:
// - `POST /v1beta/models/<model>:streamGenerateContent?alt=sse`: the conversation. A request that
//   offers tools (`tools[].functionDeclarations`) is a turn of the main conversation and takes the
//   next scripted reply, streamed as server-sent events (`data: <GenerateContentResponse JSON>`), the
//   text in a few chunks, the last chunk with `finishReason: "STOP"` and `usageMetadata`. A tool call
//   is a `functionCall` part.
// - `POST /v1beta/models/<model>:generateContent`: side requests (the client's model router, next-
//   speaker check, loop detection, summaries…), usually asking for JSON by a schema
//   (`generationConfig.responseJsonSchema` / `responseSchema`): answered with the smallest object the
//   schema allows (or the override a test sets), never using up the script.
// - `POST /v1beta/models/<model>:countTokens`: a rough count. Anything else: 404, recorded.
// Every request is recorded (method, path, query, body, role) for assertions and failure messages.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type GeminiReply = (
  | { text: string }
  | { functionCall: { name: string; args: Record<string, unknown> }; text?: string }
  /** answer with an HTTP error (e.g. 429, 503) in the API's error shape */
  | { error: { status: number; code?: string; message: string } }
) & {
  /** hold the answer this long after the first (empty) chunk, so the client shows itself busy */
  delayMs?: number;
  /** usageMetadata of the last chunk (default: rough counts from the request and reply sizes) */
  usage?: { promptTokenCount: number; candidatesTokenCount: number; totalTokenCount: number; cachedContentTokenCount?: number };
};

export interface GeminiRequest {
  method: string;
  /** the path without the query, e.g. `/v1beta/models/gemini-2.5-pro:streamGenerateContent` */
  path: string;
  query: string;
  /** the model named in the path ('' when none) */
  model: string;
  /** the method after the colon: streamGenerateContent, generateContent, countTokens… ('' when none) */
  action: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** 'main' (took a scripted reply), 'side' (a side request) or 'other' */
  role: 'main' | 'side' | 'other';
  at: number;
}

export interface FakeGeminiApi {
  url: string;
  port: number;
  /** every request so far, in arrival order */
  requests: GeminiRequest[];
  /** main-conversation requests only */
  mainRequests(): GeminiRequest[];
  /** replace the script (replies not yet used are dropped) */
  script(replies: GeminiReply[]): void;
  /** append to the script */
  push(...replies: GeminiReply[]): void;
  /** scripted replies not yet used */
  remaining(): number;
  /** one line per request, for a failure message */
  traffic(): string;
  /** environment for the client: base URL and key */
  env(apiKey?: string): Record<string, string>;
  close(): Promise<void>;
}

/** What a main request gets once the script is used up. */
const FALLBACK: GeminiReply = { text: '(fake-gemini-api: script exhausted)' };
/** What a side request without a schema gets (the client's summarizer asks for one sentence). */
const SIDE_TEXT = 'Fake summary.';
export const FAKE_GEMINI_KEY = 'AIzaSyTreemuxFakeKey0123456789abcdefghi';

interface GenerateBody {
  contents?: { role?: string; parts?: Record<string, unknown>[] }[];
  tools?: { functionDeclarations?: unknown[] }[];
  generationConfig?: { responseJsonSchema?: unknown; responseSchema?: unknown; responseMimeType?: string };
  systemInstruction?: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let ids = 0;
const responseId = () => `fake${Date.now().toString(36)}${(ids++).toString(36).padStart(4, '0')}`;

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const data = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

function offersTools(body: GenerateBody): boolean {
  return Array.isArray(body.tools) && body.tools.some((t) => Array.isArray(t?.functionDeclarations) && t.functionDeclarations.length > 0);
}

const roughTokens = (value: unknown) => Math.max(1, Math.round(JSON.stringify(value ?? '').length / 4));

/** The smallest value a JSON schema (OpenAPI-ish or JSON Schema) allows: what a side request gets. */
export function minimalOf(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return {};
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0) return minimalOf(s.anyOf[0]);
  const type = String(Array.isArray(s.type) ? s.type[0] : (s.type ?? 'object')).toLowerCase();
  switch (type) {
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'null':
      return null;
    default: {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(s.required) ? (s.required as string[]) : Object.keys(props);
      return Object.fromEntries(required.map((k) => [k, minimalOf(props[k])]));
    }
  }
}

function partsOf(reply: GeminiReply): Record<string, unknown>[] {
  if ('error' in reply) return [];
  const parts: Record<string, unknown>[] = [];
  if (reply.text) parts.push({ text: reply.text });
  if ('functionCall' in reply) parts.push({ functionCall: reply.functionCall });
  return parts;
}

/** A scripted reply as server-sent events: an empty first chunk, the delay, the text in pieces, the call, the end. */
async function stream(res: ServerResponse, body: GenerateBody, model: string, reply: GeminiReply): Promise<void> {
  if ('error' in reply) {
    sendJson(res, reply.error.status, { error: { code: reply.error.status, message: reply.error.message, status: reply.error.code ?? 'UNAVAILABLE' } });
    return;
  }
  const id = responseId();
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (candidate: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ candidates: [{ index: 0, ...candidate }], modelVersion: model, responseId: id, ...extra })}\r\n\r\n`);
  const parts = partsOf(reply);
  const usage = reply.usage ?? {
    promptTokenCount: roughTokens(body.contents),
    candidatesTokenCount: roughTokens(parts),
    totalTokenCount: roughTokens(body.contents) + roughTokens(parts),
  };
  if (reply.delayMs) {
    // the first bytes at once (the client is waiting on them), the rest after the delay
    res.flushHeaders();
    await sleep(reply.delayMs);
  }
  const pieces: Record<string, unknown>[] = [];
  for (const part of parts) {
    if (typeof part.text === 'string') for (const piece of part.text.match(/[\s\S]{1,24}/gu) ?? ['']) pieces.push({ text: piece });
    else pieces.push(part);
  }
  const last = pieces.pop() ?? { text: '' };
  for (const piece of pieces) chunk({ content: { role: 'model', parts: [piece] } });
  chunk({ content: { role: 'model', parts: [last] }, finishReason: 'STOP' }, { usageMetadata: usage });
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

export interface FakeGeminiOptions {
  /** what side requests (`:generateContent`) answer instead of the schema's minimal object */
  side?: (body: GenerateBody) => unknown;
}

export async function startFakeGeminiApi(replies: GeminiReply[] = [], opts: FakeGeminiOptions = {}): Promise<FakeGeminiApi> {
  let queue = [...replies];
  const requests: GeminiRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const [path = '/', query = ''] = (req.url ?? '/').split('?');
      const m = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):([A-Za-z]+)$/.exec(path);
      const model = m ? decodeURIComponent(m[1]!) : '';
      const action = m ? m[2]! : '';
      const rec: GeminiRequest = { method: req.method ?? 'GET', path, query, model, action, headers: req.headers, body, role: 'other', at: Date.now() };
      requests.push(rec);
      const b = (typeof body === 'object' && body !== null ? body : {}) as GenerateBody;
      if (req.method === 'POST' && action === 'streamGenerateContent') {
        if (offersTools(b)) {
          rec.role = 'main';
          await stream(res, b, model, queue.shift() ?? FALLBACK);
        } else {
          rec.role = 'side';
          await stream(res, b, model, { text: sideAnswer(b) });
        }
      } else if (req.method === 'POST' && action === 'generateContent') {
        rec.role = 'side';
        const text = sideAnswer(b);
        sendJson(res, 200, {
          candidates: [{ index: 0, content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP' }],
          usageMetadata: { promptTokenCount: roughTokens(b.contents), candidatesTokenCount: roughTokens(text), totalTokenCount: roughTokens(b.contents) + roughTokens(text) },
          modelVersion: model,
          responseId: responseId(),
        });
      } else if (req.method === 'POST' && action === 'countTokens') {
        sendJson(res, 200, { totalTokens: roughTokens(b.contents) });
      } else {
        sendJson(res, 404, { error: { code: 404, message: `fake-gemini-api: no ${req.method} ${path}`, status: 'NOT_FOUND' } });
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: 500, message: String(err), status: 'INTERNAL' } });
      else res.end();
    });
  });
  /** A side request's text: the schema's minimal object as JSON, or a short sentence (a summary). */
  function sideAnswer(b: GenerateBody): string {
    if (opts.side) return JSON.stringify(opts.side(b));
    const schema = b.generationConfig?.responseJsonSchema ?? b.generationConfig?.responseSchema;
    return schema ? JSON.stringify(minimalOf(schema)) : SIDE_TEXT;
  }
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
    traffic: () => requests.map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''} (${r.role})`).join('\n'),
    env: (apiKey = FAKE_GEMINI_KEY) => ({ GOOGLE_GEMINI_BASE_URL: url, GEMINI_API_KEY: apiKey }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
