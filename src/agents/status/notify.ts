// Telling the user, once, when an agent starts waiting for them or finishes its turn: a message on
// the status line of every tmux client that does not show that agent's window already, and the
// terminal's bell. Who is told what is decided here, purely; tmux/message.ts says it.
import type { ControlClient } from '../../tmux/control.js';
import { listClients, ringBell, showMessage, type ClientRow } from '../../tmux/message.js';
import type { AgentRow } from './snapshot.js';
import type { Status } from './status.js';

/** One message for one client. */
export interface Telling {
  client: string;
  /** its terminal, for the bell ('' when tmux does not say) */
  tty: string;
  text: string;
}

/**
 * The agents whose change of status is news: it now waits for the user, or went from busy to idle
 * (its turn ended). Not the first status seen of an agent, nor a change a resize's redraw made.
 */
export function newsOf(agents: readonly AgentRow[], before: ReadonlyMap<string, Status | undefined>, redrawn: (name: string) => boolean): AgentRow[] {
  return agents.filter((a) => {
    if (redrawn(a.name)) return false;
    const was = before.get(a.name);
    return was !== undefined && was !== a.status && (a.status === 'waiting' || (was === 'busy' && a.status === 'idle'));
  });
}

/** What each real client is told: the news of agents whose window it does not show (control clients are told nothing). */
export function tellings(news: readonly AgentRow[], clients: readonly ClientRow[], windowOf: ReadonlyMap<string, string | undefined>): Telling[] {
  const out: Telling[] = [];
  for (const c of clients) {
    if (!c.client_name || c.client_control_mode === '1') continue;
    // a client that shows the agent's window sees it already
    const told = news.filter((a) => windowOf.get(a.name) !== c.window_id).map((a) => (a.status === 'waiting' ? `${a.name} needs you` : `${a.name} finished its turn`));
    if (told.length > 0) out.push({ client: c.client_name, tty: c.client_tty, text: `treemux: ${told.join('; ')}` });
  }
  return out;
}

/** Tell the clients attached to the session of the news (WINDOW_OF: each agent's window id). */
export async function tell(control: ControlClient, sessionId: string, news: readonly AgentRow[], windowOf: ReadonlyMap<string, string | undefined>): Promise<void> {
  if (news.length === 0) return;
  // the control client ending during the call: nobody is told this time (the news is a courtesy)
  const clients = await listClients(control, sessionId).catch(() => [] as ClientRow[]);
  for (const t of tellings(news, clients, windowOf)) {
    await showMessage(control, t.client, t.text).catch(() => undefined); // a client that detached meanwhile
    if (t.tty) await ringBell(t.tty).catch(() => undefined); // a terminal gone or not ours to write: no bell
  }
}
