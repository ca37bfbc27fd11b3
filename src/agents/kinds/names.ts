// The agent kinds by name, and which one a command is when the layout does not say. No dependencies:
// the layout's schema and resolution read it too.
import { basename } from 'node:path';

export const KIND_NAMES = ['claude', 'other'] as const;
export type KindName = (typeof KIND_NAMES)[number];

export function isKindName(value: unknown): value is KindName {
  return typeof value === 'string' && (KIND_NAMES as readonly string[]).includes(value);
}

/** The kind of a command by its file name (`/usr/local/bin/claude` → claude); anything else is other. */
export function inferKind(command: string): KindName {
  const name = basename(command);
  return isKindName(name) && name !== 'other' ? name : 'other';
}
