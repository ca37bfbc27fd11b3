// The Observer's rules over time: a pane's redraw after it was resized is not work (visiting a
// window for the first time must not read as a turn that began and ended), and commits made from a
// shell show in the changed files within seconds, not minutes.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openContext, type Ctx } from '../../src/project/context.js';
import { takeInventory, type AgentView, type Inventory } from '../../src/agents/inventory.js';
import { Observer } from '../../src/agents/status/watcher.js';
import type { PaneRow } from '../../src/tmux/index.js';
import { SILENT } from '../../src/util/output.js';
import { FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';

describe('a resized pane', () => {
  afterEach(() => vi.useRealTimers());

  it('redraws without counting as busy; output after the redraw does count', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const common = join(makeWorld().dir, 'git');
    const log = join(common, 'treemux', 'logs', 'auth.log');
    mkdirSync(join(common, 'treemux', 'logs'), { recursive: true });
    writeFileSync(log, 'ready\n> ');
    const ctx = { repo: { commonDir: common, watchFiles: () => [] } } as unknown as Ctx;
    const agent = {
      name: 'auth',
      spec: { name: 'auth', index: 1, kind: 'other', mode: 'interactive', branch: 'feature/auth', base: 'main', worktree: '/w', task: 't', startAfter: [], scope: [], avoid: [] },
      inLayout: true,
      worktree: { path: '/w' },
      status: 'idle',
    } as unknown as AgentView;
    const pane = (w: number, h: number): PaneRow =>
      ({ pane_id: '%1', window_id: '@1', pane_index: '0', pane_dead: '0', pane_dead_status: '', window_activity: '0', pane_width: String(w), pane_height: String(h), '@treemux-agent': 'auth', '@treemux-role': 'agent' }) as unknown as PaneRow;
    const inv = { agents: [agent], state: { agents: {} }, panes: [], session: null } as unknown as Inventory;
    const observer = new Observer(ctx);
    // the screen shows what was written (a redraw changes it, as a real one does)
    const status = async (p: PaneRow) => (await observer.rows(inv, [p], async () => readFileSync(log, 'utf8')))[0]!.status;

    vi.setSystemTime(Date.now() + 60_000); // the log was written a minute ago
    expect(await status(pane(80, 24))).toBe('idle');
    vi.setSystemTime(Date.now() + 1_000);
    appendFileSync(log, '\x1b[2J\x1b[Hready\n> '); // a client attached: the window grew, the program redrew
    expect(await status(pane(200, 49))).toBe('idle');
    vi.setSystemTime(Date.now() + 1_000);
    appendFileSync(log, 'more redraw');
    expect(await status(pane(200, 49))).toBe('idle');
    vi.setSystemTime(Date.now() + 5_000);
    appendFileSync(log, 'working on: something\n'); // real output, long after the resize
    expect(await status(pane(200, 49))).toBe('busy');
  });

  it('a redraw read before the new size was seen is taken back: no busy, no news, the time in status kept', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const common = join(makeWorld().dir, 'git');
    const log = join(common, 'treemux', 'logs', 'auth.log');
    mkdirSync(join(common, 'treemux', 'logs'), { recursive: true });
    writeFileSync(log, 'ready\n> ');
    const ctx = { repo: { commonDir: common, watchFiles: () => [] } } as unknown as Ctx;
    const agent = {
      name: 'auth',
      spec: { name: 'auth', index: 1, kind: 'other', mode: 'interactive', branch: 'feature/auth', base: 'main', worktree: '/w', task: 't', startAfter: [], scope: [], avoid: [] },
      inLayout: true,
      worktree: { path: '/w' },
      status: 'idle',
    } as unknown as AgentView;
    const pane = (w: number, h: number): PaneRow =>
      ({ pane_id: '%1', window_id: '@1', pane_index: '0', pane_dead: '0', pane_dead_status: '', window_activity: '0', pane_width: String(w), pane_height: String(h), '@treemux-agent': 'auth', '@treemux-role': 'agent' }) as unknown as PaneRow;
    const inv = { agents: [agent], state: { agents: {} }, panes: [], session: null } as unknown as Inventory;
    const observer = new Observer(ctx);
    const look = async (p: PaneRow) => (await observer.rows(inv, [p], async () => readFileSync(log, 'utf8')))[0]!;

    vi.setSystemTime(Date.now() + 60_000);
    const first = await look(pane(80, 24));
    expect(first.status).toBe('idle');
    vi.setSystemTime(Date.now() + 1_000);
    appendFileSync(log, '\x1b[2J\x1b[Hready\n> '); // the redraw arrives before tmux lists the new size
    expect((await look(pane(80, 24))).status).toBe('busy');
    vi.setSystemTime(Date.now() + 1_000);
    const after = await look(pane(200, 49));
    expect(after.status).toBe('idle');
    expect(after.since).toBe(first.since);
    expect(observer.redrawn('auth')).toBe(true);
    vi.setSystemTime(Date.now() + 1_000);
    await look(pane(200, 49));
    expect(observer.redrawn('auth')).toBe(false);
  });
});

describe('output that leaves the screen as it was', () => {
  afterEach(() => vi.useRealTimers());

  it('is no work: a cursor blink or a title written now and then does not make an idle agent busy', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const common = join(makeWorld().dir, 'git');
    const log = join(common, 'treemux', 'logs', 'auth.log');
    mkdirSync(join(common, 'treemux', 'logs'), { recursive: true });
    writeFileSync(log, 'ready\n> ');
    const ctx = { repo: { commonDir: common, watchFiles: () => [] } } as unknown as Ctx;
    const agent = {
      name: 'auth',
      spec: { name: 'auth', index: 1, kind: 'other', mode: 'interactive', branch: 'feature/auth', base: 'main', worktree: '/w', task: 't', startAfter: [], scope: [], avoid: [] },
      inLayout: true,
      worktree: { path: '/w' },
      status: 'idle',
    } as unknown as AgentView;
    const pane = { pane_id: '%1', window_id: '@1', pane_index: '0', pane_dead: '0', pane_dead_status: '', window_activity: '0', pane_width: '80', pane_height: '24', '@treemux-agent': 'auth', '@treemux-role': 'agent' } as unknown as PaneRow;
    const inv = { agents: [agent], state: { agents: {} }, panes: [], session: null } as unknown as Inventory;
    const observer = new Observer(ctx);
    let screen = 'ready\n> ';
    const status = async () => (await observer.rows(inv, [pane], async () => screen))[0]!.status;
    vi.setSystemTime(Date.now() + 60_000);
    expect(await status()).toBe('idle');
    vi.setSystemTime(Date.now() + 1_000);
    appendFileSync(log, '\x1b]0;title\x07\x1b[?25h'); // bytes, the same screen
    expect(await status()).toBe('idle');
    vi.setSystemTime(Date.now() + 1_000);
    appendFileSync(log, 'working\n');
    screen = 'ready\n> \nworking';
    expect(await status()).toBe('busy');
  });
});

describe('commits made from a shell', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.tm(['down', '--force']);
    w?.cleanup();
  });

  it('show in the changed files and scope violations within seconds, and leave them once merged', async () => {
    w = makeWorld();
    makeAppRepo(w);
    w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nagents:\n  - { name: docs, task: d, avoid: ["src/**"] }\n`);
    w.git(['add', '-A']);
    w.git(['commit', '-qm', 'layout']);
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    const saved = { ...process.env };
    Object.assign(process.env, { TREEMUX_SOCKET: w.socket, GIT_CONFIG_GLOBAL: w.env.GIT_CONFIG_GLOBAL, HOME: w.env.HOME });
    try {
      const ctx = await openContext({}, SILENT, w.repo);
      const observer = new Observer(ctx);
      const row = async () => {
        const inv = await takeInventory(ctx);
        return (await observer.rows(inv, inv.panes, (id) => ctx.tmux.capturePane(id, 40), { changedFiles: true }))[0]!;
      };
      await waitFor(async () => (await row()).changedFiles === 0, 'no changes at first', () => '');
      const wt = join(w.dir, 'app-docs');
      writeFileSync(join(wt, 'src', 'a.ts'), 'export const a = 2;\n');
      w.git(['-C', wt, 'commit', '-qam', 'docs touches src']);
      let seen = await row();
      await waitFor(async () => (seen = await row()).changedFiles === 1, 'the commit counted', () => JSON.stringify(seen), 8_000);
      expect(seen.violations).toEqual(['src/a.ts']);
      expect((await w.tm(['merge', 'docs'])).code).toBe(0);
      await waitFor(async () => (seen = await row()).changedFiles === 0, 'nothing changed against base once merged', () => JSON.stringify(seen), 8_000);
      expect(seen.violations).toEqual([]);
    } finally {
      process.env = saved;
    }
  });
});
