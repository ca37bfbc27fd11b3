// Text from a client's events made fit for a window and a one-line status: terminal escapes out,
// first or last line, clipped without splitting a character. Pure.
import { stripVTControlCharacters } from 'node:util';

/** The longest last line kept. */
export const LINE_MAX = 200;

/** Text as lines for the window: control sequences dropped, trailing blanks trimmed. */
export function textLines(text: string): string[] {
  return clean(text)
    .replace(/\s+$/, '')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
}

export function firstLine(text: string, max: number): string {
  const line = clean(text)
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean);
  return clip(line ?? '', max);
}

export function lastLine(text: string, max: number): string {
  const lines = clean(text)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return clip(lines[lines.length - 1] ?? '', max);
}

/** Terminal escapes and control characters out (tabs kept), CRLF and lone CR as newlines. */
export function clean(text: string): string {
  return stripVTControlCharacters(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // do not split a surrogate pair
  return `${s.slice(0, cut)}…`;
}

/** A value from a client's event as a short line to keep: a string only, control characters (a terminal's escapes) made spaces, cut at MAX; undefined otherwise. */
export function plain(value: unknown, max: number): string | undefined {
  return typeof value === 'string' ? value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, max) : undefined;
}
