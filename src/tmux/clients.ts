// Showing a window to the user: switching the tmux client they are in, or attaching this terminal.
import { execa } from '../host/exec.js';
import { viewerPane } from './viewer.js';
import type { Tmux } from './client.js';
import { formatOf, parseRows } from './format.js';
import { THEN } from './argv.js';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';


/**
 * Show `target` (a window or session id) to the user: inside tmux on this same server, switch the
 * current client; otherwise attach in this terminal. Returns false when there is no terminal to
 * attach to (the caller prints how to attach).
 */
export async function show(t: Tmux, sessionId: string, target: string, io: { isTTY: boolean }): Promise<'switched' | 'attached' | 'no-terminal'> {
  const inside = process.env.TMUX;
  if (inside) {
    const theirs = inside.split(',')[0];
    // the socket's path as tmux makes it; asked of tmux only when that is not the one we are in
    const ourSocket = theirs === expectedSocketPath(t) ? theirs : await t.socketPath(sessionId).catch(() => '');
    if (ourSocket && theirs === ourSocket) {
      // never a bare switch-client: tmux could pick a watcher's control client as "current"
      if (await t.moveClient(target, viewerPane())) return 'switched';
    }
  }
  if (!io.isTTY) return 'no-terminal';
  const env = { ...process.env };
  delete env.TMUX;
  delete env.TMUX_PANE;
  await execa('tmux', [...t.serverArgs(), 'attach-session', '-t', target], {
    stdio: 'inherit',
    env,
    extendEnv: false,
    reject: false,
  });
  return 'attached';
}

/**
 * Move a real (non-control) client to `windowId`: the one showing `viewerPane` (the pane the caller
 * runs in) if any, else the most recently active one. False when no client is attached.
 */
export async function moveClient(t: Tmux, windowId: string, viewerPane: string | undefined): Promise<boolean> {
  const fields = ['client_name', 'client_control_mode', 'pane_id', 'client_activity'] as const;
  const clients = parseRows(fields, await t.run(['list-clients', '-F', formatOf(fields)]).catch(() => ''))
    .filter((c) => c.client_control_mode !== '1')
    .sort((a, b) => Number(b.client_activity) - Number(a.client_activity));
  const client = clients.find((c) => viewerPane && c.pane_id === viewerPane) ?? clients[0];
  if (!client) {
    await t.run(['select-window', '-t', windowId]);
    return false;
  }
  await t.run(['select-window', '-t', windowId, THEN, 'switch-client', '-c', client.client_name, '-t', windowId]);
  return true;
}

/**
 * The socket path tmux makes for this Tmux's server (TMUX_TMPDIR or /tmp, then tmux-UID resolved,
 * then the socket's name), or null when it cannot be known here (no uid).
 */
export function expectedSocketPath(t: Tmux): string | null {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  const base = join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`);
  let resolved = base;
  try {
    resolved = realpathSync(base);
  } catch {
    // as tmux does: the path as it is when it cannot be resolved
  }
  const args = t.serverArgs();
  return join(resolved, args[0] === '-L' && args[1] ? args[1] : 'default');
}
