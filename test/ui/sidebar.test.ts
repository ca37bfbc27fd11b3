import { createElement as h } from 'react';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Sidebar } from '../../src/ui/index.js';
import { fakeActions, FakeSource, KEY, mount, row, until } from './helpers.js';

afterEach(() => cleanup());

const agents = () => [
  row('api', 1, { status: 'busy' }),
  row('auth', 2, { status: 'idle', lastLine: 'Wrote the login form and its tests; all pass now, ready for review' }),
  row('cart', 3, { status: 'waiting', lastLine: 'Do you want to proceed?' }),
];

async function sidebar(current: string | null = 'auth') {
  const actions = fakeActions();
  const source = new FakeSource(agents());
  const ui = await mount(h(Sidebar, { source, actions, current }));
  await ui.sees('api');
  return { ui, actions, source };
}

describe('Sidebar', () => {
  it('lists number, status symbol and name, marks the current agent, waiting first', async () => {
    const { ui } = await sidebar();
    expect(ui.line('auth')).toMatch(/^▸ 2 ○ auth/);
    expect(ui.line('api')).toMatch(/^ {2}1 ● api/);
    expect(ui.line('cart')).toMatch(/^ {2}3 ! cart/);
    expect(ui.frame().split('\n')[0]).toBe('shop 1 needs you');
    expect(ui.frame().indexOf('cart')).toBeLessThan(ui.frame().indexOf('api'));
  });

  it("shows the selected agent's last line, wrapped to two lines", async () => {
    const { ui } = await sidebar();
    ui.resize(30);
    await until(() => ui.frame().includes('─'.repeat(30)) && !ui.frame().includes('─'.repeat(31)), ui.frame);
    const lines = ui.frame().split('\n');
    const at = lines.findIndex((l) => l.startsWith('─'));
    expect(lines.slice(at + 1)).toEqual(['Wrote the login form and its', 'tests; all pass now, ready fo…']);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
  });

  it('Enter jumps to the selected agent (the current one at first), j/k move, a digit jumps', async () => {
    const { ui, actions } = await sidebar();
    ui.press(KEY.enter);
    await vi.waitFor(() => expect(actions.calls).toEqual([['jump', 'auth']]), { interval: 5 });
    ui.press('k'); // waiting first: cart, api, auth
    await ui.sees('api last line');
    ui.press(KEY.enter);
    await vi.waitFor(() => expect(actions.calls.at(-1)).toEqual(['jump', 'api']), { interval: 5 });
    ui.press('3');
    await vi.waitFor(() => expect(actions.calls.at(-1)).toEqual(['jump', 'cart']), { interval: 5 });
  });

  it('has no other keys', async () => {
    const { ui, actions } = await sidebar();
    for (const k of ['q', 's', 'x', 'n', 'a', 'l', 'r', '?']) ui.press(k);
    ui.press(KEY.enter);
    await vi.waitFor(() => expect(actions.calls).toEqual([['jump', 'auth']]), { interval: 5 });
    expect(ui.frame()).not.toContain('keys');
  });

  it('follows snapshots', async () => {
    const { ui, source } = await sidebar();
    source.push([...agents(), row('docs', 4, { status: 'exited', exitCode: 1 })]);
    await ui.sees('4 ✗ docs');
  });
});
