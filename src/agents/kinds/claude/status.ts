// Claude Code's status from its own hook events (the exact part of status; the rest is in
// status/rules.ts). Pure.
import type { Status } from '../../status/status.js';
import type { HookSignals, ScreenRules } from '../types.js';

const BUSY_EVENTS = new Set(['UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'SubagentStop', 'PreCompact']);

export function claudeStatus({ hook, screen, recent }: HookSignals): Status | undefined {
  const { event, message = '' } = hook;
  if (event === 'Notification') {
    // "Claude needs your permission…" means waiting, unless the screen was read and shows no question
    if (/permission|needs your|approve/i.test(message) && screen === undefined) return 'waiting';
    if (/waiting for your input/i.test(message)) return 'idle';
    return recent ? 'busy' : 'idle';
  }
  // the question was answered once the screen read since shows none (rules.ts looks for one first):
  // working again while Claude's busy sign shows or its screen changes (the approved tool runs), else at
  // its prompt (a refusal ends the turn with no event; output that leaves the screen as it was, Claude's
  // idle screen writing now and then, is not counted as change: status/observer.ts)
  if (event === 'PermissionRequest') return screen === undefined ? 'waiting' : /esc to interrupt/i.test(screen) || recent ? 'busy' : 'idle';
  if (BUSY_EVENTS.has(event)) {
    // no hook fires when the user refuses a tool: a quiet screen without Claude's busy footer wins
    if (screen !== undefined && !recent && !/esc to interrupt/i.test(screen)) return 'idle';
    return 'busy';
  }
  if (event === 'Stop' || event === 'SessionStart' || event === 'SessionEnd') return 'idle';
  return undefined;
}

/**
 * Claude Code's own footer and hints (seen in 2.1.x): the last line of its screen when nothing else
 * is there, never what the agent said. Recorded screens: test/fixtures/screens/claude-*.txt.
 */
export const CLAUDE_CHROME: readonly RegExp[] = [
  /\? for shortcuts/,
  /esc to interrupt/i,
  /shift\+tab to cycle/i,
  /(accept edits|bypass permissions|plan mode) on\b/i,
  /^Press Ctrl-[CD] again to exit/i,
  /ctrl\+[a-z] to (expand|show|see)/i,
];

/** Claude Code's screen where its hooks say nothing (the question rules of status/rules.ts apply to every kind). */
export const CLAUDE_SCREEN: ScreenRules = {
  waiting: [/Do you want to (proceed|make this edit|create|run|allow)/i],
  busy: [/esc to interrupt/i],
};
