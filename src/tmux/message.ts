// Telling the user of a tmux client something: a message on its status line, the bell on its
// terminal. The tmux syntax (the list-clients fields, display-message, `#` escaping) lives here,
// not in the callers; they bring either the control client or the Tmux client to send it through.
import { appendFile } from 'node:fs/promises';
import { literal } from './argv.js';
import type { Tmux } from './client.js';
import type { ControlClient } from './control.js';
import { formatOf, parseRows, type Row } from './format.js';

/** What sends tmux commands: a watcher's control client, or the Tmux client (a process per command). */
export type Sender = Pick<ControlClient, 'command'> | Pick<Tmux, 'run'>;

/** One command's output lines, through either sender. */
function send(via: Sender, args: readonly string[]): Promise<string[]> {
  return 'command' in via ? via.command(args) : via.run(args).then((out) => out.split('\n'));
}

export const CLIENT_FIELDS = ['client_name', 'client_tty', 'client_control_mode', 'window_id'] as const;
/** A client attached to a session: its name, its terminal, whether it is a control client, the window it shows. */
export type ClientRow = Row<(typeof CLIENT_FIELDS)[number]>;

/** The clients attached to a session (control clients included: the caller tells them apart). */
export async function listClients(via: Sender, sessionId: string): Promise<ClientRow[]> {
  const lines = await send(via, ['list-clients', '-t', sessionId, '-F', formatOf(CLIENT_FIELDS)]);
  return parseRows(CLIENT_FIELDS, lines.join('\n'));
}

/** Show TEXT on a client's status line for `ms` (tmux would expand `#…` formats in it: they are escaped). */
export async function showMessage(via: Sender, client: string, text: string, ms = 4000): Promise<void> {
  await send(via, ['display-message', '-c', client, '-d', String(ms), literal(text)]);
}

/** Ring the terminal bell of a client, by writing BEL to its tty. */
export async function ringBell(tty: string): Promise<void> {
  await appendFile(tty, '\x07');
}
