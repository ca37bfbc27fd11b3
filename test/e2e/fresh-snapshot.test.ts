// One-shot commands read the leading watcher's snapshot while a dashboard runs (status/fresh.ts),
// and look for themselves whenever that snapshot may not answer for them: right after `rm` changed
// state.json, with another layout, another tmux server, or a file of the wrong shape.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext } from '../../src/project/context.js';
import { freshSnapshot } from '../../src/agents/status/fresh.js';
import { snapshotPath } from '../../src/project/paths.js';
import { SILENT } from '../../src/util/output.js';
import { FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';

let w: World;
const saved = { ...process.env };

beforeAll(async () => {
  w = makeWorld();
  makeAppRepo(w);
  w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nports: { web: 6100 }\nagents:\n  - { name: one, task: t1 }\n  - { name: two, task: t2 }\n`);
  w.git(['add', '-A']);
  w.git(['commit', '-qm', 'layout']);
  const up = await w.tm(['up', '--no-attach']);
  expect(up.code, up.stderr).toBe(0);
  Object.assign(process.env, { TREEMUX_SOCKET: w.socket, GIT_CONFIG_GLOBAL: w.env.GIT_CONFIG_GLOBAL, HOME: w.env.HOME, TMUX_TMPDIR: w.env.TMUX_TMPDIR });
  delete process.env.TMUX;
}, 60_000);

afterAll(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  w?.cleanup();
});

const ctxNow = () => openContext({}, SILENT, w.repo);
const lsJson = async () => {
  const r = await w.tm(['ls', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { agents: { name: string; status: string; created: boolean; window: string | null; ports: Record<string, number> }[] };
};

describe('ls while the dashboard leads', () => {
  it('answers from the snapshot, with what its own look would say', async () => {
    await waitFor(async () => freshSnapshot(await ctxNow()) !== null && (await lsJson()).agents.every((a) => a.status === 'idle'), 'a fresh snapshot with both agents idle', () => w.screen('app:dash'), 30_000);
    const fast = await lsJson();
    expect(fast.agents.map((a) => [a.name, a.created, a.window])).toEqual([
      ['one', true, 'one'],
      ['two', true, 'two'],
    ]);
    const [p1, p2] = fast.agents.map((a) => a.ports.web!);
    expect(p1).toBeGreaterThanOrEqual(6100);
    expect(p2).not.toBe(p1);
    // send and jump go where the snapshot says, and say what they did as always
    const sent = await w.tm(['send', 'one', 'hello from the snapshot']);
    expect(sent.stderr).toContain('sent to one (23 characters and Enter)');
    await waitFor(() => w.screen('app:one').includes('working on:[hello from the snapshot]'), 'one got the text', () => w.screen('app:one'));
    for (const [args, what, window] of [[['jump', 'dash'], 'the dashboard', 'dash'], [['jump', 'two'], 'two', 'two'], [['jump'], 'the dashboard', 'dash']] as const) {
      const r = await w.tm([...args]);
      expect(r.stderr).toContain(`selected ${what}; attach with:`);
      expect(w.tmux(['display-message', '-p', '-t', '=app:', '#{window_name}']).trim()).toBe(window);
    }
  });

  it('looks for itself right after rm changed state.json, and never shows the removed agent as running', async () => {
    const rm = await w.tm(['rm', 'two']);
    expect(rm.code, rm.stderr).toBe(0);
    const after = await lsJson();
    expect(after.agents.find((a) => a.name === 'two')).toMatchObject({ created: false, window: null });
    expect(after.agents.find((a) => a.name === 'one')).toMatchObject({ created: true, window: 'one' });
    // the leader catches up, and the snapshot answers again
    await waitFor(async () => freshSnapshot(await ctxNow()) !== null, 'the snapshot fresh again after rm', () => readFileSync(snapshotPath(join(w.repo, '.git')), 'utf8'), 15_000);
  });

  it('does not answer for another tmux server, another layout, or a file of the wrong shape', async () => {
    const ctx = await ctxNow();
    expect(freshSnapshot(ctx)).not.toBeNull();
    process.env.TREEMUX_SOCKET = `${w.socket}-other`;
    expect(freshSnapshot(await ctxNow())).toBeNull();
    process.env.TREEMUX_SOCKET = w.socket;
    w.write('treemux.yaml', readFileSync(join(w.repo, 'treemux.yaml'), 'utf8') + '  - { name: three, task: t3 }\n');
    expect(freshSnapshot(await ctxNow())).toBeNull();
    w.git(['checkout', '--', 'treemux.yaml']);
    const file = snapshotPath(join(w.repo, '.git'));
    // the leader rewrites the file about every second: each write is read back at once (nothing
    // awaited in between), so that the leader's next write cannot come between them
    const again = await ctxNow();
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(good), agents: [{ name: 'one' }, { name: 'two' }] }));
    expect(freshSnapshot(again)).toBeNull();
    writeFileSync(file, good);
    expect(freshSnapshot(again)).not.toBeNull();
  });
});
