// The leading watcher's line to a host's tmux: one control-mode client there, over the host's shared
// ssh connection (`ssh -T HOST tmux -C attach`), attached to the project's session with no output and
// no size. tmux tells it when a window was active, a pane died or an agent's hook wrote an event
// (a subscription on those values, checked there once a second), so nothing is polled; panes and
// screens are read through it, with no process. Attached again at most every 5 s while it is down.
import { ControlClient } from '../../tmux/control.js';
import type { RemoteHost } from './host.js';

const RETRY_MS = 5_000;
/**
 * A pane's screen mark: its window's activity (whole seconds), its cursor and history size (which
 * move within a second: a question drawn and answered in the same second still changes them).
 */
export const SCREEN_MARK = '#{window_activity}.#{cursor_x}.#{cursor_y}.#{history_size}.#{pane_dead}';
/** What tmux there watches for us: a change of any of these in any pane wakes the watcher. */
export const SUBSCRIPTION = `treemux-host:%*:${SCREEN_MARK} #{@treemux-events}`;

export class HostLink {
  private control: ControlClient | null = null;
  private triedAt = 0;
  /** why the last attach failed or the client ended (ssh's or tmux's words) */
  lastError = '';

  constructor(
    readonly host: RemoteHost,
    private onChange: () => void,
  ) {}

  get client(): ControlClient | null {
    return this.control?.alive ? this.control : null;
  }

  /** Attach when not attached (and the last try is 5 s old). The ssh connection must be up. */
  connect(now: number): void {
    if (this.control?.alive || now - this.triedAt < RETRY_MS) return;
    this.triedAt = now;
    const tmux = ['tmux', ...(this.host.socket ? ['-L', this.host.socket] : []), '-C', 'attach-session', '-t', `=${this.host.session}`, '-f', 'no-output,ignore-size'];
    let stderr = '';
    const control = ControlClient.start('ssh', this.host.ssh.streamArgs(tmux), (text) => (stderr = (stderr + text).slice(-500)));
    let subscribed = false;
    control.onNotification((line) => {
      this.onChange();
      // asked once attached (before, tmux has no client to give it to)
      if (!subscribed && line.startsWith('%session-changed')) {
        subscribed = true;
        control.command(['refresh-client', '-B', SUBSCRIPTION]).catch(() => undefined);
      }
    });
    control.onClose(() => {
      this.lastError = stderr.trim().split('\n').pop() ?? 'the control client ended';
      this.onChange();
    });
    this.control = control;
  }

  close(): void {
    this.control?.close();
    this.control = null;
  }
}
