// Codex's status from its own hook events (the exact part), and what its screen shows (the fallback
// when no event came: a client started without treemux's hooks, an event lost). Pure.
//
// Recorded screens of the real client (0.171.0, 120x40): test/fixtures/screens/codex-*.txt.
import type { Status } from '../../status/status.js';
import type { HookSignals } from '../types.js';

/** Its busy line: `• Working (3s • esc to interrupt)` (the bullet blinks •/◦). */
const BUSY_LINE = /\bWorking \(.*esc to interrupt\)/;

/**
 * Working. SessionStart too: Codex runs it with the first turn (a resumed TUI: at its first prompt, not
 * when it starts), just before UserPromptSubmit, and hooks run one after the other: while treemux's
 * UserPromptSubmit hook still starts, SessionStart is the last event and the turn is under way.
 */
const BUSY_EVENTS = new Set(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'PreCompact', 'PostCompact', 'SubagentStart', 'SubagentStop']);

export function codexStatus({ hook, screen, recent }: HookSignals): Status | undefined {
  const { event } = hook;
  if (event === 'PermissionRequest') {
    // the question is up until the user answers: approving runs the command (PostToolUse follows when
    // it ends), refusing interrupts the turn (Interrupt follows). A screen read since that shows
    // neither the question (status/rules.ts checks it first) nor work means it was answered.
    if (screen === undefined || showsApproval(screen)) return 'waiting';
    return recent || BUSY_LINE.test(screen) ? 'busy' : 'idle';
  }
  if (BUSY_EVENTS.has(event)) {
    // an event that never came (a hook that timed out) must not leave it busy for ever
    if (screen !== undefined && !recent && !BUSY_LINE.test(screen)) return 'idle';
    return 'busy';
  }
  // Stop: the turn ended; Interrupt: esc, or a refused command (no Stop follows it)
  if (event === 'Stop' || event === 'Interrupt' || event === 'SessionEnd') return 'idle';
  return undefined;
}

// ---- the screen -------------------------------------------------------------------------------

/**
 * Busy: the working line above the input (codex-busy.txt). The footer below the input
 * (`← for agents · ? for shortcuts`) is the same busy or idle.
 */
export const CODEX_BUSY_SCREEN = BUSY_LINE;

/**
 * Waiting: an approval question (codex-waiting.txt): `Would you like to run the following command?`
 * (or `… make the following edits?`, `… allow …`), its choices `› 1. Yes, proceed (y)` …
 * `3. No, and tell Codex what to do differently (esc)`, and `Press enter to confirm or esc to cancel`.
 */
export const CODEX_WAITING_SCREEN = /Would you like to (run the following command|make the following edits|allow|grant)|Press enter to confirm or esc to cancel/;

/** Idle: the input line and the footer, without the working line or a question (codex-idle.txt). */
export const CODEX_IDLE_SCREEN = /\? for shortcuts/;

/** Its first screen: the logo while it starts (codex-splash.txt), before the input takes keys. */
export const CODEX_SPLASH_SCREEN = />_ OpenAI Codex \(v[\d.]+\)/;

/** What Codex's screen shows, by the rules above (undefined: none of them, e.g. a dialog or its exit). */
export function codexScreenState(screen: string): 'busy' | 'waiting' | 'idle' | undefined {
  const tail = screen.replace(/\s+$/, '').split('\n').slice(-20).join('\n');
  if (showsApproval(tail)) return 'waiting';
  if (CODEX_BUSY_SCREEN.test(tail)) return 'busy';
  if (CODEX_IDLE_SCREEN.test(tail)) return 'idle';
  return undefined;
}

function showsApproval(screen: string): boolean {
  return CODEX_WAITING_SCREEN.test(screen.replace(/\s+$/, '').split('\n').slice(-20).join('\n'));
}

/**
 * Codex's own lines (seen in 0.171.0): never what the agent said. The input line (`› Ask Codex to do
 * anything`, or the prompt being typed; a sent prompt shows the same way), the working line, the
 * footer (`gpt-x default · ~/dir · title`, `← for agents · ? for shortcuts`, `⚠ 1 warning · f2 to
 * view`), a turn's end (`Worked for 7s • 06:54`), an approval's hints, the header (`>_ OpenAI Codex
 * (v0.171.0)` over its folder).
 */
export const CODEX_CHROME: readonly RegExp[] = [
  /^›(\s|$)/,
  /esc to interrupt\)/,
  /\? for shortcuts/,
  /← for agents/,
  /f2 to view$/,
  /^[^·]{1,60} (default|none|minimal|low|medium|high|xhigh)( fast)? · .+/,
  /^Worked for .+ • \d{1,2}:\d{2}$/,
  /^─ Worked for .+─*$/,
  /Press enter to confirm or esc to cancel/,
  /^enter\/esc confirm/,
  /^└ \(no output\)$/,
  /^>_ OpenAI Codex \(v[\d.]+\)$/,
  // the header's second line: its folder (`loading` while it starts); an answer that is a bare path is lost with it
  /^(~|\/)\S*$/,
  /^loading$/,
];
