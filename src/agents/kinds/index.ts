// The agent kinds: kindOf(name) is the one way to reach what is specific to a kind.
import { claude } from './claude/index.js';
import { codex } from './codex/index.js';
import { gemini } from './gemini/index.js';
import type { KindName } from './names.js';
import { opencode } from './opencode/index.js';
import { other } from './other.js';
import type { AgentKind } from './types.js';

export type { AgentKind, EventReader, HookSignals } from './types.js';
export { inferKind, isKindName, KIND_NAMES, type KindName } from './names.js';

const KINDS: Record<KindName, AgentKind> = { claude, codex, gemini, opencode, other };

export function kindOf(name: KindName): AgentKind {
  return KINDS[name];
}

/** Every kind, for what is written for any of them (info/exclude patterns). */
export const ALL_KINDS: readonly AgentKind[] = Object.values(KINDS);
