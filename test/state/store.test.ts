import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
