// The agent kinds by name, and which one a command is when the layout does not say. No dependencies:
// the layout's schema and resolution read it too.
import { basename } from 'node:path';

export const KIND_NAMES = ['claude', 'codex', 'gemini', 'opencode', 'other'] as const;
export type KindName = (typeof KIND_NAMES)[number];

export function isKindName(value: unknown): value is KindName {
  return typeof value === 'string' && (KIND_NAMES as readonly string[]).includes(value);
}

/** The kind of a command by its file name (`/usr/local/bin/claude` → claude); anything else is other. */
export function inferKind(command: string): KindName {
  const name = basename(command);
  return isKindName(name) && name !== 'other' ? name : 'other';
}

/**
 * How long a line typed into a kind's client waits for its Enter (ms): Gemini CLI takes an Enter that
 * comes within 30 ms of the last key for a newline in its input (without the kitty keyboard protocol,
 * which tmux lacks). Here, not in the kinds' modules, so that `send` types without loading them.
 */
export function submitDelayMs(kind: KindName): number {
  return kind === 'gemini' ? 150 : 0;
}
