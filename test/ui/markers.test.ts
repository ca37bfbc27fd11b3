import { createElement as h } from 'react';
import { cleanup } from 'ink-testing-library';
import { afterEach, expect, it } from 'vitest';
import { Dashboard } from '../../src/ui/index.js';
import { fakeActions, FakeSource, mount, row } from './helpers.js';

afterEach(() => cleanup());

it('marks scope violations and predicted conflicts in the row, and lists them in the details', async () => {
  const source = new FakeSource([
    row('auth', 1, { conflicts: [{ with: 'payments', files: ['src/a.ts'] }] }),
    row('payments', 2, { conflicts: [{ with: 'auth', files: ['src/a.ts'] }] }),
    row('dash', 3, { violations: ['src/payments/x.ts'] }),
  ]);
  const ui = await mount(h(Dashboard, { source, actions: fakeActions() }));
  await ui.sees('auth ⇄');
  expect(ui.line('dash ⚠')).toContain('dash ⚠');
  expect(ui.frame()).toContain('with payments: src/a.ts'); // auth is selected
  ui.press('j');
  ui.press('j');
  await ui.sees('1 outside its scope: src/payments/x.ts');
});
