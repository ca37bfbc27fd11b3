// The one error the database module throws: a single user-facing line, passwords masked.
import { maskText } from './mask.js';

/** One line, fit to print as the reason a command failed. Never contains a password. */
export class DbError extends Error {
  constructor(message: string, secrets: readonly string[] = []) {
    super(joinLines(maskText(message, secrets)));
    this.name = 'DbError';
  }
}

/**
 * All of `s` on one line: each line break, with the blanks around it, becomes one space. Unlike
 * util/output's oneLine (the first line only), nothing is dropped: a database's message may continue.
 */
export function joinLines(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The first line of an unknown thrown value's message. */
export function messageOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split(/\r?\n/).find((l) => l.trim() !== '') ?? msg).trim();
}

/** A note sink that masks URLs/secrets and keeps each note on one line. */
export function maskedNote(note: (line: string) => void, secrets: readonly string[] = []): (line: string) => void {
  return (line) => note(joinLines(maskText(line, secrets)));
}

/** Why a database server operation failed, in a few words: socket errors named, else the server's message. */
export function reason(err: unknown): string {
  const e = err as { code?: unknown; errors?: { code?: unknown }[] } | null;
  const code = e?.code ?? e?.errors?.[0]?.code;
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'host not found';
    case 'ETIMEDOUT': return 'connection timed out';
    case 'ECONNRESET': return 'connection reset by the server';
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'host unreachable';
  }
  const msg = messageOf(err);
  if (/timeout|timed out/i.test(msg) && /connect/i.test(msg)) return 'connection timed out';
  return msg || 'connection failed';
}
