// Benchmark: one-shot commands (`ls`, `ls --json`, `send`, `jump`) with N agents, against
// `treemux --version` in the same world and run: while the dashboard leads (the snapshot answers),
// and with no dashboard (each command looks for itself).
//
//   npm run bench:oneshot        (TREEMUX_BENCH_AGENTS: agent counts, default 30; TREEMUX_BENCH_RUNS: runs, default 7)
//
// In a private world (lib.ts makeWorld): `up --no-attach` of N stand-in agents, wait until every agent
// is idle in status.json; then each command RUNS times interleaved, wall-clock medians. Then the
// dashboard's process is stopped (its pane killed) and the same again.
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type World, benchMain, benchTools, cleanupWorld, fmt, loadavg, log, makeWorld, runCli, tmux, waitUntil } from './lib.js';

const RUNS = Number(process.env.TREEMUX_BENCH_RUNS ?? 7);
const COMMANDS: [string, (n: number) => string[]][] = [
  ['--version', () => ['--version']],
  ['ls', () => ['ls']],
  ['ls --json', () => ['ls', '--json']],
  ['send', (n) => ['send', `a${Math.ceil(n / 2)}`, 'hello']],
  ['jump', (n) => ['jump', `a${n}`]],
];

type Medians = Record<string, number>;
interface Result {
  n: number;
  leading: Medians;
  alone: Medians;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function medians(w: World): Promise<Medians> {
  const times: Record<string, number[]> = {};
  for (let r = 0; r < RUNS; r++) {
    for (const [name, args] of COMMANDS) {
      const t0 = process.hrtime.bigint();
      const res = await runCli(w, args(w.n), w.plainEnv);
      if (res.code !== 0) throw new Error(`${name} failed: ${res.out}`);
      (times[name] ??= []).push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

async function runN(n: number): Promise<Result> {
  const w = makeWorld(n, {
    name: 'oneshot',
    count: () => '',
    agent: (dir) => {
      copyFileSync(path.join(benchTools().root, 'test', 'fixtures', 'agent.sh'), path.join(dir, 'agent.sh'));
      return path.join(dir, 'agent.sh');
    },
  });
  try {
    const up = await runCli(w, ['up', '--no-attach'], w.plainEnv);
    if (up.code !== 0) throw new Error(`up failed: ${up.out}`);
    const status = path.join(w.repo, '.git', 'treemux', 'status.json');
    const idle = () => {
      try {
        const s = JSON.parse(readFileSync(status, 'utf8')) as { agents: { status: string }[] };
        return s.agents.length === n && s.agents.every((a) => a.status === 'idle');
      } catch {
        return false;
      }
    };
    await waitUntil(idle, 'every agent idle in status.json', 60_000);
    log(`N=${n}: agents idle; load ${loadavg()}`);
    const leading = await medians(w);
    tmux(w, ['kill-pane', '-t', 'app:dash']); // no dashboard: no leader, no snapshot
    const alone = await medians(w);
    return { n, leading, alone };
  } finally {
    cleanupWorld(w);
  }
}

function report(results: Result[]): void {
  log('\n| agents | command | with the dashboard (ms) | × --version | no dashboard (ms) | × --version |');
  log('|---:|---|---:|---:|---:|---:|');
  for (const r of results) {
    for (const [name] of COMMANDS) {
      const a = r.leading[name]!;
      const b = r.alone[name]!;
      log(`| ${r.n} | \`${name}\` | ${fmt(a, 0)} | ${fmt(a / r.leading['--version']!, 2)} | ${fmt(b, 0)} | ${fmt(b / r.alone['--version']!, 2)} |`);
    }
  }
}

void benchMain('one-shot commands: ls, ls --json, send, jump against --version', () => [`node ${process.version}, ${RUNS} runs each, medians`], runN, report);
