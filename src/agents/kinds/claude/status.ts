// Claude Code's status from its own hook events (the exact part of status; the rest is in
// status/rules.ts). Pure.
import type { Status } from '../../status/status.js';
import type { HookSignals } from '../types.js';

const BUSY_EVENTS = new Set(['UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'SubagentStop', 'PreCompact']);

export function claudeStatus({ hook, screen, recent }: HookSignals): Status | undefined {
  const { event, message = '' } = hook;
  if (event === 'Notification') {
    // "Claude needs your permission…" means waiting, unless the screen was read and shows no question
    if (/permission|needs your|approve/i.test(message) && screen === undefined) return 'waiting';
    if (/waiting for your input/i.test(message)) return 'idle';
    return recent ? 'busy' : 'idle';
  }
  if (event === 'PermissionRequest') return screen === undefined || recent ? 'waiting' : 'idle';
  if (BUSY_EVENTS.has(event)) {
    // no hook fires when the user refuses a tool: a quiet screen without Claude's busy footer wins
    if (screen !== undefined && !recent && !/esc to interrupt/i.test(screen)) return 'idle';
    return 'busy';
  }
  if (event === 'Stop' || event === 'SessionStart' || event === 'SessionEnd') return 'idle';
  return undefined;
}
