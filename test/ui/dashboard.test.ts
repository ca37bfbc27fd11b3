import { createElement as h } from 'react';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dashboard } from '../../src/ui/index.js';
import { COMMANDS, KEYS } from '../../src/ui/keys.js';
import { fakeActions, FakeSource, KEY, mount, row, until, type FakeActions } from './helpers.js';

afterEach(() => cleanup());

function agents() {
  return [
    row('api', 1, { status: 'idle', lastLine: 'All tests pass' }),
    row('auth', 2, { status: 'busy', lastLine: 'Editing login.ts' }),
    row('cart', 3, { status: 'waiting', lastLine: 'Do you want to proceed?' }),
    row('pay', 4, { status: 'exited', exitCode: 1, database: null, ports: { web: 3004 } }),
    row('web', 5, { status: 'waiting' }),
  ];
}

async function dash(opts: { actions?: FakeActions; source?: FakeSource; messageMs?: number } = {}) {
  const actions = opts.actions ?? fakeActions();
  const source = opts.source ?? new FakeSource(agents());
  const ui = await mount(h(Dashboard, { source, actions, messageMs: opts.messageMs }));
  await ui.sees('AGENT');
  return { ui, actions, source };
}

/** the name on the row with the selection marker */
const selectedName = (frame: string) => /^› \d+\s+(\S+)/m.exec(frame)?.[1];

describe('Dashboard', () => {
  it('shows one row per agent with name, status, branch, ports, database, time and last line', async () => {
    const { ui } = await dash();
    const auth = ui.line('auth ');
    expect(auth).toContain('● busy');
    expect(auth).toContain('feature/auth');
    expect(auth).toContain('web:3002 api:4002');
    expect(auth).toContain('shop_dev_auth');
    expect(auth).toContain('4m');
    expect(auth).toContain('Editing login.ts');
    expect(ui.line('pay ')).toContain('✗ exited 1');
    expect(ui.line('cart ')).toContain('! waiting');
    expect(ui.line('api ')).toContain('○ idle');
  });

  it('counts agents by status in the header, waiting ones prominently', async () => {
    const { ui } = await dash();
    expect(ui.frame().split('\n')[0]).toBe('shop — 5 agents · 2 need you · 1 busy · 1 idle · 1 exited');
  });

  it('sorts waiting agents first, then layout order', async () => {
    const { ui } = await dash();
    const order = ['cart', 'web', 'api', 'auth', 'pay'].map((n) => ui.frame().indexOf(ui.line(`${n} `)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('moves the selection with j/k and arrows, and shows the details of the selected agent', async () => {
    const { ui } = await dash();
    expect(selectedName(ui.frame())).toBe('cart');
    ui.press('j');
    await until(() => selectedName(ui.frame()) === 'web', ui.frame);
    ui.press(KEY.down);
    await until(() => selectedName(ui.frame()) === 'api');
    ui.press('k');
    await until(() => selectedName(ui.frame()) === 'web');
    ui.press(KEY.up);
    await until(() => selectedName(ui.frame()) === 'cart');
    ui.press(KEY.up); // stays at the top
    ui.press('j');
    await until(() => selectedName(ui.frame()) === 'web');
    for (const text of ['/src/shop-web', 'feature/web → main', '3 files', 'web:3005 api:4005', 'shop_dev_web', 'Task of web.']) {
      expect(ui.frame()).toContain(text);
    }
  });

  it('keeps the selected agent selected when the order changes, and clamps when it is gone', async () => {
    const { ui, source } = await dash();
    ui.press('j');
    ui.press('j');
    await vi.waitFor(() => expect(selectedName(ui.frame())).toBe('api'), { interval: 5 });
    const next = agents().map((a) => (a.name === 'api' ? { ...a, status: 'waiting' as const } : a));
    source.push(next);
    await ui.sees('3 need you');
    expect(selectedName(ui.frame())).toBe('api');
    expect(ui.frame().indexOf(ui.line('api '))).toBeLessThan(ui.frame().indexOf(ui.line('cart ')));
    source.push(next.filter((a) => a.name !== 'api'));
    await ui.sees('4 agents');
    expect(selectedName(ui.frame())).toBe('cart');
  });

  it('jumps to the selected agent with Enter and to agent N with a digit', async () => {
    const { ui, actions } = await dash();
    ui.press(KEY.enter);
    await vi.waitFor(() => expect(actions.calls).toEqual([['jump', 'cart']]), { interval: 5 });
    ui.press('4');
    await vi.waitFor(() => expect(actions.calls).toEqual([['jump', 'cart'], ['jump', 'pay']]), { interval: 5 });
    ui.press('9');
    await ui.sees('no agent 9');
    expect(actions.calls).toHaveLength(2);
  });

  it('s sends exactly the typed line to the selected agent', async () => {
    const { ui, actions } = await dash();
    const text = `fix it: "quotes" 'single' $(rm -rf /) \`x\` & q`;
    ui.press('s');
    await ui.sees('send to cart:');
    ui.press(text);
    await ui.sees('`x` & q');
    ui.press(KEY.enter);
    await vi.waitFor(() => expect(actions.calls).toEqual([['send', 'cart', text]]), { interval: 5 });
    await ui.gone('send to cart:');
  });

  it('edits the line with Backspace and Ctrl-U, and Esc cancels without sending', async () => {
    const { ui, actions } = await dash();
    ui.press('s');
    await ui.sees('send to cart:');
    ui.press('helo');
    await ui.sees('helo');
    ui.press(KEY.backspace);
    ui.press('lo');
    await ui.sees('hello');
    ui.press('\x15'); // Ctrl-U
    await ui.gone('hello');
    ui.press('yes');
    await ui.sees('yes');
    ui.press(KEY.esc);
    await ui.gone('send to cart:');
    expect(actions.calls).toEqual([]);
  });

  it('a sends a line to all agents', async () => {
    const { ui, actions } = await dash();
    ui.press('a');
    await ui.sees('send to all 5 agents:');
    ui.press('run the tests');
    await ui.sees('run the tests');
    ui.press(KEY.enter);
    await vi.waitFor(() => expect(actions.calls).toEqual([['sendAll', 'run the tests']]), { interval: 5 });
  });

  it('q quits, but inside an input q is a letter', async () => {
    const { ui, actions } = await dash();
    ui.press('s');
    await ui.sees('send to cart:');
    ui.press('q');
    await ui.sees('send to cart: q');
    ui.press(KEY.enter);
    await vi.waitFor(() => expect(actions.calls).toEqual([['send', 'cart', 'q']]), { interval: 5 });
    await ui.gone('send to cart:');
    ui.press('q');
    await vi.waitFor(() => expect(actions.calls).toContainEqual(['quit']), { interval: 5 });
  });

  it('n validates the name inline, then asks for the task and adds the agent', async () => {
    const { ui, actions } = await dash();
    ui.press('n');
    await ui.sees('New agent');
    ui.press('Bad_Name');
    await ui.sees('Bad_Name');
    ui.press(KEY.enter);
    await ui.sees('"Bad_Name" is not a valid name');
    ui.press('\x15');
    ui.press('auth');
    await ui.sees('name: auth');
    ui.press(KEY.enter);
    await ui.sees('an agent named "auth" already exists');
    ui.press('\x15');
    ui.press('search-2');
    await ui.sees('name: search-2');
    expect(ui.frame()).not.toContain('already exists');
    ui.press(KEY.enter);
    await ui.sees('task:');
    ui.press('Add full-text search; keep "q" working');
    await ui.sees('keep "q" working');
    ui.press(KEY.enter);
    await vi.waitFor(() => expect(actions.calls).toEqual([['add', 'search-2', 'Add full-text search; keep "q" working']]), { interval: 5 });
    await ui.gone('New agent');
  });

  it('n then Esc cancels the form', async () => {
    const { ui, actions } = await dash();
    ui.press('n');
    await ui.sees('New agent');
    ui.press(KEY.esc);
    await ui.gone('New agent');
    expect(actions.calls).toEqual([]);
  });

  it('x with nothing to lose asks y/N: N keeps, y removes', async () => {
    const { ui, actions } = await dash();
    ui.press('x');
    await ui.sees('Remove cart? [y/N]');
    ui.press('n');
    await ui.gone('Remove cart?');
    expect(actions.calls).toEqual([['removalBlocker', 'cart']]);
    ui.press('x');
    await ui.sees('Remove cart? [y/N]');
    ui.press('y');
    await vi.waitFor(() => expect(actions.calls).toContainEqual(['remove', 'cart', false]), { interval: 5 });
  });

  it('x with a blocker says what would be lost and needs y then Enter to force', async () => {
    const actions = fakeActions();
    actions.blocker = '2 uncommitted files and 1 unmerged commit';
    const { ui } = await dash({ actions });
    ui.press('x');
    await ui.sees('would lose: 2 uncommitted files and 1 unmerged commit');
    ui.press('y');
    await ui.sees('force, Esc to keep it: y');
    expect(actions.calls).toEqual([['removalBlocker', 'cart']]);
    ui.press(KEY.enter);
    await vi.waitFor(() => expect(actions.calls).toContainEqual(['remove', 'cart', true]), { interval: 5 });
  });

  it('x with a blocker keeps the agent on anything but y', async () => {
    const actions = fakeActions();
    actions.blocker = 'uncommitted work';
    const { ui } = await dash({ actions });
    ui.press('x');
    await ui.sees('would lose: uncommitted work');
    ui.press('yes');
    await ui.sees('Esc to keep it: yes');
    ui.press(KEY.enter);
    await ui.sees('cart kept');
    expect(actions.calls).toEqual([['removalBlocker', 'cart']]);
  });

  it('l shows the log, scrolls it, and Esc goes back', async () => {
    const actions = fakeActions();
    actions.logLines = Array.from({ length: 60 }, (_, i) => `log line ${i + 1}`);
    const { ui } = await dash({ actions });
    ui.press('l');
    await ui.sees('log line 60');
    expect(actions.calls).toEqual([['log', 'cart', 200]]);
    expect(ui.frame()).toContain('log: cart');
    expect(ui.frame()).not.toContain('log line 30\n');
    ui.press(KEY.pageUp);
    await ui.sees('log line 20\n');
    expect(ui.frame()).not.toContain('log line 60');
    ui.press('g');
    await ui.sees('log line 1\n');
    ui.press('G');
    await ui.sees('log line 60');
    ui.press('k');
    await ui.gone('log line 60');
    ui.press('q'); // q leaves the log, it does not quit
    await ui.sees('AGENT');
    expect(actions.calls).toEqual([['log', 'cart', 200]]);
    ui.press('l');
    await ui.sees('log: cart');
    ui.press(KEY.esc);
    await ui.sees('AGENT');
  });

  it('r restarts only an exited or stopped agent', async () => {
    const { ui, actions } = await dash();
    ui.press('r');
    await ui.sees('only an exited or stopped agent can be restarted');
    expect(actions.calls).toEqual([]);
    ui.press('j');
    ui.press('j');
    ui.press('j');
    ui.press('j');
    await vi.waitFor(() => expect(selectedName(ui.frame())).toBe('pay'), { interval: 5 });
    ui.press('r');
    await vi.waitFor(() => expect(actions.calls).toEqual([['restart', 'pay']]), { interval: 5 });
  });

  it('? lists every key of the KEYS table, and tmux\'s keys back to the dashboard; Esc, ? and q close it', async () => {
    const { ui, actions } = await dash();
    for (const close of [KEY.esc, '?', 'q']) {
      ui.press('?');
      await ui.sees('treemux keys');
      for (const c of COMMANDS) expect(ui.frame()).toContain(KEYS[c].description);
      expect(ui.frame()).toContain('In any treemux window (tmux)');
      expect(ui.frame()).toMatch(/prefix g +go to the dashboard window/);
      expect(ui.frame()).toMatch(/prefix J\/K +next \/ previous agent window/);
      ui.press(close);
      await ui.gone('treemux keys');
      await ui.sees('AGENT');
    }
    expect(actions.calls).toEqual([]);
  });

  it('shows the main keys in the help bar, keeping help and quit when narrow', async () => {
    const { ui } = await dash();
    const bar = () => ui.frame().split('\n').at(-1)!;
    for (const text of ['j/k select', 'Enter/1-9 jump', 'n new', 's send', 'a send all', 'x remove', 'l log', 'r restart', '? help', 'q quit']) {
      expect(bar()).toContain(text);
    }
    ui.resize(60);
    await until(() => !bar().includes('r restart'), ui.frame);
    expect(bar()).toMatch(/\? help {2}q quit$/);
    expect(bar().length).toBeLessThanOrEqual(60);
  });

  it("shows an action's message in the status line, then clears it", async () => {
    const actions = fakeActions();
    actions.reply = 'jumped to cart';
    const { ui } = await dash({ actions, messageMs: 30 });
    ui.press(KEY.enter);
    await ui.sees('jumped to cart');
    await ui.gone('jumped to cart');
  });

  it('drops the database, then the ports, before the last line on a narrow terminal', async () => {
    const { ui } = await dash();
    expect(ui.frame()).toContain('DATABASE');
    ui.resize(80);
    await ui.gone('DATABASE');
    expect(ui.frame()).toContain('PORTS');
    expect(ui.frame()).toContain('LAST LINE');
    ui.resize(62);
    await ui.gone('PORTS');
    expect(ui.frame()).toContain('LAST LINE');
    expect(ui.line('auth ')).toContain('Editing');
    for (const line of ui.frame().split('\n')) expect(line.length).toBeLessThanOrEqual(62);
  });

  it('shows the time in status to the minute, and again when the minute turns', async () => {
    // the clock reads 10 ms before a minute turns, so the dashboard's next look at it is 10 ms away
    // (and stays so: the clock moves by whole minutes only)
    let t = Math.floor(Date.now() / 60_000) * 60_000 + 59_990;
    const source = new FakeSource([row('api', 1, { since: t - 12_000 })]);
    const ui = await mount(h(Dashboard, { source, actions: fakeActions(), now: () => t }));
    await ui.sees('<1m');
    expect(ui.frame()).toContain('for <1m');
    t += 2 * 3600_000;
    await until(() => ui.line('api ').includes('2h'), ui.frame);
  });

  it('draws nothing again for a snapshot that changes nothing shown, nor for output of an agent not selected', async () => {
    const rows = agents();
    const { ui, source } = await dash({ source: new FakeSource(rows) });
    const frames = ui.frames.length;
    const turns = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)); // let React and Ink do what they would
    };
    source.push(rows.map((r) => ({ ...r, seen: { log: 10, events: 2 } })));
    await turns();
    source.push(rows.map((r) => (r.name === 'api' ? { ...r, activity: 123 } : { ...r }))); // api printed; cart is selected
    await turns();
    expect(ui.frames.length).toBe(frames);
    source.push(rows.map((r) => (r.name === 'auth' ? { ...r, lastLine: 'Now testing' } : r)));
    await ui.sees('Now testing');
    expect(ui.frames.length).toBe(frames + 1);
  });

  it('says so when there are no agents', async () => {
    const actions = fakeActions();
    const ui = await mount(h(Dashboard, { source: new FakeSource([]), actions }));
    await ui.sees('no agents yet');
    expect(ui.frame()).toContain('shop — 0 agents');
    ui.press(KEY.enter);
    await ui.sees('no agent selected');
    expect(actions.calls).toEqual([]);
  });
});
