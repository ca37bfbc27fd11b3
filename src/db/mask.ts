// Hiding passwords in connection URLs, in a URL alone or anywhere inside a line of text.

/** `scheme://` then the authority (up to the first `/ ? #` or whitespace). */
const URL_AUTHORITY_RE = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)/gi;

function maskAuthority(scheme: string, authority: string): string {
  const at = authority.lastIndexOf('@');
  if (at < 0) return scheme + authority;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0 || colon === userinfo.length - 1) return scheme + authority; // no password
  return `${scheme}${userinfo.slice(0, colon)}:***${authority.slice(at)}`;
}

/**
 * `postgresql://u:secret@h/db` -> `postgresql://u:***@h/db`. URLs without a password, and text that is
 * not a URL, come back unchanged. Every URL inside a longer text is masked too.
 */
export function maskUrl(url: string): string {
  return url.replace(URL_AUTHORITY_RE, (_m, scheme: string, authority: string) => maskAuthority(scheme, authority));
}

/** maskUrl, plus every literal occurrence of the given secrets (e.g. a password echoed by a server). */
export function maskText(text: string, secrets: readonly string[] = []): string {
  let out = maskUrl(text);
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('***');
  return out;
}

/** The password of a URL (percent-decoded), or undefined. */
export function urlPassword(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url);
  if (!m) return undefined;
  const userinfo = m[1]!;
  const colon = userinfo.indexOf(':');
  if (colon < 0 || colon === userinfo.length - 1) return undefined;
  const raw = userinfo.slice(colon + 1);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
