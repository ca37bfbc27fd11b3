// What the dashboard and the sidebar show of unattended runs: queued agents, the outcome (✓/✗) and
// cost of finished headless runs, and the total cost in the header.
import { createElement as h } from 'react';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Dashboard, Sidebar } from '../../src/ui/index.js';
import { costText, headerText, statusText, totalCost } from '../../src/ui/format.js';
import { fakeActions, FakeSource, mount, row } from './helpers.js';

afterEach(() => cleanup());

const runs = () => [
  row('one', 1, { status: 'exited', mode: 'headless', ok: true, exitCode: 0, costUsd: 0.0125, lastLine: 'Finished: first part' }),
  row('two', 2, { status: 'busy', mode: 'headless' }),
  row('three', 3, { status: 'exited', mode: 'headless', ok: false, exitCode: 1, costUsd: 0.02 }),
  row('four', 4, { status: 'queued', mode: 'headless', waitingFor: ['one'], lastLine: 'waits for one to be merged into main', hasWindow: false }),
];

describe('format', () => {
  it('statusText: ✓ for a run that went well, ✗ and the exit status for one that failed, the cost of both', () => {
    expect(statusText({ status: 'exited', exitCode: 0, ok: true, costUsd: 0.0125 })).toBe('✓ exited $0.0125');
    expect(statusText({ status: 'exited', exitCode: 1, ok: false, costUsd: 0.02 })).toBe('✗ exited 1 $0.0200');
    expect(statusText({ status: 'exited', exitCode: 0, ok: true, costUsd: null })).toBe('✓ exited');
    expect(statusText({ status: 'queued', exitCode: null, ok: null, costUsd: null })).toBe('⧗ queued');
  });

  it('the header totals the cost; none when no agent reported one', () => {
    expect(headerText('app', runs())).toBe('app — 4 agents · 1 busy · 1 queued · 2 exited · $0.0325 spent');
    expect(headerText('app', [row('a', 1)])).toBe('app — 1 agent · 1 idle');
    expect(totalCost([{ costUsd: null }])).toBeNull();
    expect(costText(12.345)).toBe('$12.35');
  });
});

describe('Dashboard and Sidebar', () => {
  it('the dashboard shows queued agents, outcomes, costs and the total', async () => {
    const ui = await mount(h(Dashboard, { source: new FakeSource(runs()), actions: fakeActions() }));
    await ui.sees('four');
    expect(ui.frame()).toContain('$0.0325 spent');
    expect(ui.line('one')).toContain('✓ exited $0.0125');
    expect(ui.line('three')).toContain('✗ exited 1 $0.0200');
    expect(ui.line('four')).toContain('⧗ queued');
    expect(ui.line('four')).toContain('waits for one to be merged');
  });

  it('the sidebar marks outcomes and shows costs', async () => {
    const ui = await mount(h(Sidebar, { source: new FakeSource(runs()), actions: fakeActions(), current: 'two' }));
    await ui.sees('four');
    expect(ui.frame().split('\n')[0]).toBe('shop $0.0325');
    expect(ui.line('one')).toMatch(/1 ✓ one \$0\.0125/);
    expect(ui.line('three')).toMatch(/3 ✗ three \$0\.0200/);
    expect(ui.line('four')).toMatch(/4 ⧗ four/);
  });
});
