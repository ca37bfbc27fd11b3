// The preview of the selected agent's screen (Preview.tsx) on ink-testing-library, alone and in the
// dashboard: what it shows, and that it reads the screen only when something says it changed.
import { createElement as h, type ReactElement } from 'react';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Dashboard } from '../../src/ui/index.js';
import { Preview } from '../../src/ui/Preview.js';
import { textWidth } from '../../src/ui/sidebarText.js';
import type { AgentRow } from '../../src/ui/model.js';
import { fakeActions, FakeSource, mount, row, until } from './helpers.js';

afterEach(() => cleanup());

/** The preview alone (it takes no keys, so mount's wait for Ink's stdin does not apply). */
async function show(tree: ReactElement) {
  const r = render(tree);
  const frame = () => r.lastFrame() ?? '';
  await until(() => frame() !== '', frame);
  return { ...r, frame, sees: (text: string) => until(() => frame().includes(text), frame) };
}

const pane = (n: number) => ({ pane: { id: `%${n}`, window: `@${n}`, alive: true } });
const screenOf = (p: string) => [`${p} first line`, ...Array.from({ length: 30 }, (_, i) => `${p} line ${i + 1}`), `${p} ${'wide '.repeat(40)}end`];

describe('Preview', () => {
  it("shows the bottom of the agent's screen in a frame, every line cut to the frame, none wrapped", async () => {
    const actions = fakeActions();
    actions.screenOf = (p) => screenOf(p);
    const ui = await show(h(Preview, { actions, row: row('auth', 2, { ...pane(7), activity: 1 }), width: 40, height: 8 }));
    await ui.sees('%7 line 30');
    const lines = ui.frame().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^╭─ 2 auth ─+╮$/);
    expect(lines.at(-1)).toMatch(/^╰─+╯$/);
    for (const l of lines) expect(textWidth(l)).toBe(40);
    expect(lines.slice(1, -1).map((l) => l.slice(2, -2).trimEnd())).toEqual([
      '%7 line 26', '%7 line 27', '%7 line 28', '%7 line 29', '%7 line 30', `%7 ${'wide '.repeat(7)}`.trimEnd().slice(0, 36),
    ]);
    expect(ui.frame()).not.toContain('first line');
    expect(actions.screens).toEqual([['%7', 6]]);
  });

  it('reads the screen again only when the agent printed, its program ended, another agent is selected or the size changed', async () => {
    const actions = fakeActions();
    actions.screenOf = (p) => [`screen of ${p} #${actions.screens.length}`];
    const auth = row('auth', 2, { ...pane(7), activity: 1 });
    const ui = await show(h(Preview, { actions, row: auth, width: 40, height: 8 }));
    await ui.sees('screen of %7 #1');
    const reads = () => actions.screens.length;
    const again = async (r: AgentRow, width = 40, height = 8) => {
      ui.rerender(h(Preview, { actions, row: r, width, height }));
      for (let i = 0; i < 5; i++) await new Promise((done) => setImmediate(done));
    };
    await again({ ...auth, lastLine: 'something else', since: 0 }); // not its screen
    expect(reads()).toBe(1);
    await again({ ...auth, activity: 2 });
    await until(() => reads() === 2);
    await ui.sees('screen of %7 #2');
    await again({ ...auth, activity: 2, pane: { ...auth.pane!, alive: false } });
    await until(() => reads() === 3);
    await again({ ...auth, activity: 2, pane: { ...auth.pane!, alive: false } }, 50, 8);
    await until(() => reads() === 4);
    await again(row('api', 1, { ...pane(3), activity: 2 }), 50, 8);
    await until(() => reads() === 5);
    await ui.sees('screen of %3 #5');
    expect(ui.frame()).toContain('1 api');
    expect(actions.screens.map(([p]) => p)).toEqual(['%7', '%7', '%7', '%7', '%3']);
  });

  it('one read at a time: what is asked meanwhile is read once, the newest', async () => {
    const actions = fakeActions();
    const pending: (() => void)[] = [];
    actions.screenOf = (p, lines) => new Promise((resolve) => pending.push(() => resolve([`${p} at ${actions.screens.length} (${lines})`])));
    const base = row('auth', 2, { ...pane(7), activity: 1 });
    const ui = await show(h(Preview, { actions, row: base, width: 40, height: 8 }));
    await until(() => pending.length === 1);
    for (const activity of [2, 3, 4]) ui.rerender(h(Preview, { actions, row: { ...base, activity }, width: 40, height: 8 }));
    for (let i = 0; i < 5; i++) await new Promise((done) => setImmediate(done));
    expect(actions.screens).toHaveLength(1); // the first is still being read
    pending.shift()!();
    await until(() => pending.length === 1);
    pending.shift()!();
    await ui.sees('%7 at 2 (6)');
    expect(actions.screens).toHaveLength(2);
  });

  it('says why there is no screen: no agent, no window, not created, a failed read, an empty screen', async () => {
    const actions = fakeActions();
    const ui = await show(h(Preview, { actions, row: undefined, width: 40, height: 6 }));
    await ui.sees('no agent selected');
    ui.rerender(h(Preview, { actions, row: row('auth', 2, { status: 'stopped', hasWindow: false }), width: 40, height: 6 }));
    await ui.sees('auth has no window');
    ui.rerender(h(Preview, { actions, row: row('auth', 2, { status: 'stopped', created: false, hasWindow: false }), width: 40, height: 6 }));
    await ui.sees('auth is not created');
    ui.rerender(h(Preview, { actions, row: row('auth', 2, pane(7)), width: 40, height: 6 }));
    await ui.sees('(its screen is empty)');
    actions.screenOf = () => {
      throw new Error("can't find pane: %7");
    };
    ui.rerender(h(Preview, { actions, row: row('auth', 2, { ...pane(7), activity: 9 }), width: 40, height: 6 }));
    await ui.sees('could not read its screen:');
    expect(ui.frame()).toMatch(/can't\s[\s│]*find pane: %7/); // wrapped in the frame
    expect(actions.calls).toEqual([]);
  });
});

describe('the preview in the dashboard', () => {
  const agents = () => [row('api', 1, { ...pane(1), activity: 100 }), row('auth', 2, { ...pane(2), activity: 200, status: 'busy' }), row('cart', 3, { status: 'stopped', hasWindow: false })];

  async function dash(columns: number, rows: number) {
    const actions = fakeActions();
    actions.screenOf = (p) => [`${p}: agent ready`, `${p}: working on it`];
    const source = new FakeSource(agents());
    const ui = await mount(h(Dashboard, { source, actions }));
    ui.resize(columns, rows);
    // the screen read at this size (the one read before the resize, at the size of no terminal, left out)
    const lines = columns >= 160 ? rows - 6 : null;
    await until(() => actions.screens.some(([, l]) => lines === null || l === lines), ui.frame);
    await ui.sees('%1: working on it');
    actions.screens.splice(0, actions.screens.length - 1);
    return { ui, actions, source };
  }

  it('beside the table on a wide terminal (>= 160 columns), under it on a narrower one; never wider than the terminal', async () => {
    const { ui } = await dash(200, 50);
    await ui.sees('%1: working on it');
    const first = ui.line('%1: agent ready');
    expect(first.indexOf('%1: agent ready')).toBeGreaterThan(100); // right of the table
    expect(ui.line('AGENT').indexOf('╭─ 1 api')).toBeGreaterThan(100); // the frame's top beside the column titles
    const lines = ui.frame().split('\n');
    expect(lines.length).toBeLessThanOrEqual(49);
    for (const l of lines) expect(textWidth(l)).toBeLessThanOrEqual(200);

    ui.resize(120, 40);
    await until(() => ui.line('╭─ 1 api').startsWith('╭'), ui.frame); // under: from the left edge
    const narrow = ui.frame().split('\n');
    expect(narrow.findIndex((l) => l.startsWith('╭─ 1 api'))).toBeGreaterThan(narrow.findIndex((l) => l.startsWith('task')));
    expect(narrow.length).toBeLessThanOrEqual(39);
    for (const l of narrow) expect(textWidth(l)).toBeLessThanOrEqual(120);
  });

  it('follows the selection, and p hides and shows it', async () => {
    const { ui, actions } = await dash(200, 50);
    await ui.sees('%1: working on it');
    ui.press('j');
    await ui.sees('%2: working on it');
    expect(ui.frame()).toContain('╭─ 2 auth');
    ui.press('j');
    await ui.sees('cart has no window');
    const reads = actions.screens.length;
    ui.press('p');
    await ui.gone('cart has no window');
    expect(ui.frame()).not.toContain('╭─');
    ui.press('k');
    await until(() => /^› 2/m.test(ui.frame()), ui.frame);
    expect(actions.screens).toHaveLength(reads); // hidden: nothing read
    ui.press('p');
    await ui.sees('%2: working on it');
    expect(actions.screens.map(([p]) => p)).toEqual(['%1', '%2', '%2']);
    expect(new Set(actions.screens.map(([, lines]) => lines))).toEqual(new Set([44]));
  });

  it("reads again when the selected agent printed, not when another did", async () => {
    const { ui, actions, source } = await dash(200, 50);
    await ui.sees('%1: working on it');
    expect(actions.screens).toHaveLength(1);
    const rows = source.snapshot.agents;
    source.push(rows.map((r) => (r.name === 'auth' ? { ...r, activity: 999 } : r)));
    for (let i = 0; i < 5; i++) await new Promise((done) => setImmediate(done));
    expect(actions.screens).toHaveLength(1);
    actions.screenOf = (p) => [`${p}: new output`];
    source.push(rows.map((r) => (r.name === 'api' ? { ...r, activity: 101 } : r)));
    await ui.sees('%1: new output');
    expect(actions.screens).toHaveLength(2);
  });
});
