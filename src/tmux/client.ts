// The only place in treemux that runs tmux. Every call is an argument array through execa (never a
// shell string); the socket option is added here and nowhere else; objects are addressed by tmux ids
// ($session, @window, %pane) taken from the creating command's own -P -F output.
//
// The Tmux class is the one door: its core (run, errors, the socket) is here with the one-command
// methods; what takes several steps lives beside it and is called with the instance: windows.ts
// (making sessions, windows and panes), sidebars.ts (sidebar panes and painting them), typing.ts (text
// into a pane), keys.ts (prefix-key bindings) and clients.ts (showing a window to the user).
import { collect, type Collected } from '../host/exec.js';
import { shellLine } from '../util/invocation.js';
import { THEN, toArgv, type Arg } from './argv.js';
import * as clients from './clients.js';
import { classifyTmuxFailure, ServerNotRunningError, TargetGoneError } from './errors.js';
import { formatOf, PANE_FIELDS, parseRows, SESSION_FIELDS, type PaneRow } from './format.js';
import * as keys from './keys.js';
import * as typing from './typing.js';
import * as windows from './windows.js';
import type { Created, Spawn } from './windows.js';


export interface TmuxOptions {
  /** tmux -L NAME (from --socket or TREEMUX_SOCKET); undefined: tmux's default (or the $TMUX one) */
  socket?: string;
  /**
   * Runs tmux with these arguments (socket included) somewhere else: a host's tmux over ssh
   * (agents/hosts/host.ts). Default: tmux here.
   */
  runner?: (argv: string[], input?: string) => Promise<Collected>;
}

export interface SessionInfo {
  id: string;
  name: string;
  attached: boolean;
}

export class Tmux {
  readonly socket: string | undefined;
  private readonly runner: (argv: string[], input?: string) => Promise<Collected>;

  constructor(opts: TmuxOptions = {}) {
    this.socket = opts.socket;
    this.runner = opts.runner ?? ((argv, input) => collect('tmux', argv, { input }));
  }

  /** Socket arguments, in one place. */
  serverArgs(): string[] {
    return this.socket ? ['-L', this.socket] : [];
  }

  /**
   * Run one tmux command, or a sequence joined by THEN; returns stdout. Throws typed TmuxErrors.
   * tmux splits a command line at any argument that ends in `;`, so every such argument is escaped
   * here (`x;` is sent as `x\;`, which tmux turns back into `x;`): text reaches tmux verbatim.
   */
  async run(args: readonly Arg[], input?: string): Promise<string> {
    const argv = args.map(toArgv);
    const full = [...this.serverArgs(), ...argv];
    const result = await this.runner(full, input);
    if (result.error) throw classifyTmuxFailure(argv, result.error.message, result.error.code);
    if (result.code !== 0) throw classifyTmuxFailure(argv, result.stderr || `tmux exited with ${result.code}`, undefined);
    return result.stdout.replace(/\r?\n$/, '');
  }

  async version(): Promise<string> {
    const out = await collect('tmux', ['-V']);
    if (out.error || out.code !== 0) throw classifyTmuxFailure(['-V'], out.error?.message ?? out.stderr, out.error?.code);
    return out.stdout.replace(/^tmux\s+/, '').trim();
  }

  // ---- sessions ---------------------------------------------------------------------------------

  /** All sessions; empty when no server runs (list calls are lenient). */
  async listSessions(): Promise<SessionInfo[]> {
    try {
      const out = await this.run(['list-sessions', '-F', formatOf(SESSION_FIELDS)]);
      return parseRows(SESSION_FIELDS, out).map((r) => ({
        id: r.session_id,
        name: r.session_name,
        attached: r.session_attached !== '0' && r.session_attached !== '',
      }));
    } catch (err) {
      if (err instanceof ServerNotRunningError) return [];
      throw err;
    }
  }

  /** How many sessions have the user option `option` set (0 when no server runs). */
  async sessionsWithOption(option: string): Promise<number> {
    const out = await this.run(['list-sessions', '-F', `#{${option}}`]).catch(() => '');
    return out.split('\n').filter((l) => l.trim() !== '').length;
  }

  async findSession(name: string): Promise<SessionInfo | null> {
    return (await this.listSessions()).find((s) => s.name === name) ?? null;
  }

  /** New detached session whose first window runs `spawn` (see windows.newSession; `size`: the terminal that will show it). */
  newSession(name: string, windowName: string, spawn: Spawn, size?: { width: number; height: number }, opts: { start?: boolean } = {}): Promise<Created> {
    return windows.newSession(this, name, windowName, spawn, size, opts);
  }

  /** Start `spawn` in a window made with `start: false` (its placeholder still running): options, then the program. */
  startCreated(created: Created, spawn: Spawn): Promise<void> {
    return windows.startIn(this, created, spawn);
  }

  async killSession(sessionId: string): Promise<void> {
    await this.lenient(this.run(['kill-session', '-t', sessionId]));
  }

  async killServer(): Promise<void> {
    await this.lenient(this.run(['kill-server']));
  }

  // ---- windows and panes ------------------------------------------------------------------------

  /** New window, not selected, running `spawn`: at window number `index` when that is free, else the first free one; with `sidebar`, a sidebar of that width at its left. */
  newWindow(sessionId: string, name: string, spawn: Spawn, opts: { index?: number; sidebar?: { width: number } } = {}): Promise<Created> {
    return windows.newWindow(this, sessionId, name, spawn, opts);
  }

  /** Restart the program of a (dead or alive) pane. */
  respawnPane(paneId: string, spawn: Spawn): Promise<void> {
    return windows.respawnPane(this, paneId, spawn);
  }

  /** A new pane beside `paneId` running `spawn` directly; returns its id. */
  splitPane(paneId: string, spawn: Spawn, opts: { left?: boolean; below?: boolean; size?: string }): Promise<string> {
    return windows.splitPane(this, paneId, spawn, opts);
  }

  async killWindow(windowId: string): Promise<void> {
    await this.lenient(this.run(['kill-window', '-t', windowId]));
  }

  /** Several windows in one tmux call; when that fails (one was gone already), one by one. */
  async killWindows(windowIds: readonly string[]): Promise<void> {
    if (windowIds.length === 0) return;
    const all = windowIds.flatMap((id, i): Arg[] => (i === 0 ? ['kill-window', '-t', id] : [THEN, 'kill-window', '-t', id]));
    await this.run(all).catch(async () => {
      for (const id of windowIds) await this.killWindow(id);
    });
  }

  async selectWindow(windowId: string): Promise<void> {
    await this.run(['select-window', '-t', windowId]);
  }

  /**
   * Every pane of a session with the fields treemux reads, in one tmux call. tmux 3.3a sometimes
   * misses a pane's exit (dead, but no status yet) until another of its children ends; when a row
   * shows that, a trivial job is run once and the list read again.
   */
  async listPanes(sessionId: string): Promise<PaneRow[]> {
    try {
      const read = async () => parseRows(PANE_FIELDS, await this.run(['list-panes', '-s', '-t', sessionId, '-F', formatOf(PANE_FIELDS)]));
      const rows = await read();
      if (!rows.some((r) => r.pane_dead === '1' && r.pane_dead_status === '')) return rows;
      await this.run(['run-shell', 'true']);
      return await read();
    } catch (err) {
      if (err instanceof ServerNotRunningError || err instanceof TargetGoneError) return [];
      throw err;
    }
  }

  async capturePane(paneId: string, lines = 200): Promise<string> {
    return this.run(['capture-pane', '-p', '-J', '-t', paneId, '-S', `-${lines}`]);
  }

  /** The pane's screen as it shows now: its visible rows, one line each, no history, no escapes. */
  async captureScreen(paneId: string): Promise<string> {
    return this.run(['capture-pane', '-p', '-t', paneId]);
  }

  /** Type `text` into a pane exactly as given (keys, or pasted when long or multi-line), then Enter unless `enter: false`. */
  sendText(paneId: string, text: string, opts: { enter?: boolean; delayMs?: number } = {}): Promise<void> {
    return typing.sendText(this, paneId, text, opts);
  }

  // ---- options and keys -------------------------------------------------------------------------

  async setWindowOption(windowId: string, name: string, value: string): Promise<void> {
    await this.run(['set-option', '-w', '-t', windowId, name, value]);
  }

  async setSessionOption(sessionId: string, name: string, value: string): Promise<void> {
    await this.run(['set-option', '-t', sessionId, name, value]);
  }

  /** A global session option's value ('' when unset). */
  async globalOption(name: string): Promise<string> {
    return this.run(['show-options', '-g', '-v', name]).catch(() => '');
  }

  async setServerOption(name: string, value: string): Promise<void> {
    await this.run(['set-option', '-s', name, value]);
  }

  /** The command bound to KEY in a key table (as tmux lists it), and whether it repeats (`-r`); null when unbound. */
  boundCommand(table: string, key: string): Promise<{ command: string; repeat: boolean } | null> {
    return keys.boundCommand(this, table, key);
  }

  /** Bind KEY (prefix table) to `command` in sessions whose `option` is set; other sessions keep what it did before. */
  bindInSessions(key: string, option: string, command: string): Promise<void> {
    return keys.bindInSessions(this, key, option, command);
  }

  /** Give KEY back what it did before bindInSessions (when the last session that used it is gone). */
  unbindInSessions(key: string, option: string): Promise<void> {
    return keys.unbindInSessions(this, key, option);
  }

  // ---- clients ----------------------------------------------------------------------------------

  async socketPath(sessionId: string): Promise<string> {
    return this.run(['display-message', '-p', '-t', sessionId, '#{socket_path}']);
  }

  /** Show `target` to the user: switch the tmux client they are in, else attach this terminal ('no-terminal' without one). */
  show(sessionId: string, target: string, io: { isTTY: boolean }): Promise<'switched' | 'attached' | 'no-terminal'> {
    return clients.show(this, sessionId, target, io);
  }

  /** Move a real (non-control) client to `windowId`: the one showing `viewerPane`, else the latest active; false when none. */
  moveClient(windowId: string, viewerPane: string | undefined): Promise<boolean> {
    return clients.moveClient(this, windowId, viewerPane);
  }

  /** The command a user can type to attach to the session themselves. */
  attachHint(session: string): string {
    return shellLine(['tmux', ...this.serverArgs(), 'attach', '-t', session]);
  }

  // ---- internals --------------------------------------------------------------------------------

  private async lenient(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (err) {
      if (err instanceof ServerNotRunningError || err instanceof TargetGoneError) return;
      throw err;
    }
  }
}
