// OpenCode's status from its own events (what treemux's plugin forwards, see plugin.ts and hook.ts),
// and what its screen shows when no event says. Pure.
//
// The events, as opencode-ai 1.18.33 emits them on its bus (recorded:
// test/fixtures/events/opencode-plugin.jsonl), in a turn's order:
//   session.status {status:{type:"busy"}}   a prompt was taken, a step began (repeated each step)
//   permission.asked {permission, patterns}  the question is on screen
//   permission.replied {reply:"once"|"always"|"reject"}
//   session.status {status:{type:"idle"}}, then session.idle   the turn is over (a rejection ends it too)
//   session.error {error}                    the model request failed for good (session.idle follows)
// treemux keeps them as HookEvents (hook.ts: eventOf): `event` is the type, `message` the status type,
// the reply, the question or the answer's last line.
import type { Status } from '../../status/status.js';
import type { HookSignals } from '../types.js';

/**
 * OpenCode's TUI, as it draws itself (1.18.33, recorded in test/fixtures/screens/opencode-*.txt):
 * - busy: a moving bar `⬝⬝⬝⬝⬝■■■  esc interrupt` at the bottom left;
 * - waiting: a permission box `△ Permission required` … `Allow once   Allow always   Reject` in place
 *   of the input box;
 * - idle: the bar's place shows the folder (and the context used), `ctrl+p commands` at the right;
 *   a new session with no prompt yet shows its logo and `Ask anything…`.
 */
export const OPENCODE_SCREEN = {
  busy: /esc interrupt/,
  waiting: /△ Permission required|Allow once\s+Allow always\s+Reject/,
  idle: /ctrl\+p commands/,
} as const;

/** Questions OpenCode asks on its screen, for status/rules.ts's `showsQuestion` (its QUESTION list). */
export const OPENCODE_QUESTION: readonly RegExp[] = [/△ Permission required/, /Allow once\s+Allow always\s+Reject/];

/** What the screen alone says (undefined: none of OpenCode's own marks is on it). */
export function screenStatus(screen: string): Extract<Status, 'busy' | 'waiting' | 'idle'> | undefined {
  if (OPENCODE_SCREEN.waiting.test(screen)) return 'waiting';
  if (OPENCODE_SCREEN.busy.test(screen)) return 'busy';
  if (OPENCODE_SCREEN.idle.test(screen)) return 'idle';
  return undefined;
}

export function opencodeStatus({ hook, screen }: HookSignals): Status | undefined {
  const { event, message = '' } = hook;
  switch (event) {
    case 'session.status':
      if (message === 'idle') return 'idle';
      if (message === 'busy' || message === 'retry') return busyUnlessScreenSays(screen);
      return undefined;
    case 'session.idle':
    case 'session.error':
      return 'idle';
    case 'permission.asked':
      // answered meanwhile by a way that sent no event (none known): the screen read after it says
      return screen !== undefined && screenStatus(screen) === 'busy' ? 'busy' : 'waiting';
    case 'permission.replied':
      // a rejection ends the turn: session.idle follows at once
      return message === 'reject' ? 'idle' : busyUnlessScreenSays(screen);
    case 'tool.execute.before':
      return busyUnlessScreenSays(screen);
    default:
      return undefined;
  }
}

/** Busy, unless the screen was read and shows OpenCode idle (an event lost on the way, a killed plugin call). */
function busyUnlessScreenSays(screen: string | undefined): Status {
  return screen !== undefined && screenStatus(screen) === 'idle' ? 'idle' : 'busy';
}

/**
 * OpenCode's own screen furniture (1.18.33): the footer, the input box's agent and model line, the
 * per-answer `▣ Build · Model · 8.4s` line, the logo and tips of a new session. Never an agent's last
 * line. (The box's `┃` is taken off before these are tried.) A custom primary agent's name in the
 * model line is not known here: only OpenCode's own `Build` and `Plan` are.
 */
export const OPENCODE_CHROME: readonly RegExp[] = [
  /ctrl\+p commands/,
  /esc interrupt/,
  /tab agents/,
  /enter confirm/,
  /^[╹╻▀▄█\s]+$/u,
  /^▣\s/u,
  /^(Build|Plan)( auto)? · /,
  /^Ask anything…/,
  /^● Tip\b/u,
  /^\S+\s{2,}\d+\.\d+\.\d+$/,
];
