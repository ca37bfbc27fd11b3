// Connection URLs: the database path, host and port, without normalising anything else.
import { expand } from '../layout/index.js';
import { DbError, messageOf } from './errors.js';

const URL_RE = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(\/[^?#]*)?(.*)$/is;

export interface UrlParts {
  scheme: string;
  authority: string;
  /** the database name (percent-decoded), '' when none */
  database: string;
  /** `?query#hash`, as written */
  rest: string;
}

export function splitUrl(url: string): UrlParts | null {
  const m = URL_RE.exec(url.trim());
  if (!m) return null;
  const rawPath = (m[3] ?? '').replace(/^\//, '');
  let database: string;
  try {
    database = decodeURIComponent(rawPath);
  } catch {
    database = rawPath;
  }
  return { scheme: m[1]!, authority: m[2]!, database, rest: m[4] ?? '' };
}

/** The same URL with its database replaced (user, password and query parameters kept); '' removes it. */
export function withDatabase(url: string, database: string): string {
  const p = splitUrl(url);
  if (!p) return url;
  return `${p.scheme}${p.authority}${database === '' ? '' : `/${encodeURIComponent(database)}`}${p.rest}`;
}

/** `host:port` for messages (the authority without user info), defaults filled in. */
export function hostPort(url: string, defaultPort: number): string {
  const p = splitUrl(url);
  if (!p) return '?';
  const hp = p.authority.slice(p.authority.lastIndexOf('@') + 1);
  if (hp === '') {
    const host = /[?&]host=([^&#]*)/.exec(p.rest);
    return host ? decodeURIComponent(host[1]!) : `localhost:${defaultPort}`;
  }
  if (/:\d+$/.test(hp)) return hp;
  return `${hp}:${defaultPort}`;
}

/** `database.url` with the agent's placeholders expanded (a url without placeholders comes back as is). */
export function expandUrl(url: string, vars: Record<string, string> | undefined): string {
  if (!/(?<!\$)\{[A-Za-z_][A-Za-z0-9_.]*\}/.test(url)) return url;
  try {
    return expand(url, vars ?? {});
  } catch (err) {
    throw new DbError(`database.url: ${messageOf(err)}`);
  }
}
