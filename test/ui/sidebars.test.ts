// The sidebars' painter (src/ui/sidebars.ts) on fake screens: each sidebar painted once, again only
// when its text or its size changed; nothing at all while nothing happens.
import { afterEach, describe, expect, it } from 'vitest';
import { SidebarPainter, type SidebarScreen, type SidebarScreens } from '../../src/ui/sidebars.js';
import { plain, sidebarLines } from '../../src/ui/sidebarText.js';
import { FakeSource, row } from './helpers.js';

class FakeScreens implements SidebarScreens {
  screens: SidebarScreen[] = [];
  writes: { paneId: string; text: string }[] = [];
  lists = 0;
  failNext = 0;
  private listeners = new Set<() => void>();
  closed = false;

  async panes(): Promise<SidebarScreen[]> {
    this.lists += 1;
    return this.screens.map((s) => ({ ...s }));
  }
  async write(pane: SidebarScreen, text: string): Promise<boolean> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return false;
    }
    this.writes.push({ paneId: pane.paneId, text });
    return true;
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  change(): void {
    for (const l of this.listeners) l();
  }
  get listening(): number {
    return this.listeners.size;
  }
  close(): void {
    this.closed = true;
  }
}

const screen = (n: number, over: Partial<SidebarScreen> = {}): SidebarScreen => ({ paneId: `%${n}`, agent: `a${n}`, width: 32, height: 20, tty: `/dev/pts/${n}`, ...over });

describe('sidebar painter', () => {
  let painter: SidebarPainter | undefined;
  afterEach(() => painter?.stop());

  const setup = () => {
    const source = new FakeSource([row('a1', 1), row('a2', 2), row('a3', 3)], 'app');
    const screens = new FakeScreens();
    screens.screens = [screen(1), screen(2), screen(3)];
    painter = new SidebarPainter(source, screens, 1);
    painter.start();
    return { source, screens, painter };
  };

  it('paints every sidebar once, each with its own agent marked, at its size', async () => {
    const { screens, painter } = setup();
    await painter.settled();
    expect(screens.lists).toBe(1);
    expect(screens.writes.map((w) => w.paneId)).toEqual(['%1', '%2', '%3']);
    expect(screens.writes[1]!.text).toContain('▸2');
    expect(screens.writes[1]!.text).not.toContain('▸1');
  });

  it('paints nothing again while nothing changed; a changed snapshot repaints, a resized pane repaints that one', async () => {
    const { source, screens, painter } = setup();
    await painter.settled();
    screens.writes = [];
    screens.change(); // a layout change that left the sidebars as they were
    source.push(source.snapshot.agents); // the same rows
    await painter.settled();
    expect(screens.writes).toEqual([]);

    source.push([row('a1', 1, { status: 'waiting' }), row('a2', 2), row('a3', 3)]);
    await painter.settled();
    expect(screens.writes.map((w) => w.paneId)).toEqual(['%1', '%2', '%3']);
    expect(screens.writes[0]!.text).toContain('1 needs you');

    screens.writes = [];
    screens.screens[2] = screen(3, { width: 40, height: 30 });
    screens.change();
    await painter.settled();
    expect(screens.writes.map((w) => w.paneId)).toEqual(['%3']);
    const lines = sidebarLines({ project: 'app', rows: source.snapshot.agents, own: 'a3', width: 40, height: 30 }).map(plain);
    expect(lines.some((l) => l.length === 40)).toBe(true); // its bar is as wide as the pane now
  });

  it("an agent's output alone (activity, or the sizes a row was made from) asks tmux nothing", async () => {
    const { source, screens, painter } = setup();
    await painter.settled();
    const lists = screens.lists;
    source.push(source.snapshot.agents.map((r, i) => ({ ...r, activity: 1000 + i, seen: { log: 1000 + i, events: null } })));
    await painter.settled();
    expect(screens.lists).toBe(lists);
    expect(screens.writes).toHaveLength(3); // the first paint only
  });

  it('a burst of news is one paint', async () => {
    const { source, screens, painter } = setup();
    await painter.settled();
    const lists = screens.lists;
    for (let i = 0; i < 5; i++) {
      screens.change();
      source.push([row('a1', 1, { lastLine: `line ${i}` }), row('a2', 2), row('a3', 3)]);
    }
    await painter.settled();
    expect(screens.lists - lists).toBeLessThanOrEqual(2);
  });

  it('a sidebar that could not be written is painted again later', async () => {
    const source = new FakeSource([row('a1', 1)], 'app');
    const screens = new FakeScreens();
    screens.screens = [screen(1)];
    screens.failNext = 1;
    painter = new SidebarPainter(source, screens, 1);
    painter.start();
    const end = Date.now() + 5000;
    while (screens.writes.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(screens.writes.map((w) => w.paneId)).toEqual(['%1']);
  });

  it('stop: no more listening, the screens closed', async () => {
    const { screens, painter: p } = setup();
    await p.settled();
    p.stop();
    expect(screens.listening).toBe(0);
    expect(screens.closed).toBe(true);
  });
});
