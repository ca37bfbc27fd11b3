// The leading watcher's line to tmux: one control-mode client attached to the project's session,
// so a refresh spawns no process. Attached again (the session found again) at most every 5 s while
// it is down: a session that does not exist yet costs one tmux call per 5 s.
import { ControlClient } from '../../tmux/control.js';
import type { PaneRow, SessionInfo, Tmux } from '../../tmux/index.js';

const FIND_SESSION_MS = 5_000;
/** Lines of a pane's screen read to decide its status. */
const SCREEN_LINES = 40;

export class SessionLink {
  private control: ControlClient | null = null;
  private session: SessionInfo | null = null;
  private checkedAt = 0;
  private changeListeners: (() => void)[] = [];

  constructor(
    private tmux: Tmux,
    private sessionName: string,
  ) {}

  /** Attach when not attached (and the last try is 5 s old). */
  async connect(now: number): Promise<void> {
    if (this.control?.alive || now - this.checkedAt <= FIND_SESSION_MS) return;
    this.checkedAt = now;
    this.session = await this.tmux.findSession(this.sessionName);
    this.control = this.session ? ControlClient.attach(this.tmux, this.session.id) : null;
    if (this.control) this.listen(this.control);
  }

  /** LISTENER runs when tmux says something changed (a window made or closed, a pane died, a resize). */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  private listen(control: ControlClient): void {
    const changed = () => {
      for (const l of this.changeListeners) l();
    };
    let subscribed = false;
    control.onNotification((line) => {
      changed();
      // tmux checks a subscription once a second and says when its value changed: here, any pane's
      // program ending (no other notification says so); asked once the client is attached (before,
      // tmux has no client to give it to)
      if (!subscribed && line.startsWith('%session-changed')) {
        subscribed = true;
        control.command(['refresh-client', '-B', 'treemux-dead:%*:#{pane_dead}']).catch(() => undefined);
      }
    });
    control.onClose(changed);
  }

  /** The control client while it is attached. */
  get client(): ControlClient | null {
    return this.control?.alive ? this.control : null;
  }

  /** The session last found (null: none). */
  get sessionInfo(): SessionInfo | null {
    return this.session;
  }

  close(): void {
    this.control?.close();
    this.control = null;
  }
}

/** What one refresh reads through a control client (taken once per refresh: it may end during it). */
export interface View {
  control: ControlClient | null;
  session: SessionInfo | null;
  panes: PaneRow[];
  capture: (paneId: string) => Promise<string>;
}

/** The session's panes through CONTROL, and a way to read a pane's screen (nothing without a client). */
export async function viewThrough(control: ControlClient | null, session: SessionInfo | null): Promise<View> {
  // a client that ends during the call: no panes this time, the next refresh attaches again
  const panes = control && session ? await control.listPanes(session.id).catch(() => []) : [];
  const capture = (paneId: string) => (control ? control.capturePane(paneId, SCREEN_LINES) : Promise.resolve(''));
  return { control, session, panes, capture };
}
