// up brings agents up side by side (a bounded number at once) and still in the layout's order: the
// windows come in that order, each agent's lines come together, and an agent that fails in the
// middle is undone without touching the others; down takes them all away again.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
  makeAppRepo(w);
});
afterEach(() => w.cleanup());

const NAMES = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];

it('makes windows in layout order, tells each agent together, and undoes only the one that failed', async () => {
  w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nagents:\n${NAMES.map((n) => `  - { name: ${n}, task: t-${n} }\n`).join('')}`);
  w.git(['add', '-A']);
  w.git(['commit', '-qm', 'layout']);
  // something is already where a4's worktree goes: a4 cannot be made
  const blocked = join(w.dir, 'app-a4');
  mkdirSync(blocked);
  writeFileSync(join(blocked, 'mine.txt'), 'not treemux\n');

  const up = await w.tm(['up', '--no-attach']);
  expect(up.code).toBe(1);
  const lines = (up.stdout + up.stderr).split('\n').filter((l) => /^a\d: /.test(l) || /^treemux: a\d: /.test(l));
  const firstOf = NAMES.map((n) => lines.findIndex((l) => l.replace(/^treemux: /, '').startsWith(`${n}: `)));
  const bare = lines.map((l) => l.replace(/^treemux: /, ''));
  const lastOf = NAMES.map((n) => bare.reduce((last, l, i) => (l.startsWith(`${n}: `) ? i : last), -1));
  for (let i = 1; i < NAMES.length; i++) expect(firstOf[i]!, `${NAMES[i]} after ${NAMES[i - 1]}:\n${lines.join('\n')}`).toBeGreaterThan(lastOf[i - 1]!);
  expect(up.stdout + up.stderr).toMatch(/a4: .*app-a4/);

  const windows = w.tmux(['list-windows', '-t', 'app', '-F', '#{window_index} #{window_name}']).trim().split('\n').map((l) => l.split(' ')[1]);
  expect(windows).toEqual(['dash', 'a1', 'a2', 'a3', 'a5', 'a6', 'a7']);
  for (const n of NAMES.filter((x) => x !== 'a4')) {
    expect(existsSync(join(w.dir, `app-${n}`, '.git')), n).toBe(true);
    await waitFor(() => w.screen(`app:${n}`).includes(`task:[t-${n}]`), `${n} runs its task`, () => w.screen(`app:${n}`));
  }
  expect(existsSync(join(blocked, '.git'))).toBe(false); // a4 was not made, and what was there is untouched
  expect(existsSync(join(blocked, 'mine.txt'))).toBe(true);
  expect(w.git(['branch', '--list', 'feature/a4']).trim()).toBe('');

  const down = await w.tm(['down', '--force']);
  expect(down.code, down.stderr).toBe(0);
  // in layout order, though removed side by side
  expect(down.stderr.split('\n').filter((l) => l.endsWith(': removed'))).toEqual(NAMES.map((n) => `${n}: removed`));
  expect(w.git(['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  expect(w.git(['branch', '--list', 'feature/*']).trim()).toBe('');
}, 120_000);
