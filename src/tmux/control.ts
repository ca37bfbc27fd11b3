// A tmux control-mode client (`tmux -C attach`): one long-lived tmux process that takes commands on
// its stdin and answers each in a `%begin … %end|%error` block. Watchers send their per-refresh
// commands here, so a refresh spawns no process at all.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

type Proc = ChildProcessByStdio<Writable, Readable, null>;
import { TmuxError, TargetGoneError } from './errors.js';
import { formatOf, PANE_FIELDS, parseRows, type PaneRow } from './format.js';
import type { Tmux } from './client.js';

interface Pending {
  resolve(lines: string[]): void;
  reject(err: Error): void;
}

/** Quote one argument for tmux's command parser (control-mode lines are parsed like a config line). */
export function quoteArg(arg: string): string {
  if (/^[A-Za-z0-9_%@$:.=\/+-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export class ControlClient {
  private proc: Proc;
  private pending: Pending[] = [];
  private buffer = '';
  private block: { lines: string[]; ours: boolean } | null = null;
  private closed = false;
  private exitListeners: (() => void)[] = [];
  private notificationListeners: ((line: string) => void)[] = [];

  private constructor(proc: Proc) {
    this.proc = proc;
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => this.onData(chunk));
    proc.on('exit', () => this.onExit());
    proc.on('error', () => this.onExit());
    proc.stdin.on('error', () => this.onExit());
  }

  /** Attach to a session (by id) as a control client that receives no pane output and sets no size. */
  static attach(tmux: Tmux, sessionId: string): ControlClient {
    const env = { ...process.env };
    delete env.TMUX;
    delete env.TMUX_PANE;
    const proc = spawn('tmux', [...tmux.serverArgs(), '-C', 'attach-session', '-t', sessionId, '-f', 'no-output,ignore-size'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env,
    });
    return new ControlClient(proc);
  }

  /**
   * A control client started by FILE ARGS (tmux -C attach run somewhere else: over ssh on a host,
   * agents/hosts/link.ts). Its stderr is handed to ON_STDERR (why it ended, when it does).
   */
  static start(file: string, args: readonly string[], onStderr?: (text: string) => void): ControlClient {
    const child = spawn(file, [...args], { stdio: ['pipe', 'pipe', onStderr ? 'pipe' : 'ignore'] });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => onStderr?.(d));
    return new ControlClient(child as unknown as Proc);
  }

  get alive(): boolean {
    return !this.closed;
  }

  onClose(listener: () => void): void {
    this.exitListeners.push(listener);
  }

  /** tmux's notifications (`%layout-change @1 …`, `%window-add @2`, …), one line each, as they come. */
  onNotification(listener: (line: string) => void): void {
    this.notificationListeners.push(listener);
  }

  /** Run one command; resolves with its output lines. */
  command(args: readonly string[]): Promise<string[]> {
    if (this.closed) return Promise.reject(new TmuxError('tmux control client is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.proc.stdin.write(`${args.map(quoteArg).join(' ')}\n`);
    });
  }

  /** The session's panes; a pane dead without its status yet (tmux 3.3a) is reaped as in Tmux.listPanes. */
  async listPanes(sessionId: string): Promise<PaneRow[]> {
    const read = async () => parseRows(PANE_FIELDS, (await this.command(['list-panes', '-s', '-t', sessionId, '-F', formatOf(PANE_FIELDS)])).join('\n'));
    const rows = await read();
    if (!rows.some((r) => r.pane_dead === '1' && r.pane_dead_status === '')) return rows;
    await this.command(['run-shell', 'true']);
    return read();
  }

  async capturePane(paneId: string, lines = 60): Promise<string> {
    return (await this.command(['capture-pane', '-p', '-J', '-t', paneId, '-S', `-${lines}`])).join('\n');
  }

  /** The pane's screen as it shows now: its visible rows, one line each, no history, no escapes. */
  async captureScreen(paneId: string): Promise<string> {
    return (await this.command(['capture-pane', '-p', '-t', paneId])).join('\n');
  }

  close(): void {
    if (this.closed) return;
    this.proc.stdin.end();
    this.proc.kill();
    this.onExit();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (this.block) {
      const end = /^%(end|error) \d+ \d+ (\d+)$/.exec(line);
      if (end) {
        const { lines, ours } = this.block;
        this.block = null;
        if (!ours) return; // a block for a command we did not send (the attach itself)
        const waiter = this.pending.shift();
        if (!waiter) return;
        if (end[1] === 'end') waiter.resolve(lines);
        else {
          const message = lines.join(' ').trim() || 'tmux command failed';
          waiter.reject(/can't find|no such/.test(message) ? new TargetGoneError(message) : new TmuxError(message));
        }
        return;
      }
      this.block.lines.push(line);
      return;
    }
    const begin = /^%begin \d+ \d+ (\d+)$/.exec(line);
    if (begin) this.block = { lines: [], ours: begin[1] === '1' };
    else if (line.startsWith('%exit')) this.onExit();
    // other notifications (%session-changed, %window-add, …): for who asked (a watcher's refresh
    // lists panes anyway; the sidebars' painter repaints on %layout-change)
    else if (line.startsWith('%')) for (const l of this.notificationListeners) l(line);
  }

  private onExit(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.splice(0)) p.reject(new TmuxError('tmux control client ended'));
    for (const l of this.exitListeners) l();
  }
}
