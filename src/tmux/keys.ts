// treemux's prefix keys, bound only in its own sessions: tmux key tables are server-wide, so each
// binding is conditional on a session option, and what the key did before is kept on the server so
// that it can be given back.
import { THEN } from './argv.js';
import type { Tmux } from './client.js';

const NOTHING_BOUND = '-';
const savedKeyOption = (key: string) => `@treemux-saved-key-${key.replace(/[^A-Za-z0-9]/g, (c) => c.charCodeAt(0).toString(16))}`;

/** The command bound to KEY in a key table (as tmux lists it), and whether it repeats (`-r`); null when unbound. */
export async function boundCommand(t: Tmux, table: string, key: string): Promise<{ command: string; repeat: boolean } | null> {
  const out = await t.run(['list-keys', '-T', table, key]).catch(() => '');
  const m = new RegExp(`^bind-key\\s+(-r\\s+)?-T\\s+${table}\\s+\\S+\\s+(.*)$`).exec(out.trim());
  return m ? { command: m[2]!.trim(), repeat: Boolean(m[1]) } : null;
}

/**
 * Bind KEY (prefix table) to `command` in sessions whose `option` is set, and keep whatever the key
 * did before everywhere else: tmux key tables are server-wide, so the binding is conditional.
 */
export async function bindInSessions(t: Tmux, key: string, option: string, command: string): Promise<void> {
  const previous = await t.boundCommand('prefix', key);
  if (previous?.command.includes(`#{${option}}`)) return; // ours already
  // a repeating key (bind -r) keeps repeating in the other sessions
  const args = ['bind-key', ...(previous?.repeat ? ['-r'] : []), '-T', 'prefix', key, 'if-shell', '-F', `#{${option}}`, command];
  if (previous) args.push(previous.command);
  // what the key did before, kept on the server, so that unbindInSessions can give it back
  const saved = previous ? `${previous.repeat ? '-r ' : ''}${previous.command}` : NOTHING_BOUND;
  await t.run(['set-option', '-s', savedKeyOption(key), saved, THEN, ...args]);
}

/** Give KEY back what it did before bindInSessions (when the last session that used it is gone). */
export async function unbindInSessions(t: Tmux, key: string, option: string): Promise<void> {
  const current = await t.boundCommand('prefix', key);
  if (!current?.command.includes(`#{${option}}`)) return; // not ours (any more)
  const saved = await t.run(['show-options', '-s', '-v', savedKeyOption(key)]).catch(() => '');
  if (saved === '') return; // bound by a treemux that kept nothing: leave it (the user's old binding is inside it)
  if (saved === NOTHING_BOUND) await t.run(['unbind-key', '-T', 'prefix', key]);
  // the saved text is tmux's own listing of the command: tmux parses it back as a config line
  else if (saved.startsWith('-r ')) await t.run(['source-file', '-'], `bind-key -r -T prefix ${key} ${saved.slice(3)}\n`);
  else await t.run(['source-file', '-'], `bind-key -T prefix ${key} ${saved}\n`);
  await t.run(['set-option', '-s', '-u', savedKeyOption(key)]).catch(() => undefined);
}
