// Each agent's Redis share: its own db index (`redis.db: auto`: 1, 2, 3 …; 0 is the main checkout's),
// or a key prefix in a shared index. On rm/down the share is cleared: FLUSHDB on its own index only,
// or SCAN MATCH <prefix>* + UNLINK on a shared one (never KEYS, which blocks the server).

const MAX_DB = 15;
const CONNECT_TIMEOUT_MS = 3_000;
const SCAN_COUNT = 500;

/** The smallest db index in 1..15 not in `used` (0 is the main checkout's). */
export function allocateRedisDb(used: readonly number[]): number {
  const taken = new Set(used);
  for (let db = 1; db <= MAX_DB; db++) if (!taken.has(db)) return db;
  throw new Error(
    `no free Redis db index: 1 to ${MAX_DB} are all held by other agents of this project ` +
      '(remove one, or set redis.db to a fixed index: agents then share it, kept apart by redis.prefix)',
  );
}

/** `s` with the glob characters of SCAN MATCH (* ? [ ] \) escaped, so it matches literally. */
export function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

export interface RedisShare {
  db: number;
  prefix: string;
  /** the agent has the index to itself (FLUSHDB), or shares it (only keys under the prefix) */
  ownDb: boolean;
}

/**
 * Remove what an agent left in Redis: FLUSHDB on its own index, or its prefixed keys in a shared one.
 * Returns how many keys were removed. Errors are one line, `redis at host:port: reason`.
 */
export async function clearRedisShare(url: string, share: RedisShare): Promise<number> {
  if (!Number.isInteger(share.db) || share.db < 0) throw new Error(`redis: db index ${String(share.db)} is not a db index`);
  if (share.ownDb && share.db === 0) {
    throw new Error('redis: refusing to flush db 0: it is the main checkout\'s, never an agent\'s own');
  }
  if (!share.ownDb && share.prefix.length === 0) {
    throw new Error(`redis: refusing to clear an empty key prefix in shared db ${share.db}: it would remove every key there`);
  }
  const where = describe(url);
  const fail = (err: unknown): Error => new Error(`redis at ${where.address}: ${reason(err, where.secrets)}`);

  const { createClient, RESP_TYPES } = await import('redis'); // loaded only where Redis is used
  let client;
  try {
    client = createClient({
      url,
      socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false },
    });
  } catch (err) {
    throw fail(err); // a malformed URL
  }
  client.on('error', () => undefined); // reported through the rejected command instead

  let done = false;
  try {
    // connectTimeout covers the TCP connection; a server that accepts and never answers the
    // handshake would hang it, so the whole connection gets the same deadline
    await within(client.connect(), CONNECT_TIMEOUT_MS, `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`);
    await client.select(share.db);
    let removed = 0;
    if (share.ownDb) {
      removed = await client.dbSize();
      await client.flushDb('ASYNC'); // the keys go at once; the server frees their memory in the background
    } else {
      // keys as bytes: a key that is not valid UTF-8 is removed too
      const raw = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      for await (const keys of raw.scanIterator({ MATCH: `${escapeGlob(share.prefix)}*`, COUNT: SCAN_COUNT })) {
        if (keys.length > 0) removed += await raw.unlink(keys);
      }
    }
    done = true;
    return removed;
  } catch (err) {
    throw fail(err);
  } finally {
    // quit politely after success; after a failure commands may still wait on a silent server
    if (done) await client.close().catch(() => client.destroy());
    else client.destroy();
  }
}

/** `promise`, or a rejection with `message` after `ms` (the promise's own later failure is ignored). */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** host:port of a Redis URL (never its password), and the secrets to mask in messages. */
function describe(url: string): { address: string; secrets: string[] } {
  try {
    const u = new URL(url);
    // short ones would mask every occurrence of a letter; the URL shape is masked anyway
    const secrets = [u.password, safeDecode(u.password)].filter((s) => s.length >= 3);
    if (u.protocol.includes('unix')) return { address: u.pathname, secrets };
    return { address: `${u.hostname || 'localhost'}:${u.port || '6379'}`, secrets };
  } catch {
    return { address: url.replace(/\/\/[^@/]*@/, '//***@'), secrets: [] };
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** One line, with any password masked. */
function reason(err: unknown, secrets: readonly string[]): string {
  let text = messageOf(err);
  text = text.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
  for (const s of secrets) text = text.split(s).join('***');
  return text.split(/\r?\n/).find((l) => l.trim().length > 0)?.trim() ?? 'unknown error';
}

function messageOf(err: unknown): string {
  if (err instanceof AggregateError && !err.message) {
    // localhost resolving to ::1 and 127.0.0.1: both attempts failed
    const inner = err.errors.map(messageOf).filter((m) => m.length > 0);
    return inner[0] ?? 'connection failed';
  }
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return err.message || code || err.name;
  }
  return String(err);
}
