// Benchmark: how soon a status change on an agent's screen reaches the dashboard and `ls --json`.
//
//   npm run bench:latency    (TREEMUX_BENCH_AGENTS: agent counts, default 10; TREEMUX_BENCH_TRIALS: default 10)
//
// In a private world (lib.ts makeWorld): N agents running the stand-in for Claude Code's screen
// (test/fixtures/fake-claude.mjs, kind claude, its hooks on), the dashboard leading. Each trial, on
// one agent in turn: `ask` typed into its pane (tmux send-keys, not counted); the moment its screen
// shows the permission question (capture-pane polled every 10 ms) starts the clock; then
//   - dashboard: until the leading watcher's snapshot (status.json, what the dashboard draws from, in
//     the same process) says `waiting` (polled every 10 ms);
//   - ls --json: `treemux ls --json` run back to back until one says `waiting` (its end is the time);
// then `1` approves it and the bench waits for idle. Medians and maxima over the trials.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchMain, benchTools, cleanupWorld, fmt, loadavg, log, makeWorld, runCli, sleep, tmux, waitUntil } from './lib.js';

const TRIALS = Number(process.env.TREEMUX_BENCH_TRIALS ?? 10);
const QUESTION = 'Do you want to proceed?';

interface Result {
  n: number;
  dash: number[];
  ls: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function runN(n: number): Promise<Result> {
  const w = makeWorld(n, {
    name: 'latency',
    count: () => '',
    agent: (dir) => {
      copyFileSync(path.join(benchTools().root, 'test', 'fixtures', 'fake-claude.mjs'), path.join(dir, 'fake-claude.mjs'));
      return path.join(dir, 'fake-claude.mjs');
    },
  });
  try {
    const env = { ...w.plainEnv, FAKE_CLAUDE_HOOKS: '1', FAKE_CLAUDE_BUSY_MS: '300' };
    const layout = path.join(w.repo, 'treemux.yaml');
    // the stand-in draws Claude Code's screen and runs its hooks: kind claude (its name does not say)
    writeFileSync(layout, readFileSync(layout, 'utf8').replace(/agent: \{ command: (.*) \}/, 'agent: { command: $1, kind: claude }'));
    const up = await runCli(w, ['up', '--no-attach'], env);
    if (up.code !== 0) throw new Error(`up failed: ${up.out}`);
    const status = path.join(w.repo, '.git', 'treemux', 'status.json');
    const statusOf = (name: string) => {
      try {
        return (JSON.parse(readFileSync(status, 'utf8')) as { agents: { name: string; status: string }[] }).agents.find((a) => a.name === name)?.status;
      } catch {
        return undefined;
      }
    };
    const allIdle = () => Array.from({ length: n }, (_, i) => statusOf(`a${i + 1}`)).every((s) => s === 'idle');
    await waitUntil(allIdle, 'every agent idle in status.json', 90_000);
    log(`N=${n}: agents idle; load ${loadavg()}`);
    const r: Result = { n, dash: [], ls: [] };
    for (let t = 0; t < TRIALS; t++) {
      const name = `a${(t % n) + 1}`;
      tmux(w, ['send-keys', '-t', `app:${name}.0`, '-l', 'ask']);
      tmux(w, ['send-keys', '-t', `app:${name}.0`, 'Enter']);
      const deadline = Date.now() + 20_000;
      while (!tmux(w, ['capture-pane', '-p', '-t', `app:${name}.0`]).includes(QUESTION)) {
        if (Date.now() > deadline) throw new Error(`no question on ${name}'s screen`);
        await sleep(10);
      }
      const t0 = performance.now();
      const dash = (async () => {
        while (statusOf(name) !== 'waiting') {
          if (performance.now() - t0 > 20_000) throw new Error(`the snapshot never said ${name} waits`);
          await sleep(10);
        }
        return performance.now() - t0;
      })();
      const ls = (async () => {
        for (;;) {
          const out = await runCli(w, ['ls', '--json'], w.plainEnv);
          const agents = (JSON.parse(out.out) as { agents: { name: string; status: string }[] }).agents;
          if (agents.find((a) => a.name === name)?.status === 'waiting') return performance.now() - t0;
          if (performance.now() - t0 > 20_000) throw new Error(`ls --json never said ${name} waits`);
        }
      })();
      const [d, l] = await Promise.all([dash, ls]);
      r.dash.push(d);
      r.ls.push(l);
      tmux(w, ['send-keys', '-t', `app:${name}.0`, '1']);
      await waitUntil(() => statusOf(name) === 'idle', `${name} idle after approval`, 30_000);
    }
    return r;
  } finally {
    cleanupWorld(w);
  }
}

function report(results: Result[]): void {
  log('\n| agents | trials | dashboard: median (ms) | max (ms) | ls --json: median (ms) | max (ms) |');
  log('|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    log(`| ${r.n} | ${r.dash.length} | ${fmt(median(r.dash), 0)} | ${fmt(Math.max(...r.dash), 0)} | ${fmt(median(r.ls), 0)} | ${fmt(Math.max(...r.ls), 0)} |`);
  }
}

process.env.TREEMUX_BENCH_AGENTS ??= '10';
void benchMain('latency: a status change on screen, seen by the dashboard and by ls --json', () => [`node ${process.version}, ${TRIALS} trials, the question's first frame on screen to the view`], runN, report);
