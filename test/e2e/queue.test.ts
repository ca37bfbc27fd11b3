// The queue end to end: `max_parallel` holds agents back until a slot frees, and the runners of the
// headless agents start them as their runs end (no treemux command running: the test only reads
// tmux and files); `start_after` holds an agent back, worktree and all, until `treemux merge`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor, type World } from '../helpers/world.js';
import { type Agent, type H, headless, ls, panes, readState, release, seen, wt } from './headless-world.js';

let worlds: World[] = [];
afterEach(() => {
  for (const w of worlds) w.cleanup();
  worlds = [];
});
const make = (agents: string, opts?: Parameters<typeof headless>[1]): H => {
  const h = headless(agents, opts);
  worlds.push(h.w);
  return h;
};
const statuses = (agents: Agent[]) => Object.fromEntries(agents.map((a) => [a.name, a.status]));
const branches = (h: H) => h.w.git(['branch', '--list', '--format=%(refname:short)']).split('\n').filter(Boolean).sort();

// (tmux may show a pane dead a moment before it knows the exit status: pane_dead_status is '' then)

/** Agents whose program still works, from tmux and state.json only: a live pane whose run has not ended. */
function working(h: H): string[] {
  const st = readState(h);
  return panes(h)
    .filter((p) => !p.dead && st.agents?.[p.window]?.run?.phase !== 'done')
    .map((p) => p.window)
    .sort();
}

describe('max_parallel', () => {
  it('starts 2 of 4, queues the rest without a worktree; the runs hand their slots on as they end, with no treemux command running', async () => {
    const ALL = ['one', 'two', 'three', 'four'];
    const h = make(ALL.map((n) => `  - name: ${n}\n    task: build ${n}\n`).join(''), { top: 'max_parallel: 2\n' });
    const up = await h.w.tm(['up', '--no-attach']);
    expect(up.code, up.stderr + up.stdout).toBe(0);
    expect(up.stdout + up.stderr).toMatch(/three: queued \(max_parallel 2\)/);

    await waitFor(async () => JSON.stringify(statuses(await ls(h))) === JSON.stringify({ one: 'busy', two: 'busy', three: 'queued', four: 'queued' }), 'two busy, two queued', seen(h));
    for (const n of ['three', 'four']) expect(existsSync(wt(h, n)), `worktree of ${n}`).toBe(false);
    expect(branches(h)).toEqual(['feature/one', 'feature/two', 'main']);
    expect(readState(h).queue).toEqual(['three', 'four']);
    expect(panes(h).map((p) => p.window).sort()).toEqual(['one', 'two']);

    // from here on only tmux and files are read, until the queue has drained
    let most = 0;
    const look = () => {
      most = Math.max(most, working(h).length);
      return true;
    };
    // one ends: its runner starts three (the first in the queue), four still waits
    release(h, 'one');
    await waitFor(
      () => look() && readState(h).agents.one?.run?.phase === 'done' && JSON.stringify(working(h)) === '["three","two"]' && JSON.stringify(readState(h).queue) === '["four"]',
      'three started in the slot one freed',
      seen(h, { treemux: false }),
      20_000,
    );
    expect(existsSync(wt(h, 'three'))).toBe(true);
    expect(existsSync(wt(h, 'four'))).toBe(false);

    // everything ends: the last queued agent starts, and runs to the end too
    release(h, 'two', 'three', 'four');
    await waitFor(
      () => look() && ALL.every((n) => readState(h).agents[n]?.run?.phase === 'done') && panes(h).length === 4 && panes(h).every((p) => p.dead) && (readState(h).queue ?? []).length === 0,
      'the queue drained: four windows ended, four runs done',
      seen(h, { treemux: false }),
      30_000,
    );
    expect(most).toBeLessThanOrEqual(2);
    const st = readState(h);
    for (const n of ALL) {
      expect(st.agents[n]!.run, n).toMatchObject({ phase: 'done', ok: true, exitCode: 0, result: `Finished: build ${n}` });
      expect(existsSync(wt(h, n)), `worktree of ${n}`).toBe(true);
    }
    // tmux 3.3a may show a pane dead before it has reaped its status (until another child ends), so
    // the exit statuses are checked through treemux below, which makes tmux reap them

    // cross-check through treemux, now that it is over (the leading dashboard reaps what tmux 3.3a
    // has not: its look after a pane's end lists the panes and runs a trivial job when one has no status)
    await waitFor(() => panes(h).every((p) => p.deadStatus !== ''), 'every ended pane with its exit status', seen(h, { treemux: false }), 10_000);
    const agents = await ls(h);
    expect(panes(h).map((p) => [p.window, p.deadStatus]).sort()).toEqual(ALL.map((n) => [n, '0']).sort());
    expect(statuses(agents)).toEqual({ one: 'exited', two: 'exited', three: 'exited', four: 'exited' });
    for (const a of agents) expect(a.lastLine).toBe(`Finished: build ${a.name}`);
    expect((await h.w.tm(['wait'])).code).toBe(0);
  });

  it('add NAME --task T waits for a slot, then its run starts when one frees', async () => {
    const h = make('  - name: one\n    task: build one\n', { top: 'max_parallel: 1\n' });
    const up = await h.w.tm(['up', '--no-attach']);
    expect(up.code, up.stderr).toBe(0);
    await waitFor(async () => statuses(await ls(h)).one === 'busy', 'one busy', seen(h));

    const add = await h.w.tm(['add', 'extra', '--task', 'the extra work']);
    expect(add.code, add.stderr + add.stdout).toBe(0);
    expect(add.stdout + add.stderr).toMatch(/extra: queued/);
    expect(statuses(await ls(h))).toEqual({ one: 'busy', extra: 'queued' });
    expect(existsSync(wt(h, 'extra'))).toBe(false);
    expect(readState(h).queue).toEqual(['extra']);

    release(h, 'one', 'extra');
    await waitFor(() => readState(h).agents.extra?.run?.phase === 'done', 'extra ran', seen(h, { treemux: false }), 20_000);
    expect(readState(h).agents.extra!.run).toMatchObject({ ok: true, result: 'Finished: the extra work' });
    const w8 = await h.w.tm(['wait']);
    expect(w8.code, w8.stderr).toBe(0);
    expect(w8.stdout).toContain('extra: ✓ exited · $0.0125 · Finished: the extra work');
  });
});

describe('start_after', () => {
  it('no worktree and queued until the agent it starts after is merged, even once that one finished; merge starts it from the new base', async () => {
    const h = make(
      `  - name: one
    task: lay the groundwork
  - name: four
    task: build on the groundwork
    start_after: [one]
`,
      { committers: ['one', 'four'] },
    );
    release(h, 'four'); // four would finish at once, if it started
    const up = await h.w.tm(['up', '--no-attach']);
    expect(up.code, up.stderr + up.stdout).toBe(0);
    expect(up.stdout + up.stderr).toMatch(/four: queued until one is merged into main/);
    await waitFor(async () => JSON.stringify(statuses(await ls(h))) === '{"one":"busy","four":"queued"}', 'one busy, four queued', seen(h));
    expect(existsSync(wt(h, 'four'))).toBe(false);
    expect(branches(h)).toEqual(['feature/one', 'main']);

    release(h, 'one');
    await waitFor(async () => statuses(await ls(h)).one === 'exited', 'one exited', seen(h), 20_000);
    // a slot is free and one has finished: four still waits for the merge
    expect(statuses(await ls(h)).four).toBe('queued');
    const again = await h.w.tm(['up', '--no-attach']);
    expect(again.code, again.stderr).toBe(0);
    expect(statuses(await ls(h)).four).toBe('queued');
    expect(existsSync(wt(h, 'four'))).toBe(false);
    expect(branches(h)).toEqual(['feature/one', 'main']);
    expect(readState(h).queue).toEqual(['four']);

    const merge = await h.w.tm(['merge', 'one']);
    expect(merge.code, merge.stderr + merge.stdout).toBe(0);
    expect(readState(h).merged?.one).toBeDefined();
    expect(readFileSync(join(h.w.repo, 'done-by-app-one.txt'), 'utf8')).toBe('lay the groundwork\n');
    // four started from the new main, with one's work in its worktree
    expect(existsSync(wt(h, 'four'))).toBe(true);
    expect(readFileSync(join(wt(h, 'four'), 'done-by-app-one.txt'), 'utf8')).toBe('lay the groundwork\n');
    await waitFor(async () => statuses(await ls(h)).four === 'exited', 'four exited', seen(h), 20_000);
    expect(readState(h).agents.four!.run).toMatchObject({ phase: 'done', ok: true });
    expect(h.w.git(['merge-base', '--is-ancestor', 'main', 'feature/four'])).toBe('');
    expect(h.w.git(['log', '--format=%s', 'main..feature/four']).trim()).toBe('stand-in: build on the groundwork');
    expect(readState(h).queue ?? []).toEqual([]);
    const w8 = await h.w.tm(['wait']);
    expect(w8.code, w8.stderr).toBe(0);
  });
});
