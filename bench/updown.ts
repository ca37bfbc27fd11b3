// Benchmark: `treemux up --no-attach` and `treemux down --force` of N agents against a bash script
// doing the same by hand (`git worktree add -b` + `tmux new-window` + `send-keys` per agent; then
// `kill-window` + `git worktree remove --force` + `git branch -D`), as acceptance check 10-updown does.
//
//   npm run bench:updown        (TREEMUX_BENCH_AGENTS: agent counts, default 20; TREEMUX_BENCH_ROUNDS: default 3)
//
// Each round runs both in fresh copies of one repository (300 source files) with their own tmux
// servers, interleaved; medians over the rounds. Also counts the git and tmux processes each side
// starts (a shim first on PATH).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type World, benchMain, benchTools, cleanupWorld, fmt, loadavg, log, makeWorld, q, runCli } from './lib.js';

const ROUNDS = Number(process.env.TREEMUX_BENCH_ROUNDS ?? 3);
interface Result {
  n: number;
  tu: number;
  td: number;
  bu: number;
  bd: number;
  procs: { treemux: number; bash: number };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function bashScript(n: number, dir: string): string {
  return `set -e
T="tmux -L $SOCK"
up() { $T -f /dev/null new-session -d -s app -n dash -c "$PWD"
  for i in $(seq 1 ${n}); do git worktree add -q -b "feature/a$i" "${dir}/run/app-a$i" main
    $T new-window -d -t app: -n "a$i" -c "${dir}/run/app-a$i"; $T send-keys -t "app:a$i" ${q(path.join(dir, 'agent.sh'))}" task$i" Enter; done; }
down() { for i in $(seq 1 ${n}); do $T kill-window -t "app:a$i"; git worktree remove --force "${dir}/run/app-a$i"; git branch -q -D "feature/a$i"; done; $T kill-server; }
"$1"`;
}

async function runN(n: number): Promise<Result> {
  const w: World = makeWorld(n, {
    name: 'updown',
    count: (tool, dir) => `echo ${tool} >> ${q(path.join(dir, 'procs.log'))}`,
    agent: (dir) => {
      copyFileSync(path.join(benchTools().root, 'test', 'fixtures', 'agent.sh'), path.join(dir, 'agent.sh'));
      return path.join(dir, 'agent.sh');
    },
  });
  try {
    mkdirSync(path.join(w.repo, 'src', 'lib'), { recursive: true });
    for (let i = 1; i <= 300; i++) writeFileSync(path.join(w.repo, 'src', 'lib', `f${i}.ts`), `export const v${i} = ${i};\n`);
    execFileSync('git', ['add', '-A'], { cwd: w.repo, env: w.plainEnv });
    execFileSync('git', ['commit', '-qm', 'files'], { cwd: w.repo, env: w.plainEnv });
    const template = path.join(w.dir, 'template');
    cpSync(w.repo, template, { recursive: true });
    writeFileSync(path.join(w.dir, 'bash.sh'), bashScript(n, w.dir));
    const procsLog = path.join(w.dir, 'procs.log');
    const procs = () => {
      try {
        return readFileSync(procsLog, 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    };
    const fresh = () => {
      rmSync(path.join(w.dir, 'run'), { recursive: true, force: true });
      mkdirSync(path.join(w.dir, 'run'));
      cpSync(template, path.join(w.dir, 'run', 'app'), { recursive: true });
      w.repo = path.join(w.dir, 'run', 'app');
    };
    const time = async (f: () => Promise<void> | void) => {
      const t0 = process.hrtime.bigint();
      await f();
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const r = { tu: [] as number[], td: [] as number[], bu: [] as number[], bd: [] as number[], procs: { treemux: 0, bash: 0 } };
    for (let round = 1; round <= ROUNDS; round++) {
      fresh();
      const env = { ...w.env, TREEMUX_SOCKET: `${w.socket}-t${round}` };
      const before = procs();
      r.tu.push(await time(async () => void (await runCli(w, ['up', '--no-attach'], env)))); 
      r.td.push(await time(async () => void (await runCli(w, ['down', '--force'], env))));
      r.procs.treemux = procs() - before;
      try {
        execFileSync('tmux', ['-L', `${w.socket}-t${round}`, 'kill-server'], { env: w.plainEnv, stdio: 'ignore' });
      } catch {
        // gone with down
      }
      fresh();
      const benv = { ...w.env, SOCK: `${w.socket}-b${round}` };
      const b0 = procs();
      r.bu.push(await time(() => void execFileSync('bash', [path.join(w.dir, 'bash.sh'), 'up'], { cwd: w.repo, env: benv, stdio: 'ignore' })));
      r.bd.push(await time(() => void execFileSync('bash', [path.join(w.dir, 'bash.sh'), 'down'], { cwd: w.repo, env: benv, stdio: 'ignore' })));
      r.procs.bash = procs() - b0;
      log(`N=${n} round ${round}: up ${fmt(r.tu.at(-1)!, 0)} ms vs ${fmt(r.bu.at(-1)!, 0)}, down ${fmt(r.td.at(-1)!, 0)} vs ${fmt(r.bd.at(-1)!, 0)}; load ${loadavg()}`);
    }
    return { n, tu: median(r.tu), td: median(r.td), bu: median(r.bu), bd: median(r.bd), procs: r.procs };
  } finally {
    cleanupWorld(w);
  }
}

function report(results: Result[]): void {
  log('\n| agents | treemux up (ms) | bash up (ms) | ratio | treemux down --force (ms) | bash down (ms) | ratio | git+tmux processes, treemux / bash |');
  log('|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    log(`| ${r.n} | ${fmt(r.tu, 0)} | ${fmt(r.bu, 0)} | ${fmt(r.tu / r.bu, 2)}× | ${fmt(r.td, 0)} | ${fmt(r.bd, 0)} | ${fmt(r.td / r.bd, 2)}× | ${r.procs.treemux} / ${r.procs.bash} |`);
  }
}

void benchMain('up and down against a bash script', () => [`node ${process.version}, ${ROUNDS} rounds, medians`], runN, report);
