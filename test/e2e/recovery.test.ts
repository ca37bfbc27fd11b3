// Nothing is forgotten because a file was lost: agents are found again from git and their markers.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FAKE_AGENT, makeAppRepo, makeWorld, type World } from '../helpers/world.js';

let w: World;
const layout = (agents: string[]) =>
  `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nagents:\n${agents.map((a) => `  - { name: ${a}, task: "task of ${a}" }`).join('\n')}\n`;

beforeAll(() => {
  w = makeWorld();
  makeAppRepo(w);
});
afterAll(() => w.cleanup());

it('an agent dropped from the layout, with state.json lost, is still listed and removed by down', async () => {
  w.write('treemux.yaml', layout(['auth', 'pay']));
  expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
  w.write('treemux.yaml', layout(['auth']));
  rmSync(join(w.repo, '.git', 'treemux', 'state.json'));

  const listed = JSON.parse((await w.tm(['ls', '--json'])).stdout) as { agents: { name: string; worktree: string; window: string | null }[] };
  const pay = listed.agents.find((a) => a.name === 'pay');
  expect(pay, JSON.stringify(listed)).toBeDefined();
  expect(pay!.worktree).toBe(join(w.dir, 'app-pay'));
  expect(pay!.window).toBe('pay');

  const down = await w.tm(['down']);
  expect(down.code, down.stderr).toBe(0);
  expect(existsSync(join(w.dir, 'app-pay'))).toBe(false);
  expect(existsSync(join(w.dir, 'app-auth'))).toBe(false);
});
