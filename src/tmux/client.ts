// The only place in treemux that runs tmux. Every call is an argument array through execa (never a
// shell string); the socket option is added here and nowhere else; objects are addressed by tmux ids
// ($session, @window, %pane) taken from the creating command's own -P -F output.
import { shellQuote } from '../util/shell.js';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { classifyTmuxFailure, ServerNotRunningError, TargetGoneError, TmuxError } from './errors.js';
import { THEN, toArgv, cwdArg, literal, type Arg } from './argv.js';
import { CREATED_FIELDS, formatOf, PANE_FIELDS, parseRows, SESSION_FIELDS, type PaneRow } from './format.js';
import { shellLine } from '../util/invocation.js';
import { crashPoint } from '../util/crash.js';

export interface TmuxOptions {
  /** tmux -L NAME (from --socket or TREEMUX_SOCKET); undefined: tmux's default (or the $TMUX one) */
  socket?: string;
}

export interface Created {
  sessionId: string;
  windowId: string;
  /** the window's number in its session */
  windowIndex: number;
  paneId: string;
}

export interface Spawn {
  cwd: string;
  /** argv; run directly by tmux (execvp), never through a shell */
  command: readonly string[];
  env?: Record<string, string>;
  /** user options (`@name`) set on the new window, and on its first pane, before the program starts */
  windowOptions?: Record<string, string>;
  paneOptions?: Record<string, string>;
  /** keep the pane (dead) when its program ends, so its exit can be seen; default true */
  remainOnExit?: boolean;
  /**
   * append everything the program prints to this file (tmux pipe-pane), attached before the program
   * starts so that even a program that ends at once leaves its last words there
   */
  log?: string;
}

export interface SessionInfo {
  id: string;
  name: string;
  attached: boolean;
}

/**
 * Something that only waits, so that options can be set on a window before its real program runs;
 * recognisable (PLACEHOLDER_FIELD) in a window whose making was cut short.
 */
const PLACEHOLDER = ['env', 'TREEMUX_PLACEHOLDER=1', 'sleep', '2147483647'];

export class Tmux {
  readonly socket: string | undefined;

  constructor(opts: TmuxOptions = {}) {
    this.socket = opts.socket;
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
    let result;
    try {
      result = await execa('tmux', full, { reject: false, input, stripFinalNewline: true });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw classifyTmuxFailure(argv, e.message, e.code);
    }
    if (result.failed) {
      const code = (result as { code?: string }).code;
      throw classifyTmuxFailure(argv, String(result.stderr || result.message || ''), code);
    }
    return String(result.stdout);
  }

  async version(): Promise<string> {
    const out = await execa('tmux', ['-V'], { reject: false });
    if (out.failed) throw classifyTmuxFailure(['-V'], String(out.stderr ?? ''), (out as { code?: string }).code);
    return String(out.stdout).replace(/^tmux\s+/, '').trim();
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

  /** New detached session whose first window runs `spawn`, with remain-on-exit set before it starts. */
  /**
   * `size`: the terminal that will show it, so that its windows (detached until then) are made that
   * big instead of 80x24 (tmux keeps it as the session's default-size).
   */
  async newSession(name: string, windowName: string, spawn: Spawn, size?: { width: number; height: number }): Promise<Created> {
    const out = await this.run([
      'new-session', '-d', '-s', literal(name), '-n', literal(windowName), '-c', cwdArg(spawn.cwd),
      ...(size ? ['-x', String(size.width), '-y', String(size.height)] : []),
      '-P', '-F', formatOf(CREATED_FIELDS), '--', ...PLACEHOLDER,
    ]);
    const created = this.created(out);
    try {
      await this.startIn(created, spawn);
    } catch (err) {
      await this.killSession(created.sessionId);
      throw err;
    }
    return created;
  }

  async killSession(sessionId: string): Promise<void> {
    await this.lenient(this.run(['kill-session', '-t', sessionId]));
  }

  async killServer(): Promise<void> {
    await this.lenient(this.run(['kill-server']));
  }

  // ---- windows and panes ------------------------------------------------------------------------

  /**
   * New window, not selected, running `spawn` (remain-on-exit on): at window number `index` when that
   * is free, else at the first free number.
   */
  async newWindow(sessionId: string, name: string, spawn: Spawn, opts: { index?: number } = {}): Promise<Created> {
    const create = (target: string) =>
      this.run(['new-window', '-d', '-t', target, '-n', literal(name), '-c', cwdArg(spawn.cwd), '-P', '-F', formatOf(CREATED_FIELDS), '--', ...PLACEHOLDER]);
    let out;
    try {
      out = await create(`${sessionId}:${opts.index ?? ''}`);
    } catch (err) {
      if (opts.index === undefined || !/index \d+ in use/.test(String((err as Error).message))) throw err;
      out = await create(`${sessionId}:`);
    }
    const created = this.created(out);
    crashPoint('window-made');
    try {
      await this.startIn(created, spawn);
    } catch (err) {
      await this.killWindow(created.windowId);
      throw err;
    }
    return created;
  }

  /** Restart the program of a (dead or alive) pane. */
  async respawnPane(paneId: string, spawn: Spawn): Promise<void> {
    await this.run(['respawn-pane', '-k', '-t', paneId, '-c', cwdArg(spawn.cwd), ...envArgs(spawn.env), '--', ...direct(spawn.command), ...(await this.logArgs(paneId, spawn))]);
  }

  async killWindow(windowId: string): Promise<void> {
    await this.lenient(this.run(['kill-window', '-t', windowId]));
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

  /**
   * Type `text` into a pane exactly as given, then press Enter. One short line is typed as keys
   * (`send-keys -l`: a choice at a permission question must be key presses, which Claude Code takes
   * and a paste it ignores); text with newlines, or longer than MAX_KEYS_BYTES, travels on tmux's
   * stdin into a private paste buffer and is pasted (bracketed when the program asked for it), so it
   * arrives whole whatever its size.
   * Never through a shell; arguments ending in `;` are escaped by run().
   */
  async sendText(paneId: string, text: string, opts: { enter?: boolean } = {}): Promise<void> {
    // a long line is pasted too: as keys it would have to fit on tmux's own command line
    if (/[\r\n]/.test(text) || Buffer.byteLength(text) > MAX_KEYS_BYTES) {
      const buffer = `treemux-${randomBytes(6).toString('hex')}`;
      await this.run(['load-buffer', '-b', buffer, '-'], text);
      try {
        await this.run(['paste-buffer', '-p', '-d', '-b', buffer, '-t', paneId]);
      } catch (err) {
        await this.run(['delete-buffer', '-b', buffer]).catch(() => undefined); // never leave the text behind
        throw err;
      }
    } else if (text.length > 0) {
      await this.run(['send-keys', '-t', paneId, '-l', '--', text]);
    }
    if (opts.enter !== false) await this.run(['send-keys', '-t', paneId, 'Enter']);
  }

  /**
   * THEN and the pipe-pane command that appends everything the pane prints to `spawn.log` (nothing
   * without one). It follows respawn-pane in the same tmux call: tmux reads the new program's output
   * only after the whole call, so not a byte is missed, even of a program that ends at once; and a
   * pipe-pane with a command replaces the pane's old pipe (which a dead pane keeps, closed). The path
   * is ours and is single-quoted for the shell tmux uses.
   */
  private async logArgs(paneId: string, spawn: Pick<Spawn, 'log'>): Promise<Arg[]> {
    if (!spawn.log) return [];
    await mkdir(dirname(spawn.log), { recursive: true });
    return [THEN, 'pipe-pane', '-t', paneId, `exec cat >> ${shellQuote(spawn.log)}`];
  }

  /** A new pane beside `paneId` running `spawn` directly; returns its id. */
  async splitPane(paneId: string, spawn: Spawn, opts: { left?: boolean; below?: boolean; size?: string }): Promise<string> {
    const out = await this.run([
      'split-window', '-d', opts.below ? '-v' : '-h', ...(opts.left ? ['-b'] : []), ...(opts.size ? ['-l', opts.size] : []),
      '-t', paneId, '-c', cwdArg(spawn.cwd), ...envArgs(spawn.env), '-P', '-F', '#{pane_id}', '--', ...direct(spawn.command),
    ]);
    const id = out.trim();
    for (const [k, v] of Object.entries(spawn.paneOptions ?? {})) await this.run(['set-option', '-p', '-t', id, k, v]);
    return id;
  }

  /** The command bound to KEY in a key table (as tmux lists it), and whether it repeats (`-r`); null when unbound. */
  async boundCommand(table: string, key: string): Promise<{ command: string; repeat: boolean } | null> {
    const out = await this.run(['list-keys', '-T', table, key]).catch(() => '');
    const m = new RegExp(`^bind-key\\s+(-r\\s+)?-T\\s+${table}\\s+\\S+\\s+(.*)$`).exec(out.trim());
    return m ? { command: m[2]!.trim(), repeat: Boolean(m[1]) } : null;
  }

  /**
   * Bind KEY (prefix table) to `command` in sessions whose `option` is set, and keep whatever the key
   * did before everywhere else: tmux key tables are server-wide, so the binding is conditional.
   */
  async bindInSessions(key: string, option: string, command: string): Promise<void> {
    const previous = await this.boundCommand('prefix', key);
    if (previous?.command.includes(`#{${option}}`)) return; // ours already
    // a repeating key (bind -r) keeps repeating in the other sessions
    const args = ['bind-key', ...(previous?.repeat ? ['-r'] : []), '-T', 'prefix', key, 'if-shell', '-F', `#{${option}}`, command];
    if (previous) args.push(previous.command);
    // what the key did before, kept on the server, so that unbindInSessions can give it back
    const saved = previous ? `${previous.repeat ? '-r ' : ''}${previous.command}` : NOTHING_BOUND;
    await this.run(['set-option', '-s', savedKeyOption(key), saved, THEN, ...args]);
  }

  /** Give KEY back what it did before bindInSessions (when the last session that used it is gone). */
  async unbindInSessions(key: string, option: string): Promise<void> {
    const current = await this.boundCommand('prefix', key);
    if (!current?.command.includes(`#{${option}}`)) return; // not ours (any more)
    const saved = await this.run(['show-options', '-s', '-v', savedKeyOption(key)]).catch(() => '');
    if (saved === '') return; // bound by a treemux that kept nothing: leave it (the user's old binding is inside it)
    if (saved === NOTHING_BOUND) await this.run(['unbind-key', '-T', 'prefix', key]);
    // the saved text is tmux's own listing of the command: tmux parses it back as a config line
    else if (saved.startsWith('-r ')) await this.run(['source-file', '-'], `bind-key -r -T prefix ${key} ${saved.slice(3)}\n`);
    else await this.run(['source-file', '-'], `bind-key -T prefix ${key} ${saved}\n`);
    await this.run(['set-option', '-s', '-u', savedKeyOption(key)]).catch(() => undefined);
  }

  async socketPath(sessionId: string): Promise<string> {
    return this.run(['display-message', '-p', '-t', sessionId, '#{socket_path}']);
  }

  // ---- clients ----------------------------------------------------------------------------------

  /**
   * Show `target` (a window or session id) to the user: inside tmux on this same server, switch the
   * current client; otherwise attach in this terminal. Returns false when there is no terminal to
   * attach to (the caller prints how to attach).
   */
  async show(sessionId: string, target: string, io: { isTTY: boolean }): Promise<'switched' | 'attached' | 'no-terminal'> {
    const inside = process.env.TMUX;
    if (inside) {
      const ourSocket = await this.socketPath(sessionId).catch(() => '');
      if (ourSocket && inside.split(',')[0] === ourSocket) {
        // never a bare switch-client: tmux could pick a watcher's control client as "current"
        if (await this.moveClient(target, process.env.TMUX_PANE)) return 'switched';
      }
    }
    if (!io.isTTY) return 'no-terminal';
    const env = { ...process.env };
    delete env.TMUX;
    delete env.TMUX_PANE;
    await execa('tmux', [...this.serverArgs(), 'attach-session', '-t', target], {
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
  async moveClient(windowId: string, viewerPane: string | undefined): Promise<boolean> {
    await this.run(['select-window', '-t', windowId]);
    const fields = ['client_name', 'client_control_mode', 'pane_id', 'client_activity'] as const;
    const clients = parseRows(fields, await this.run(['list-clients', '-F', formatOf(fields)]).catch(() => ''))
      .filter((c) => c.client_control_mode !== '1')
      .sort((a, b) => Number(b.client_activity) - Number(a.client_activity));
    const client = clients.find((c) => viewerPane && c.pane_id === viewerPane) ?? clients[0];
    if (!client) return false;
    await this.run(['switch-client', '-c', client.client_name, '-t', windowId]);
    return true;
  }

  /** The command a user can type to attach to the session themselves. */
  attachHint(session: string): string {
    return shellLine(['tmux', ...this.serverArgs(), 'attach', '-t', session]);
  }

  // ---- internals --------------------------------------------------------------------------------

  private created(out: string): Created {
    const row = parseRows(CREATED_FIELDS, out)[0];
    if (!row) throw new TmuxError(`tmux did not report the new window (${out})`);
    return { sessionId: row.session_id, windowId: row.window_id, windowIndex: Number(row.window_index), paneId: row.pane_id };
  }

  /** Set remain-on-exit and our options, then replace the placeholder with the real program: one call. */
  private async startIn(created: Created, spawn: Spawn): Promise<void> {
    const options: Arg[] = [
      ...Object.entries(spawn.windowOptions ?? {}).flatMap(([k, v]): Arg[] => ['set-option', '-w', '-t', created.windowId, k, v, THEN]),
      ...Object.entries(spawn.paneOptions ?? {}).flatMap(([k, v]): Arg[] => ['set-option', '-p', '-t', created.paneId, k, v, THEN]),
    ];
    await this.run([
      ...options,
      'set-option', '-w', '-t', created.windowId, 'remain-on-exit', spawn.remainOnExit === false ? 'off' : 'on', THEN,
      'respawn-pane', '-k', '-t', created.paneId, '-c', cwdArg(spawn.cwd), ...envArgs(spawn.env), '--', ...direct(spawn.command),
      ...(await this.logArgs(created.paneId, spawn)),
    ]);
  }

  private async lenient(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (err) {
      if (err instanceof ServerNotRunningError || err instanceof TargetGoneError) return;
      throw err;
    }
  }
}

/** Longer text than this is pasted, not typed as keys (tmux refuses a command line of about 16 KB). */
const MAX_KEYS_BYTES = 4096;

const NOTHING_BOUND = '-';
const savedKeyOption = (key: string) => `@treemux-saved-key-${key.replace(/[^A-Za-z0-9]/g, (c) => c.charCodeAt(0).toString(16))}`;

/** Single-quote a string for sh. */

function envArgs(env: Record<string, string> | undefined): string[] {
  return Object.entries(env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
}

/** tmux hands a single-word command to `sh -c`; with two or more words it runs them directly. */
function direct(command: readonly string[]): string[] {
  if (command.length === 0) throw new TmuxError('empty command');
  return command.length === 1 ? ['env', '--', command[0]!] : [...command];
}
