// Every status, reached and reported through treemux, with the stand-in that draws Claude Code's
// screens and runs its hooks (test/fixtures/fake-claude.mjs).
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';

const FAKE_CLAUDE = join(ROOT, 'test', 'fixtures', 'fake-claude.mjs');
let w: World;
const agent = async () => (JSON.parse((await w.tm(['ls', '--json'])).stdout).agents as { status: string; lastLine: string }[])[0]!;
const reach = (status: string, timeoutMs = 15_000) =>
  waitFor(async () => (await agent()).status === status, `status ${status}`, () => w.screen('app:auth'), timeoutMs);

beforeAll(async () => {
  w = makeWorld();
  Object.assign(w.env, { FAKE_CLAUDE_HOOKS: '1', FAKE_CLAUDE_BUSY_MS: '2500', FAKE_CLAUDE_NOTIFY_MS: '60000' });
  makeAppRepo(w);
  w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_CLAUDE}, kind: claude }\nagents:\n  - { name: auth, task: "Build login" }\n`);
  const r = await w.tm(['up', '--no-attach']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await w.tm(['down', '--force']);
  w.cleanup();
});

it('busy on its task, idle after it, waiting on a permission question, busy then idle once approved, exited at the end', async () => {
  await reach('busy');
  await reach('idle');
  expect((await agent()).lastLine).toContain('Build login');
  await w.tm(['send', 'auth', 'ask']);
  await reach('waiting'); // from the screen, long before the Notification hook
  await w.tm(['send', 'auth', '1']);
  await reach('idle');
  await w.tm(['send', 'auth', 'ask']);
  await reach('waiting');
  await w.tm(['send', 'auth', '4']); // refused: no hook follows, the screen says idle
  await reach('idle');
  await w.tm(['send', 'auth', 'exit 2']);
  await reach('exited');
});
