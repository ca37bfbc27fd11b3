// Gemini CLI's status: from its own hook events (the exact part), and the screen rules for when no
// event says it (the fallback). Pure. Recorded screens of the real client (0.61.0, 120×40 in tmux):
// test/fixtures/screens/gemini-{idle,busy,waiting}.txt.
import type { Status } from '../../status/status.js';
import type { HookSignals } from '../types.js';

/**
 * What the screen shows, bottom first (the client redraws its whole screen; the input box and its
 * footer are always there):
 * - busy: a spinner line `⠋ Thinking... (esc to cancel, 3s)`, or `⠴ Executing Hook: treemux (esc to
 *   cancel, 0s)` while a hook runs; a tool that runs shows its box with `esc to cancel` too;
 * - waiting: a box asking `Allow execution of [Shell]?` (a command), `Apply this change?` (an edit),
 *   `Do you trust the files in this folder?` (an untrusted folder), with choices `● 1. Allow once`…;
 * - idle: none of these; the input line `>   Type your message or @path/to/file` is empty.
 */
export const GEMINI_SCREEN = {
  busy: [/\(esc to cancel\b/i],
  waiting: [
    /Allow execution of \[?[^\]\n]*\]?\?/,
    /Apply this change\?/,
    /Do you trust the files in this folder\?/,
    /^[\s│]*● 1\. (Allow once|Trust folder)/m,
  ],
  /** the empty input line: the client takes a prompt */
  idle: [/^[\s│]*>\s+Type your message or @path\/to\/file/m],
} as const;

/** The bottom of the screen, where a question or the spinner is: the last 30 non-blank lines. */
function bottom(screen: string): string {
  return screen
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-30)
    .join('\n');
}

export const showsGeminiQuestion = (screen: string): boolean => GEMINI_SCREEN.waiting.some((re) => re.test(bottom(screen)));
export const showsGeminiBusy = (screen: string): boolean => !showsGeminiQuestion(screen) && GEMINI_SCREEN.busy.some((re) => re.test(bottom(screen)));
export const showsGeminiIdle = (screen: string): boolean =>
  !showsGeminiQuestion(screen) && !showsGeminiBusy(screen) && GEMINI_SCREEN.idle.some((re) => re.test(bottom(screen)));

/** The status a screen alone shows (the fallback when no hook event says it); undefined: it cannot tell. */
export function geminiScreenStatus(screen: string): Status | undefined {
  if (showsGeminiQuestion(screen)) return 'waiting';
  if (showsGeminiBusy(screen)) return 'busy';
  if (showsGeminiIdle(screen)) return 'idle';
  return undefined;
}

/** Events between a prompt and the end of its answer. */
const BUSY_EVENTS = new Set(['BeforeAgent', 'BeforeTool', 'AfterTool', 'BeforeModel', 'AfterModel', 'BeforeToolSelection', 'PreCompress']);

/**
 * Status from the last hook event:
 * - `Notification` (its only type, ToolPermission: the permission question is up, sent right after
 *   BeforeTool) → waiting; but no event follows a refusal (Esc / "No"): the turn just ends ("Request
 *   cancelled."), so a screen that was read and shows no question and no spinner says idle;
 * - `BeforeAgent`, `BeforeTool`, `AfterTool` (and the model events) → busy, unless the screen was read,
 *   nothing was written lately and no spinner is up (an event lost, a hook that timed out);
 * - `AfterAgent` (the answer is complete, or the turn was cancelled with Esc: then its
 *   prompt_response is "[no response text]"), `SessionStart`, `SessionEnd` → idle.
 */
export function geminiStatus({ hook, screen, recent }: HookSignals): Status | undefined {
  const { event } = hook;
  if (event === 'Notification') {
    if (screen === undefined || showsGeminiQuestion(screen)) return 'waiting';
    return recent || showsGeminiBusy(screen) ? 'busy' : 'idle';
  }
  if (BUSY_EVENTS.has(event)) {
    if (screen !== undefined && showsGeminiQuestion(screen)) return 'waiting';
    if (screen !== undefined && !recent && !showsGeminiBusy(screen)) return 'idle';
    return 'busy';
  }
  if (event === 'AfterAgent' || event === 'SessionStart' || event === 'SessionEnd') return 'idle';
  return undefined;
}

/**
 * Gemini CLI's own lines (seen in 0.61.0): its banner, tips, warnings, input box, footer and hints.
 * The last line of its screen when nothing else is there, never what the agent said.
 */
export const GEMINI_CHROME: readonly RegExp[] = [
  /\? for shortcuts/,
  /\(esc to cancel\b/i,
  /^Shift\+Tab to accept edits/i,
  /accepting edits|YOLO mode|plan mode/i,
  /^>\s+Type your message or @path\/to\/file/,
  /^workspace \(\/directory\)/,
  /\bno sandbox\b/,
  /^[▄▀▝▜▗▟\s]+$/u,
  /Gemini CLI v\d/,
  /^Authenticated with \S+ \/auth/,
  /^Tips for getting started:/,
  /^\d\. (Create GEMINI\.md files|\/help for more information|Ask coding questions|Be specific for the best results)/,
  /(True color \(24-bit\)|256-color) support not detected/,
  /^visual experience\.$/,
  /^Press Ctrl\+[CD] again to exit/i,
  /^Executing Hooks?:/,
  // a question's choices: the question above them is the line to show
  /^●?\s*\d\. (Allow once|Allow for this session|Allow always|Modify with external editor|No, suggest changes|Trust folder|Trust parent folder|Don't trust)/,
];
