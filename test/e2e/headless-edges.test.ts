// Headless edge cases found in review: a program that lingers after its result, a follow-up sent
// while the finished run's window still starts queued agents, and `wait` with slots nothing frees.
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_AGENT, waitFor } from '../helpers/world.js';
import { headless, ls, panes, readState, release, seen, type H } from './headless-world.js';

let worlds: H[] = [];
afterEach(() => {
  for (const h of worlds) h.w.cleanup();
  worlds = [];
});
const world = (agents: string, top = '') => {
  const h = headless(agents, { top });
  worlds.push(h);
  return h;
};

describe('headless edges', () => {
  it('a program that lingers after its result is exited at the result, frees its slot, and is ended', async () => {
    const h = world('  - { name: slow, task: "linger after the result" }\n  - { name: next, task: "then me" }\n', 'max_parallel: 1\n');
    release(h, 'slow', 'next');
    const up = await h.w.tm(['up', '--no-attach']);
    expect(up.code, up.stderr).toBe(0);
    // recorded at the result while the process still runs; the queued agent starts in its slot
    await waitFor(
      () => readState(h).agents.slow?.run?.phase === 'done' && readState(h).agents.next?.run?.phase === 'done',
      'slow done at its result, next run after it',
      seen(h, { treemux: false }),
      30_000,
    );
    const rec = readState(h).agents.slow!.run!;
    expect(rec).toMatchObject({ ok: true, result: 'Finished: linger after the result' });
    const w = await h.w.tm(['wait', '--timeout', '60']);
    expect(w.code, `${w.stdout}\n${w.stderr}`).toBe(0);
    // the lingering program is ended 10 s after its result
    await waitFor(() => panes(h).find((p) => p.window === 'slow')?.dead === true, 'the slow window to end', seen(h), 30_000);
    expect(h.w.screen('app:slow')).toContain('did not exit after its result');
  });

  it('wait counts a queued agent as waiting for the user when every slot is held by an idle agent', async () => {
    const h = world(`  - { name: chat, task: "hello", command: ${FAKE_AGENT}, mode: interactive }\n  - { name: later, task: "after" }\n`, 'max_parallel: 1\n');
    release(h, 'later');
    expect((await h.w.tm(['up', '--no-attach'])).code).toBe(0);
    const r = await h.w.tm(['wait', '--timeout', '60']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect(r.stderr).toContain('later waits for a free slot');
    expect((await ls(h)).find((a) => a.name === 'later')?.status).toBe('queued');
  });

  it('wait: an unknown agent or a bad timeout is a usage error (exit 2), not a failed agent', async () => {
    const h = world('  - { name: one, task: "x" }\n');
    expect((await h.w.tm(['wait', 'nobody'])).code).toBe(2);
    expect((await h.w.tm(['wait', '--timeout', 'soon'])).code).toBe(2);
  });
});
