// Claude Code's settings: treemux's status hooks in the worktree's .claude/settings.local.json
// (merged with what is there, never clobbering it), and what the project's own settings allow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileIn, writeFileIn } from '../../../host/fs.js';
import { leavesDefaultPermissions } from './args.js';
import { shellQuote } from '../../../util/shell.js';
import { treemuxArgv } from '../../../util/invocation.js';

export const SETTINGS_FILE = '.claude/settings.local.json';
/** The events treemux listens to, and whether they take a tool matcher. */
const EVENTS: Record<string, boolean> = {
  SessionStart: false,
  UserPromptSubmit: false,
  PreToolUse: true,
  PostToolUse: true,
  PermissionRequest: true,
  Notification: false,
  Stop: false,
};
const MARK = 'treemux-hook';

/** The hook command: node and the installed treemux by absolute path (no bare `treemux` on PATH needed). */
export function hookCommand(hook: readonly string[] = [...treemuxArgv(), 'hook']): string {
  return `${hook.map((w) => (/^[\w/.,:=@%+-]+$/.test(w) ? w : shellQuote(w))).join(' ')} # ${MARK}`;
}

interface HookEntry {
  matcher?: string;
  hooks?: { type?: string; command?: string }[];
}
type Settings = { hooks?: Record<string, HookEntry[]> } & Record<string, unknown>;

/** Merge treemux's hooks into the settings text (null: no file yet). Pure; throws on invalid JSON. */
export function mergeHooks(text: string | null, command: string): string {
  const settings = (text && text.trim() ? JSON.parse(text) : {}) as Settings;
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw new Error('not a JSON object');
  const hooks = { ...(settings.hooks ?? {}) };
  for (const [event, withMatcher] of Object.entries(EVENTS)) {
    const kept = (hooks[event] ?? [])
      .map((entry) => ({ ...entry, hooks: (entry.hooks ?? []).filter((h) => !h.command?.includes(MARK)) }))
      .filter((entry) => (entry.hooks ?? []).length > 0);
    const ours: HookEntry = { ...(withMatcher ? { matcher: '' } : {}), hooks: [{ type: 'command', command }] };
    hooks[event] = [...kept, ours];
  }
  return `${JSON.stringify({ ...settings, hooks }, null, 2)}\n`;
}

export async function installHooks(worktree: string, hook?: readonly string[]): Promise<void> {
  const file = join(worktree, SETTINGS_FILE);
  const text = await readFileIn(worktree, file); // refuses a link: its target is not ours to merge into
  let merged: string;
  try {
    merged = mergeHooks(text, hookCommand(hook));
  } catch (err) {
    throw new Error(`${SETTINGS_FILE} in ${worktree} is not valid JSON (${(err as Error).message}); fix it so treemux can add its status hooks`);
  }
  await writeFileIn(worktree, file, merged);
}

/** The project's committed Claude settings allow tools or pick another permission mode. */
function projectSettingsAllow(repoRoot: string): boolean {
  try {
    const settings = JSON.parse(readFileSync(join(repoRoot, '.claude', 'settings.json'), 'utf8')) as {
      permissions?: { allow?: unknown[]; defaultMode?: string };
    };
    const p = settings.permissions;
    return Boolean(p && ((Array.isArray(p.allow) && p.allow.length > 0) || (p.defaultMode && p.defaultMode !== 'default')));
  } catch {
    return false;
  }
}

/**
 * One line about headless Claude agents left in the default permission mode (every tool that asks
 * is denied: print mode has nobody to ask), or null.
 */
export function headlessPermissionWarning(
  ctx: { repo: { root: string } },
  specs: readonly { name: string; kind: string; mode: string; args: readonly string[] }[],
): string | null {
  const names = specs.filter((s) => s.kind === 'claude' && s.mode === 'headless' && leavesDefaultPermissions(s.args)).map((s) => s.name);
  if (names.length === 0 || projectSettingsAllow(ctx.repo.root)) return null;
  const many = names.length > 1;
  return (
    `headless Claude agent${many ? 's' : ''} ${names.join(', ')} run${many ? '' : 's'} in the default permission mode: ` +
    'every tool that asks for permission is denied (give args such as [--permission-mode, acceptEdits] or ' +
    '[--allowedTools, "Bash(npm test)"]; see docs/unattended.md)'
  );
}
