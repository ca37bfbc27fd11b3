// OpenCode's last line. Its TUI draws with cursor moves and no newlines, so the tail of its pane's
// log holds no readable line (status/rules.ts lastLogLine gives the bar, the answer and the footer run
// together): the answer's last line comes from the plugin's session.idle event (hook.ts: eventOf puts
// it in `message`), else from the screen (its chrome: status.ts). Pure.
import type { HookEvent } from '../../status/rules.js';

/** The answer's last line a session.idle event carries, or undefined. */
export function lastLineFromHook(hook: HookEvent | undefined): string | undefined {
  return hook?.event === 'session.idle' && hook.message ? hook.message : undefined;
}
