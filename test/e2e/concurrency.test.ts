// Two treemux processes at once: they take turns, and nothing is made twice or forgotten.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FAKE_AGENT, makeAppRepo, makeWorld, type World } from '../helpers/world.js';

let w: World;
beforeAll(() => {
  w = makeWorld();
  makeAppRepo(w);
  const agents = ['a1', 'a2', 'a3', 'a4'].map((n) => `  - { name: ${n}, task: ${n} }`).join('\n');
  w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nagents:\n${agents}\n`);
});
afterAll(() => w.cleanup());

it('two concurrent ups make one session, one window and one worktree per agent', async () => {
  const [r1, r2, r3] = await Promise.all([
    w.tm(['up', '--no-attach']),
    w.tm(['up', '--no-attach']),
    w.tm(['up', '--no-attach', 'a2', 'a3']),
  ]);
  expect([r1.code, r2.code, r3.code], `${r1.stderr}\n${r2.stderr}\n${r3.stderr}`).toEqual([0, 0, 0]);
  const windows = w.tmux(['list-windows', '-a', '-F', '#{session_name}:#{window_name}']).split('\n').filter(Boolean).sort();
  expect(windows).toEqual(['app:a1', 'app:a2', 'app:a3', 'app:a4', 'app:dash']);
  expect(w.git(['worktree', 'list']).split('\n').filter(Boolean)).toHaveLength(5);
  const state = JSON.parse(readFileSync(join(w.repo, '.git', 'treemux', 'state.json'), 'utf8')) as { agents: Record<string, unknown> };
  expect(Object.keys(state.agents).sort()).toEqual(['a1', 'a2', 'a3', 'a4']);
});
