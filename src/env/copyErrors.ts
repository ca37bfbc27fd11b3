// The errors of copyPaths, and how an fs error is put in a few words.
import { oneLine } from '../util/output.js';

/** A failure inside a tree, with the path (relative to the worktree) where it happened. */
export class TreeError extends Error {
  constructor(
    readonly at: string,
    readonly err: unknown,
  ) {
    super(`${at}: ${describe(err)}`);
  }
}

/** A refusal worded for the user (no errno). */
export class RefusedError extends Error {}

/** The error copyPaths throws for one path: `cannot copy PATH: why`. */
export function cannotCopy(rel: string, why: unknown): Error {
  return new Error(`cannot copy ${rel}: ${typeof why === 'string' ? why : describe(why)}`);
}

export function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** An error in a few words: Node's "ENOENT: no such file or directory, open '/x'" becomes
 * "no such file or directory (ENOENT, open)"; anything else its first line. */
export function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException | null;
  if (e && typeof e.code === 'string' && typeof e.syscall === 'string' && typeof e.message === 'string') {
    const what = /^[A-Z0-9_]+: (.*?)(?:, \w+ '.*)?$/s.exec(e.message)?.[1] ?? e.code;
    return `${firstLine(what)} (${e.code}, ${e.syscall})`;
  }
  return oneLine(err);
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}
