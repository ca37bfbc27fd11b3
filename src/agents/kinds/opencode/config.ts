// What OpenCode is told through its environment in a treemux window. Pure.
//
// OpenCode reads AGENTS.md (else CLAUDE.md) up from its folder, never CLAUDE.local.md, the file in
// which treemux writes each agent's instructions; a config's `instructions` list adds files (paths
// relative to the folder it works in). OPENCODE_CONFIG_CONTENT is a config given inline, merged over
// the user's and the project's (lists such as `instructions` are joined, not replaced): treemux adds
// its file there, and keeps whatever the user's own OPENCODE_CONFIG_CONTENT says.
import { INSTRUCTIONS_FILE } from '../../lifecycle/instructions.js';

export const CONFIG_CONTENT_VAR = 'OPENCODE_CONFIG_CONTENT';

/**
 * The inline config with treemux's instructions file in `instructions`, merged into EXISTING (the
 * user's value of the variable); EXISTING that is not a JSON object is left as it is (undefined: do
 * not set the variable), since treemux cannot add to it without losing it.
 */
export function configContent(existing: string | undefined, file: string = INSTRUCTIONS_FILE): string | undefined {
  let config: Record<string, unknown> = {};
  if (existing !== undefined && existing.trim() !== '') {
    try {
      const parsed = JSON.parse(existing) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
      config = parsed as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  const before = Array.isArray(config.instructions) ? (config.instructions as unknown[]) : [];
  if (config.instructions !== undefined && !Array.isArray(config.instructions)) return undefined;
  const instructions = before.includes(file) ? before : [...before, file];
  return JSON.stringify({ ...config, instructions });
}
