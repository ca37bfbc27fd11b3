import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/state/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'treemux-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (name: string) => ({
  name, branch: `feature/${name}`, base: 'main', worktree: `/w/${name}`, task: '', source: 'layout' as const,
  createdAt: '2026-01-01T00:00:00Z', createdBranch: true,
});

describe('StateStore', () => {
  it('reads an empty state when there is no file', async () => {
    expect(await new StateStore(dir).read()).toEqual({ version: 1, agents: {} });
  });

  it('loses no write when many updates race', async () => {
    const store = new StateStore(dir);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update((s) => {
          s.agents[`a${i}`] = record(`a${i}`);
        }),
      ),
    );
    expect(Object.keys((await store.read()).agents)).toHaveLength(20);
    expect(JSON.parse(readFileSync(store.file, 'utf8')).agents.a7.branch).toBe('feature/a7');
  });

  it('treats a damaged file as empty instead of failing', async () => {
    const store = new StateStore(dir);
    await store.update(() => undefined);
    writeFileSync(store.file, '{"version": 1, "agents": {');
    expect((await store.read()).agents).toEqual({});
  });

  it('bytes checked once are read again without the schema; other bytes are checked, and a wrong shape is set aside', async () => {
    const store = new StateStore(dir);
    await store.update((s) => {
      s.agents.a1 = record('a1');
    });
    const checked = join(store.dir, 'state.checked');
    expect(readFileSync(checked, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.read()).agents.a1?.branch).toBe('feature/a1');
    // valid JSON of the wrong shape, written by something else: its digest is not the checked one
    writeFileSync(store.file, JSON.stringify({ version: 1, agents: { a1: { name: 'a1', branch: 42 } } }));
    expect((await store.read()).agents).toEqual({});
    expect(readdirSync(store.dir).some((f) => f.startsWith('state.json.bad-'))).toBe(true);
  });

  it('a digest file that is a link is never written through', async () => {
    const store = new StateStore(dir);
    await store.update(() => undefined);
    const target = join(dir, 'elsewhere');
    writeFileSync(target, 'mine');
    rmSync(join(store.dir, 'state.checked'));
    symlinkSync(target, join(store.dir, 'state.checked'));
    await store.update((s) => {
      s.agents.a2 = record('a2');
    });
    expect(readFileSync(target, 'utf8')).toBe('mine');
    expect((await store.read()).agents.a2?.name).toBe('a2');
  });

  it('runs exclusive sections one at a time, and state updates inside them', async () => {
    const store = new StateStore(dir);
    const order: string[] = [];
    const section = (name: string) =>
      store.exclusive(async () => {
        order.push(`${name}:in`);
        await store.update((s) => {
          s.agents[name] = record(name);
        });
        await new Promise((r) => setImmediate(r));
        order.push(`${name}:out`);
      });
    await Promise.all([section('x'), section('y')]);
    expect(order.join(' ')).toMatch(/^(x:in x:out y:in y:out|y:in y:out x:in x:out)$/);
    expect(Object.keys((await store.read()).agents).sort()).toEqual(['x', 'y']);
  });
});
