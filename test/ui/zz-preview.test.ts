import { createElement as h } from 'react';
import { it } from 'vitest';
import { Dashboard, Sidebar } from '../../src/ui/index.js';
import { fakeActions, FakeSource, mount, row, KEY } from './helpers.js';

it('preview', async () => {
  const agents = [
    row('api', 1, { status: 'idle', lastLine: 'All tests pass' }),
    row('auth', 2, { status: 'busy', lastLine: 'Editing src/auth/login.ts and a lot more text to see truncation happen at the end of the line' }),
    row('cart', 3, { status: 'waiting', lastLine: 'Do you want to proceed?', task: 'Build the shopping cart with line items, quantities, discounts and a checkout flow that talks to the payment service; keep the API backwards compatible and add tests for every edge case you can think of, including concurrency.' }),
    row('pay', 4, { status: 'exited', exitCode: 1, database: null, ports: { web: 3004 } }),
    row('web', 5, { status: 'queued' }),
    row('docs', 6, { status: 'stopped', since: Date.now() - 3 * 3600_000 }),
    row('ops', 7, { status: 'starting', since: Date.now() - 12_000 }),
  ];
  const ui = await mount(h(Dashboard, { source: new FakeSource(agents), actions: fakeActions() }));
  await ui.sees('AGENT');
  console.log(ui.frame());
  ui.resize(70); await ui.gone('DATABASE'); console.log(ui.frame());
  ui.resize(100);
  ui.press('?'); await ui.sees('treemux keys'); console.log(ui.frame()); ui.press('q'); await ui.sees('AGENT');
  ui.resize(80);
  ui.press('?'); await ui.sees('treemux keys'); console.log(ui.frame()); ui.press('q'); await ui.sees('AGENT');
  ui.press('n'); await ui.sees('New agent'); ui.press('X'); ui.press(KEY.enter); await ui.sees('is not a valid'); console.log(ui.frame());
  ui.press(KEY.esc); await ui.gone('New agent'); ui.press('x'); await ui.sees('y remove'); console.log(ui.frame()); ui.press('n'); await ui.gone('y remove');
  ui.press('s'); await ui.sees('send to'); ui.press('hello there'); await ui.sees('hello there'); console.log(ui.frame()); ui.press(KEY.esc); await ui.gone('send to');
  ui.unmount();
  const sb = await mount(h(Sidebar, { source: new FakeSource(agents), actions: fakeActions(), current: 'auth' }));
  sb.resize(30);
  await sb.sees('shop');
  await new Promise((r) => setTimeout(r, 50));
  console.log(sb.frame());
});
