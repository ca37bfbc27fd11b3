// Connection URLs: the database path, host and port, without normalising anything else.
import { expand } from '../layout/placeholders.js';
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

/** The same URL without a password in its user info (`postgresql://app@db/x`): what treemux stores. */
export function withoutPassword(url: string): string {
  const p = splitUrl(url);
  if (!p) return url;
  const at = p.authority.lastIndexOf('@');
  if (at < 0) return url;
  const user = p.authority.slice(0, at);
  const colon = user.indexOf(':');
  if (colon < 0) return url;
  return `${p.scheme}${user.slice(0, colon)}${p.authority.slice(at)}${url.trim().slice(p.scheme.length + p.authority.length)}`;
}

/**
 * `url` with the password `from` has, when `url` has none and both name the same user and host (a
 * stored URL, password removed, gets it back from the layout's database.url to connect).
 */
export function withPasswordFrom(url: string, from: string): string {
  const a = splitUrl(url);
  const b = splitUrl(from);
  if (!a || !b) return url;
  const userHost = (auth: string) => {
    const at = auth.lastIndexOf('@');
    const user = at < 0 ? '' : auth.slice(0, at);
    const colon = user.indexOf(':');
    return { name: colon < 0 ? user : user.slice(0, colon), password: colon < 0 ? null : user.slice(colon + 1), host: auth.slice(at + 1) };
  };
  const mine = userHost(a.authority);
  const theirs = userHost(b.authority);
  if (mine.password !== null || theirs.password === null || mine.name !== theirs.name || mine.host !== theirs.host) return url;
  return `${a.scheme}${mine.name}:${theirs.password}@${mine.host}${url.trim().slice(a.scheme.length + a.authority.length)}`;
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
