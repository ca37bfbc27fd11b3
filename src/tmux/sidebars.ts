// Sidebar panes, the tmux side. A sidebar is a narrow pane at the left of an agent window that runs
// no treemux process: only a tiny program that holds the pane open and swallows what is typed into
// it. The dashboard's process paints the sidebar's text straight into the pane's terminal (its tty).
// Here: making a sidebar at a fixed width (kept by a window hook when a larger client attaches),
// finding the session's sidebars with their tty and size in one call, writing to a pane's tty, and
// noticing when panes may have changed size (a control client's %layout-change).
import { constants, open } from 'node:fs/promises';
import { THEN, cwdArg } from './argv.js';
import type { Tmux } from './client.js';
import { ControlClient } from './control.js';
import { ServerNotRunningError, TargetGoneError } from './errors.js';
import { formatOf, parseRows } from './format.js';

export const SIDEBAR_ROLE = 'sidebar';

/** In a sidebar's start command, so that its painter knows it (and never paints an older treemux's sidebar). */
const MARK = 'TREEMUX_SIDEBAR=1';

/**
 * What runs in a sidebar pane: `cat` reading the keys typed into the pane and dropping them, on a
 * terminal in raw mode without echo, so that nothing typed shows, Ctrl-C does not end it and Ctrl-S
 * does not stop its output. About 1 MB, no CPU. The `sh -c` line is a constant.
 */
export const SIDEBAR_PROGRAM: readonly string[] = ['env', MARK, 'sh', '-c', 'stty raw -echo 2>/dev/null; exec cat >/dev/null'];

/** The PANE fields a painter reads; the last is 1 for a pane running SIDEBAR_PROGRAM. */
const FIELDS = [
  'pane_id',
  'pane_tty',
  'pane_width',
  'pane_height',
  'pane_dead',
  '@treemux-role',
  '@treemux-agent',
  `m:env ${MARK} *,#{pane_start_command}`,
] as const;

export interface SidebarPane {
  paneId: string;
  /** its window's agent (the window option @treemux-agent) */
  agent: string;
  width: number;
  height: number;
  /** the pane's terminal, e.g. /dev/pts/7 */
  tty: string;
}

/**
 * A sidebar `width` columns wide at the left of `agentPane`'s window, the window's full height.
 * Its width is kept by a window-resized hook on the window: when a larger client attaches, tmux
 * shares the new columns out among the panes, and the hook gives the sidebar its width back.
 * Returns the new pane's id.
 */
export async function addSidebar(t: Tmux, agentPane: string, opts: { cwd: string; width: number }): Promise<string> {
  const width = String(opts.width);
  const out = await t.run([
    'split-window', '-d', '-h', '-b', '-f', '-l', width, '-t', agentPane, '-c', cwdArg(opts.cwd), '-P', '-F', '#{pane_id}', '--', ...SIDEBAR_PROGRAM,
  ]);
  const id = out.trim();
  await t.run([
    'set-option', '-p', '-t', id, '@treemux-role', SIDEBAR_ROLE, THEN,
    'set-hook', '-w', '-t', id, 'window-resized', `resize-pane -t ${id} -x ${width}`,
  ]);
  return id;
}

/** The sidebars in `listPanes` output (FIELDS): alive panes of role sidebar running SIDEBAR_PROGRAM. */
export function sidebarsIn(out: string): SidebarPane[] {
  return parseRows(FIELDS, out)
    .filter((r) => r['@treemux-role'] === SIDEBAR_ROLE && r[FIELDS[7]] === '1' && r.pane_dead !== '1' && r.pane_tty !== '')
    .map((r) => ({ paneId: r.pane_id, agent: r['@treemux-agent'], width: Number(r.pane_width), height: Number(r.pane_height), tty: r.pane_tty }));
}

const TTY_FLAGS = constants.O_WRONLY | constants.O_NOCTTY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** How long a write waits for a terminal whose buffer is full (tmux reads it at once; a stuck one is left). */
const STALL_MS = 10;
const STALLS = 30;

/**
 * Write `text` to a pane's terminal, as its program would. Only a character device under /dev,
 * opened without following a link, without becoming our controlling terminal and without blocking.
 * False when it could not be written whole (the pane went, its terminal is stuck): the caller
 * paints it again next time.
 */
export async function writeTty(tty: string, text: string): Promise<boolean> {
  if (!/^\/dev\/[A-Za-z0-9/]+$/.test(tty)) return false;
  let file;
  try {
    file = await open(tty, TTY_FLAGS);
  } catch {
    return false; // the pane (and its terminal) went
  }
  try {
    if (!(await file.stat()).isCharacterDevice()) return false;
    let rest = Buffer.from(text, 'utf8');
    let stalls = 0;
    while (rest.length > 0) {
      try {
        const { bytesWritten } = await file.write(rest);
        rest = rest.subarray(bytesWritten);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || ++stalls > STALLS) return false;
        await new Promise((r) => setTimeout(r, STALL_MS));
      }
    }
    return true;
  } catch {
    return false;
  } finally {
    await file.close().catch(() => undefined); // closing a terminal that went: nothing to keep
  }
}

/** A session found again at most this often while it does not exist (a dashboard started before `up`). */
const FIND_SESSION_MS = 5_000;

/**
 * A session's sidebars for a painter: listed over a control client of its own (one command, no
 * process), which also tells when panes may have changed size. A client attaching or a terminal
 * resized makes tmux resize the window (%layout-change), and the window's hook then resizes the
 * sidebar; tmux sends no notification for what a hook does, but it runs the hook before it reads
 * the next command, so the list that follows the notification has the sidebar's final size.
 */
export class SessionSidebars {
  private control: ControlClient | null = null;
  private sessionId: string | null = null;
  private triedAt = -Infinity;
  private listeners = new Set<() => void>();

  constructor(
    private t: Tmux,
    private sessionName: string,
  ) {}

  /** The session's sidebars now; none when the session does not exist. */
  async panes(): Promise<SidebarPane[]> {
    await this.connect();
    const id = this.sessionId;
    if (!id) return [];
    const args = ['list-panes', '-s', '-t', id, '-F', formatOf(FIELDS)];
    try {
      const control = this.control?.alive ? this.control : null;
      return sidebarsIn(control ? (await control.command(args)).join('\n') : await this.t.run(args));
    } catch (err) {
      if (err instanceof ServerNotRunningError || err instanceof TargetGoneError) return [];
      throw err;
    }
  }

  /** Write a sidebar's text to its terminal (false: not written whole). */
  write(pane: SidebarPane, text: string): Promise<boolean> {
    return writeTty(pane.tty, text);
  }

  /** `listener` runs when the session's panes may have changed size or number. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.control?.close();
    this.control = null;
    this.listeners.clear();
  }

  private async connect(): Promise<void> {
    if (this.control?.alive) return;
    const now = Date.now();
    if (now - this.triedAt < FIND_SESSION_MS) return;
    this.triedAt = now;
    const session = await this.t.findSession(this.sessionName);
    this.sessionId = session?.id ?? null;
    if (!session) return;
    const control = ControlClient.attach(this.t, session.id);
    control.onNotification((line) => {
      if (/^%(layout-change|window-add|window-close|unlinked-window-close) /.test(line)) for (const l of this.listeners) l();
    });
    // the session went (or the server): found again on the next paint that asks
    control.onClose(() => (this.triedAt = -Infinity));
    this.control = control;
  }
}
