// max_parallel with interactive agents: when an agent's program ends, the dashboard window's watcher
// starts the next queued agent (no treemux command runs in between; tmux 3.3a's pane-died hook fires
// late, so it is not used); `wait` works for interactive agents too.
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';

let worlds: World[] = [];
afterEach(() => {
  for (const w of worlds) w.cleanup();
  worlds = [];
});

async function statuses(w: World): Promise<Record<string, string>> {
  const r = await w.tm(['ls', '--json']);
  const j = JSON.parse(r.stdout) as { agents: { name: string; status: string }[] };
  return Object.fromEntries(j.agents.map((a) => [a.name, a.status]));
}

describe('max_parallel with interactive agents', () => {
  it('a queued agent starts when a running one exits, started from within the session, not by a treemux command', async () => {
    const w = makeWorld();
    worlds.push(w);
    makeAppRepo(w);
    w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nmax_parallel: 1\nagents:\n  - { name: a, task: first }\n  - { name: b, task: second }\n`);
    w.git(['add', '-A']);
    w.git(['commit', '-qm', 'layout']);
    const up = await w.tm(['up', '--no-attach']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('b: queued (max_parallel 1)');
    expect((await statuses(w)).b).toBe('queued');
    expect(w.tmux(['list-windows', '-t', 'app', '-F', '#{window_name}'])).not.toContain('b');

    // the agent ends: only tmux and files from here until b runs
    w.tmux(['send-keys', '-t', 'app:a', '-l', 'exit']);
    w.tmux(['send-keys', '-t', 'app:a', 'Enter']);
    const windows = () => w.tmux(['list-windows', '-t', 'app', '-F', '#{window_name}']).split('\n');
    await waitFor(() => windows().includes('b') && w.screen('app:b').includes('task:[second]'), 'b to start', () => `${windows().join(',')}\n${w.screen('app:b')}`, 20_000);
    const s = await statuses(w);
    expect(s.a).toBe('exited');
    expect(['starting', 'busy', 'idle']).toContain(s.b);
  });

  it('wait returns 0 once interactive agents are idle, and 1 naming one that exited with a failure', async () => {
    const w = makeWorld();
    worlds.push(w);
    makeAppRepo(w);
    w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nagents:\n  - { name: a, task: first }\n  - { name: b, task: second }\n`);
    w.git(['add', '-A']);
    w.git(['commit', '-qm', 'layout']);
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    const ok = await w.tm(['wait', '--timeout', '30']);
    expect(ok.code, `${ok.stdout}\n${ok.stderr}`).toBe(0);
    expect(ok.stdout).toMatch(/^a: ✓ idle/m);
    expect(ok.stdout).toMatch(/^b: ✓ idle/m);

    w.tmux(['send-keys', '-t', 'app:b', '-l', 'exit 3']);
    w.tmux(['send-keys', '-t', 'app:b', 'Enter']);
    await waitFor(async () => (await statuses(w)).b === 'exited', 'b to exit', () => w.screen('app:b'));
    const bad = await w.tm(['wait', 'a', 'b', '--timeout', '30']);
    expect(bad.code, `${bad.stdout}\n${bad.stderr}`).toBe(1);
    expect(bad.stderr).toContain('b failed (exit 3)');
  });
});
