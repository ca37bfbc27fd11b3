// Painting every sidebar of the project from one process (the dashboard's): no process per sidebar.
// A sidebar pane only holds its terminal open; this paints its text there (sidebarText.ts) when the
// snapshot changed or when panes may have changed size, and only the sidebars whose text or size
// changed. Idle (no news, no resize) it does nothing at all. The panes are reached through
// SidebarScreens (src/tmux/sidebars.ts: one list-panes per paint, a write to each pane's tty).
import type { Snapshot, Source } from './model.js';
import { sidebarScreen } from './sidebarText.js';

export interface SidebarScreen {
  paneId: string;
  /** its window's agent */
  agent: string;
  width: number;
  height: number;
  /** its terminal */
  tty: string;
}

export interface SidebarScreens {
  /** the sidebars now (one call) */
  panes(): Promise<SidebarScreen[]>;
  /** write the bytes to the pane's terminal; false when not written whole */
  write(pane: SidebarScreen, text: string): Promise<boolean>;
  /** `listener` runs when panes may have changed size or number; returns the unsubscribe */
  onChange(listener: () => void): () => void;
  close(): void;
}

/** News often comes in bursts (a resize of every window, then each hook): one paint after it settles. */
const SETTLE_MS = 30;
/** A sidebar that could not be painted (its terminal busy, tmux not answering) is tried again this much later. */
const RETRY_MS = 1000;

export class SidebarPainter {
  /** per pane: what was painted last (its terminal, size and text) */
  private painted = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** the snapshot's rows as sidebars show them, when last told of news */
  private shown = '';
  private unsubscribe: (() => void)[] = [];

  constructor(
    private source: Source,
    private screens: SidebarScreens,
    private settleMs = SETTLE_MS,
  ) {}

  /** Paint now, then whenever the snapshot changes or panes may have changed size. */
  start(): void {
    this.news(this.source.current()); // what the first paint shows
    this.unsubscribe.push(this.source.subscribe((snapshot) => this.news(snapshot) && this.request()));
    this.unsubscribe.push(this.screens.onChange(() => this.request()));
    this.request();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.retry) clearTimeout(this.retry);
    this.timer = this.retry = null;
    for (const u of this.unsubscribe.splice(0)) u();
    this.screens.close();
  }

  /** Resolves once no paint is asked for or running (for tests). */
  async settled(): Promise<void> {
    while (this.timer || this.running) {
      if (this.running) await this.running;
      else await new Promise((r) => setTimeout(r, this.settleMs));
    }
  }

  /**
   * Whether a snapshot changes what sidebars show: not when only what rows were made from (`seen`)
   * or how much agents printed (`activity`, news for the dashboard's preview) moved.
   */
  private news(snapshot: Snapshot): boolean {
    const shown = JSON.stringify([snapshot.project, snapshot.agents.map(({ seen: _seen, activity: _activity, ...row }) => row)]);
    if (shown === this.shown) return false;
    this.shown = shown;
    return true;
  }

  private request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true; // once the paint under way is done
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.paintAll().finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.request();
        }
      });
    }, this.settleMs);
  }

  private async paintAll(): Promise<void> {
    let failed = false;
    try {
      const panes = await this.screens.panes();
      const snapshot = this.source.current();
      for (const pane of panes) {
        if (this.stopped) return;
        const text = sidebarScreen({ project: snapshot.project, rows: snapshot.agents, own: pane.agent || null, width: pane.width, height: pane.height });
        const key = `${pane.tty} ${pane.width}x${pane.height}\n${text}`;
        if (this.painted.get(pane.paneId) === key) continue;
        if (await this.screens.write(pane, text)) this.painted.set(pane.paneId, key);
        else {
          this.painted.delete(pane.paneId);
          failed = true;
        }
      }
      const present = new Set(panes.map((p) => p.paneId));
      for (const id of this.painted.keys()) if (!present.has(id)) this.painted.delete(id);
    } catch {
      failed = true; // tmux could not be asked this time (a client ending, the server going)
    }
    if (failed && !this.stopped && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = null;
        this.request();
      }, RETRY_MS);
    }
  }
}

/** Paint the sidebars of `screens` from `source` until stopped. */
export function paintSidebars(source: Source, screens: SidebarScreens): SidebarPainter {
  const painter = new SidebarPainter(source, screens);
  painter.start();
  return painter;
}
