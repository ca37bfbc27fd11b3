// The leading watcher's inventory while `up` works: a change of state.json is read at most every
// 1.5 s while agents are starting, and a change held back is never lost (the watcher is told to
// look again soon, and the next look reads it).
import { afterAll, expect, it } from 'vitest';
import { openContext } from '../../src/project/context.js';
import { InventoryCache } from '../../src/agents/status/inventoryCache.js';
import { SILENT } from '../../src/util/output.js';
import { FAKE_AGENT, makeAppRepo, makeWorld, type World } from '../helpers/world.js';

let w: World | undefined;
const saved = { ...process.env };
afterAll(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  w?.cleanup();
});

it('holds a change back while agents start, then reads it at the next look after the gap', async () => {
  w = makeWorld();
  makeAppRepo(w);
  w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nagents:\n  - { name: one, task: t }\n`);
  w.git(['add', '-A']);
  w.git(['commit', '-qm', 'layout']);
  Object.assign(process.env, { TREEMUX_SOCKET: w.socket, GIT_CONFIG_GLOBAL: w.env.GIT_CONFIG_GLOBAL, HOME: w.env.HOME, TMUX_TMPDIR: w.env.TMUX_TMPDIR });
  delete process.env.TMUX;
  const ctx = await openContext({}, SILENT, w.repo);
  const cache = new InventoryCache(ctx);
  const noTmux = { session: null, panes: [] };
  const t0 = Date.now();
  try {
    expect((await cache.get(t0, noTmux)).state.starting).toBeUndefined();
    // up begins: nothing was starting, so the change is read at once
    await ctx.state.update((s) => void (s.starting = ['one']));
    expect((await cache.get(t0 + 100, noTmux)).state.starting).toEqual(['one']);
    expect(cache.heldBack).toBe(false);
    // up ends 100 ms later: held back, and said so
    await ctx.state.update((s) => void delete s.starting);
    expect((await cache.get(t0 + 200, noTmux)).state.starting).toEqual(['one']);
    expect(cache.heldBack).toBe(true);
    // the next look after the gap reads it
    expect((await cache.get(t0 + 1_700, noTmux)).state.starting).toBeUndefined();
    expect(cache.heldBack).toBe(false);
  } finally {
    cache.close();
  }
});
