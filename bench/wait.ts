// Benchmark: what `treemux wait` costs while agents work, against a shell loop that polls
// `treemux ls --json` once a second.
//
// Run from the repository root (Node 20 cannot run TypeScript directly, so this file is compiled into
// dist/.bench, run, and removed again; it drives the built CLI, so `npm run build` comes first):
//
//   npm run bench:wait
//
// Environment: TREEMUX_BENCH_AGENTS    agent counts to measure, comma-separated (default 10,30)
//              TREEMUX_BENCH_SECONDS   wait's --timeout, and the baseline's length (default 20)
//
// For each agent count N, in one private world (its own HOME, git config, XDG dirs, TMUX_TMPDIR and
// tmux socket, all under one temp dir):
//   1. a git repository whose treemux.yaml has N agents running a busy stand-in (a bash loop that
//      prints a line every 200 ms forever, sleeping with `read -t`, so it forks nothing): they stay
//      `busy`, so every `treemux wait` below runs until its --timeout. `treemux up --no-attach` starts
//      them and the dashboard in the session's `dash` window. A shim dir is first on the PATH of
//      everything in the world: its `tmux` and `git` append a line (uptime, parent pid, arguments)
//      to a counter file and exec the real program. The counter file is chosen by the environment
//      variable TREEMUX_BENCH_COUNT, so each measured command (and everything below it, whatever its
//      parent pid) counts into its own file; the dashboard and the tmux server, started by `up`
//      without it, count into `other`.
//   2. (a) follow: with the dashboard leading the watcher, `treemux wait --timeout T` under a tiny sh
//      wrapper that writes its own /proc/<pid>/stat once wait ended: cutime+cstime is the CPU of wait
//      and of everything it spawned and reaped, exactly. While it runs, the bench samples wait's node
//      process every 200 ms (own CPU, reaped children, live tmux control clients below it).
//   3. (b) lead: the `dash` window is killed, the bench waits until the watcher's lock is free, then
//      the same `treemux wait --timeout T`: now wait leads, through its own control-mode client.
//   4. baseline: a sh loop, for T seconds: `treemux ls --json >/dev/null; sleep 1` (what a user's shell
//      loop does to wait), under the same wrapper and counters.
// For each: tmux and git processes spawned per second (all of the run, and after its first 5 s), the
// CPU of the waiter and what it spawned, and the tmux server's CPU over the same wall time.
// It prints the machine facts, per-N details and a markdown table, and removes everything it made (tmux
// servers, temp dirs, child processes) at the end, on failure and on Ctrl-C.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ProcStat, type World as BaseWorld, allProcs, benchMain, benchTools, cleanupWorld, cmdline, fmt, loadavg, log, makeWorld as makeBaseWorld, panes, parseStat, perMin, perS, q, ratio, readStat, runCli, serverPid, sleep, ticksToMs, tmux, waitUntil } from './lib.js';

// ---------------------------------------------------------------------------------------------------
// Setup

const { bin: BIN, realTmux: REAL_TMUX, realGit: REAL_GIT, clkTck: CLK_TCK } = benchTools();

const WAIT_S = Number(process.env.TREEMUX_BENCH_SECONDS ?? 20);
/** spawns after this long into a run are its steady state (wait's first look is over by then) */
const STEADY_AFTER_S = 5;
const SAMPLE_MS = 200;
const WARM_MS = 3000;

/** The busy stand-in agent: a line every 200 ms, forever, without forking (bash's `read -t` sleeps). */
const BUSY_AGENT = `#!/usr/bin/env bash
exec {z}<> <(:)
i=0
printf 'busy stand-in in %s\\n' "$(basename "$PWD")"
while :; do
  i=$((i + 1))
  printf 'working: step %d\\n' "$i"
  read -t 0.2 -u "$z" _ || true
done
`;

interface World extends BaseWorld {
  /** the counter files: `<count>.tmux`, `<count>.git`; `other.*` for what no measured command spawned */
  counts: string;
}

function makeWorld(n: number): World {
  const w = makeBaseWorld(n, {
    name: 'wait',
    dirs: ['counts'],
    // The shims: one line per process (uptime, parent pid, first arguments) into the file named by
    // $TREEMUX_BENCH_COUNT (default: `other`), then the real program. `read` is a shell builtin: the
    // shim itself forks nothing.
    count: (name, dir) =>
      `read up _ < /proc/uptime\nprintf '%s %s %.160s\\n' "$up" "$PPID" "$*" >> "\${TREEMUX_BENCH_COUNT:-${path.join(dir, 'counts')}/other}.${name}"`,
    agent: (dir) => {
      const agent = path.join(dir, 'busy-agent.sh');
      writeFileSync(agent, BUSY_AGENT);
      chmodSync(agent, 0o755);
      return agent;
    },
  });
  return Object.assign(w, { counts: path.join(w.dir, 'counts') });
}

/** The CLI, counting into the counter file `count`. */
function runCliCounted(w: World, args: string[], count: string): Promise<{ code: number; out: string }> {
  return runCli(w, args, { ...w.env, TREEMUX_BENCH_COUNT: path.join(w.counts, count) });
}

// ---------------------------------------------------------------------------------------------------
// /proc

function uptime(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}

// ---------------------------------------------------------------------------------------------------
// The world's panes and its dashboard

/** The `treemux dash` node process of the world (the dash pane's program or below it). */
function dashPid(w: World, procs: ProcStat[]): number | null {
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  for (const pane of panes(w).filter((p) => p.role === 'dash' && !p.dead)) {
    const stack = [pane.pid];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      const argv = cmdline(pid);
      const i = argv.indexOf(BIN);
      if (i >= 0 && argv[i + 1] === 'dash') return pid;
      stack.push(...(children.get(pid) ?? []));
    }
  }
  return null;
}

/** tmux control-mode clients (`tmux … -C attach-session …`) whose parent is pid. */
function tmuxClientsBelow(procs: ProcStat[], pid: number): ProcStat[] {
  return procs.filter((p) => p.ppid === pid && p.comm.startsWith('tmux') && cmdline(p.pid).includes('-C'));
}

// ---------------------------------------------------------------------------------------------------
// Counter files

interface Spawned {
  at: number;
  ppid: number;
  args: string;
}

function spawned(file: string): Spawned[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [at = '0', ppid = '0', ...rest] = l.split(' ');
      return { at: Number(at), ppid: Number(ppid), args: rest.join(' ') };
    });
}

/** The subcommand of a tmux or git command line (`capture-pane`, `control-mode attach`, `diff` …). */
function subcommand(args: string, tool: 'tmux' | 'git'): string {
  const a = args.split(' ');
  if (tool === 'tmux' && a.includes('-C')) return 'control-mode attach';
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (['-L', '-S', '-c', '-C', '-f', '-t'].includes(x)) i += 1; // an option with a value
    else if (x === '' || x.startsWith('-')) continue;
    else return tool === 'git' && x === 'worktree' ? `worktree ${a[i + 1] ?? ''}`.trim() : x;
  }
  return '?';
}

function bySubcommand(list: Spawned[], tool: 'tmux' | 'git'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of list) {
    const k = subcommand(s.args, tool);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// One measured run: a command under the sh wrapper

interface Run {
  what: 'follow' | 'lead' | 'baseline';
  code: number;
  out: string;
  seconds: number;
  tmux: Spawned[];
  git: Spawned[];
  /** tmux and git spawned after the first STEADY_AFTER_S seconds, and the seconds that covers */
  steady: { tmux: number; git: number; seconds: number };
  /** CPU (ms) of the command and everything it spawned and reaped: the wrapper's cutime+cstime */
  totalMs: number;
  /** wait's node process, last sample: own CPU, and what it had reaped (ms) */
  ownMs: number | null;
  reapedMs: number | null;
  /** live tmux control clients below wait's node process: pids and CPU (ms), last sample */
  clients: { pid: number; ms: number; reapedByWait: boolean }[];
  /** wait's CPU (node, what it reaped, its live control client) from the first sample after
   * STEADY_AFTER_S to the last one: ms and seconds (null for the baseline) */
  steadyCpu: { ms: number; seconds: number } | null;
  serverMs: number;
  /** the dashboard over the same wall time (follow only) */
  dash: { ms: number; tmux: number; git: number } | null;
  polls: number;
  load: string;
}

async function measure(w: World, what: Run['what']): Promise<Run> {
  const name = what;
  const countBase = path.join(w.counts, name);
  const statFile = path.join(w.dir, `${name}.stat`);
  const server = serverPid(w);
  const srv0 = readStat(server);
  const procs0 = allProcs();
  const dash = what === 'follow' ? dashPid(w, procs0) : null;
  const dash0 = dash ? readStat(dash) : null;
  const others0 = { tmux: spawned(path.join(w.counts, 'other.tmux')).length, git: spawned(path.join(w.counts, 'other.git')).length };
  const pollsFile = path.join(w.dir, `${name}.polls`);
  const t0 = uptime();
  const end = t0 + WAIT_S;
  // wait: the wrapper runs it, then writes its own stat (cutime+cstime: wait and all it reaped).
  // baseline: the loop, until the deadline (uptime in centiseconds: sh has integers only).
  const script =
    what === 'baseline'
      ? `end=${Math.round(end * 100)}\nwhile :; do\n  read up _ < /proc/uptime\n  now=\${up%.*}\${up#*.}\n  [ "$now" -ge "$end" ] && break\n  echo "$up" >> ${q(pollsFile)}\n  ${q(process.execPath)} ${q(BIN)} ls --json > /dev/null\n  sleep 1\ndone\ncat /proc/$$/stat > ${q(statFile)}\n`
      : `${q(process.execPath)} ${q(BIN)} wait --timeout ${WAIT_S}\nrc=$?\ncat /proc/$$/stat > ${q(statFile)}\nexit $rc\n`;
  const load0 = loadavg();
  const child = spawn('sh', ['-c', script], {
    cwd: w.repo,
    env: { ...w.env, TREEMUX_BENCH_COUNT: countBase },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so that cleanup can end the loop and all below it
  });
  w.children.add(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
  let done = false;
  void exited.then(() => (done = true));

  // sample wait's node process while it runs
  let nodePid: number | null = null;
  let last: ProcStat | null = null;
  const clients = new Map<number, number>();
  let steady0: { at: number; ticks: number } | null = null;
  let steady1: { at: number; ticks: number } | null = null;
  while (!done) {
    if (what !== 'baseline') {
      const procs = allProcs();
      const at = uptime();
      if (nodePid === null) nodePid = procs.find((p) => p.ppid === child.pid && cmdline(p.pid).includes(BIN))?.pid ?? null;
      const node = nodePid === null ? undefined : procs.find((p) => p.pid === nodePid);
      if (nodePid !== null && node) {
        last = node;
        const live = tmuxClientsBelow(procs, nodePid);
        for (const c of live) clients.set(c.pid, c.own);
        const ticks = node.own + node.reaped + live.reduce((sum, c) => sum + c.own, 0);
        if (at >= t0 + STEADY_AFTER_S) {
          steady0 ??= { at, ticks };
          steady1 = { at, ticks };
        }
      }
    }
    await Promise.race([sleep(SAMPLE_MS), exited]);
  }
  const code = await exited;
  const t1 = uptime();
  w.children.delete(child);
  const srv1 = readStat(server);
  const dash1 = dash ? readStat(dash) : null;
  const stat = parseStat(0, readFileSync(statFile, 'utf8'));
  const seconds = t1 - t0;
  const tmuxList = spawned(`${countBase}.tmux`);
  const gitList = spawned(`${countBase}.git`);
  const from = t0 + STEADY_AFTER_S;
  const others1 = { tmux: spawned(path.join(w.counts, 'other.tmux')).length, git: spawned(path.join(w.counts, 'other.git')).length };
  // a control client wait did not reap (still there, or reparented) is not in the wrapper's figure
  const clientList = [...clients].map(([pid, ticks]) => {
    const now = readStat(pid);
    return { pid, ms: ticksToMs(ticks), reapedByWait: now === null };
  });
  return {
    what,
    code,
    out,
    seconds,
    tmux: tmuxList,
    git: gitList,
    steady: { tmux: tmuxList.filter((s) => s.at >= from).length, git: gitList.filter((s) => s.at >= from).length, seconds: Math.max(0.001, t1 - from) },
    totalMs: ticksToMs(stat.reaped),
    ownMs: last ? ticksToMs(last.own) : null,
    reapedMs: last ? ticksToMs(last.reaped) : null,
    clients: clientList,
    steadyCpu: steady0 && steady1 && steady1.at > steady0.at ? { ms: ticksToMs(steady1.ticks - steady0.ticks), seconds: steady1.at - steady0.at } : null,
    serverMs: srv0 && srv1 ? ticksToMs(srv1.own - srv0.own) : NaN,
    dash: dash0 && dash1 ? { ms: ticksToMs(dash1.own - dash0.own), tmux: others1.tmux - others0.tmux, git: others1.git - others0.git } : null,
    polls: existsSync(pollsFile) ? readFileSync(pollsFile, 'utf8').split('\n').filter(Boolean).length : 0,
    load: `${load0} → ${loadavg()}`,
  };
}

/** CPU of the waiter: the wrapper's exact figure, plus a control client wait did not reap itself. */
function cpuMs(r: Run): number {
  return r.totalMs + r.clients.filter((c) => !c.reapedByWait).reduce((s, c) => s + c.ms, 0);
}

// ---------------------------------------------------------------------------------------------------
// One agent count

interface Result {
  n: number;
  upSeconds: number;
  follow: Run;
  lead: Run;
  baseline: Run;
  lockFreeAfterMs: number;
}

function snapshotStatuses(w: World): string[] {
  try {
    const snap = JSON.parse(readFileSync(path.join(w.repo, '.git', 'treemux', 'status.json'), 'utf8')) as { agents: { status: string }[] };
    return snap.agents.map((a) => a.status);
  } catch {
    return [];
  }
}

function checkWait(r: Run, n: number, leads: boolean): void {
  if (r.code !== 124) throw new Error(`treemux wait (${r.what}) ended with ${r.code}, not 124 (timeout): the agents should all still be busy\n${r.out}`);
  if (!/still working: .*\(busy\)/.test(r.out)) throw new Error(`treemux wait (${r.what}) did not name busy agents:\n${r.out}`);
  const attaches = r.tmux.filter((s) => subcommand(s.args, 'tmux') === 'control-mode attach').length;
  if (leads && attaches !== 1) throw new Error(`treemux wait (${r.what}) should lead through one control client; it attached ${attaches}`);
  if (!leads && attaches !== 0) throw new Error(`treemux wait (${r.what}) should follow the dashboard; it attached ${attaches} control clients`);
  const captures = r.tmux.filter((s) => subcommand(s.args, 'tmux') === 'capture-pane').length;
  if (captures !== n) log(`  note: wait (${r.what}) spawned ${captures} capture-pane processes for ${n} agents`);
}

async function runN(n: number): Promise<Result> {
  const w = makeWorld(n);
  try {
    log(`\n[N=${n}] world ${w.dir}, socket ${w.socket}; treemux up --no-attach …`);
    const t0 = Date.now();
    const up = await runCliCounted(w, ['up', '--no-attach'], 'up');
    const upSeconds = (Date.now() - t0) / 1000;
    if (up.code !== 0) throw new Error(`treemux up failed (${up.code}):\n${up.out}`);
    if (spawned(path.join(w.counts, 'up.tmux')).length === 0) throw new Error('the tmux shim saw nothing during `up`: it is not on the PATH that treemux uses');
    const serverPath = tmux(w, ['show-environment', '-g', 'PATH']).trim();
    if (!serverPath.startsWith(`PATH=${w.shim}:`)) throw new Error(`the tmux server's PATH does not start with the shim: ${serverPath}`);

    const agentPanes = panes(w).filter((p) => p.role === 'agent' && !p.dead);
    if (agentPanes.length !== n) throw new Error(`expected ${n} running agents, found ${agentPanes.length}`);
    await waitUntil(() => dashPid(w, allProcs()) !== null, 'the dashboard process', 20_000);
    const dash = dashPid(w, allProcs())!;
    await waitUntil(() => tmuxClientsBelow(allProcs(), dash).length === 1, 'the dashboard to lead (its control client)', 20_000);
    await waitUntil(() => {
      const s = snapshotStatuses(w);
      return s.length === n && s.every((x) => x === 'busy');
    }, `the dashboard's snapshot to show ${n} busy agents`, 30_000);
    log(`  up: ${upSeconds.toFixed(1)} s; ${n} agents busy, the dashboard (pid ${dash}) leads; warm-up ${WARM_MS / 1000} s`);
    await sleep(WARM_MS);

    log(`  (a) treemux wait --timeout ${WAIT_S}, following the dashboard …`);
    const follow = await measure(w, 'follow');
    checkWait(follow, n, false);

    log('  killing the dash window; waiting for the watcher lock to be free …');
    const k0 = Date.now();
    tmux(w, ['kill-window', '-t', '=app:dash']);
    await waitUntil(() => !existsSync(`/proc/${dash}`), 'the dashboard to end', 10_000);
    const lock = path.join(w.repo, '.git', 'treemux', 'watch.lock');
    // proper-lockfile: a lock not refreshed for 5 s is stale (wait would take it over, but later)
    await waitUntil(() => !existsSync(lock) || Date.now() - statSync(lock).mtimeMs > 5_500, 'the watcher lock to be free', 15_000);
    const lockFreeAfterMs = Date.now() - k0;
    await sleep(500);

    log(`  (b) treemux wait --timeout ${WAIT_S}, leading alone …`);
    const lead = await measure(w, 'lead');
    checkWait(lead, n, true);

    log(`  baseline: \`treemux ls --json; sleep 1\` for ${WAIT_S} s …`);
    const baseline = await measure(w, 'baseline');
    if (baseline.code !== 0) throw new Error(`the baseline loop failed (${baseline.code}):\n${baseline.out}`);
    return { n, upSeconds, follow, lead, baseline, lockFreeAfterMs };
  } finally {
    cleanupWorld(w);
  }
}

// ---------------------------------------------------------------------------------------------------
// Report

function machine(): string[] {
  const cpus = os.cpus();
  let tmuxV = '?';
  let gitV = '?';
  try {
    tmuxV = execFileSync(REAL_TMUX, ['-V'], { encoding: 'utf8' }).trim();
    gitV = execFileSync(REAL_GIT, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // unknown
  }
  return [
    `- date: ${new Date().toISOString().slice(0, 10)}`,
    `- machine: ${cpus.length} cores (nproc ${execFileSync('nproc', { encoding: 'utf8' }).trim()}; ${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}; load average at start ${loadavg()}`,
    `- ${tmuxV}, ${gitV}, node ${process.version}, clock tick ${CLK_TCK} Hz`,
    `- each run ${WAIT_S} s (wait --timeout ${WAIT_S}; the baseline loop for ${WAIT_S} s); steady state: after the first ${STEADY_AFTER_S} s`,
  ];
}

const list = (by: Record<string, number>) =>
  Object.entries(by)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

function report(results: Result[]): void {
  log('\n## Details\n');
  for (const r of results) {
    log(`N=${r.n}: up took ${r.upSeconds.toFixed(1)} s; after the dash window was killed the watcher lock was free after ${fmt(r.lockFreeAfterMs / 1000, 1)} s`);
    for (const run of [r.follow, r.lead, r.baseline]) {
      log(`  ${run.what}: ${fmt(run.seconds, 1)} s, exit ${run.code}; load ${run.load}`);
      log(`    tmux spawned: ${run.tmux.length} (${list(bySubcommand(run.tmux, 'tmux'))}); after ${STEADY_AFTER_S} s: ${run.steady.tmux}`);
      log(`    git spawned: ${run.git.length} (${list(bySubcommand(run.git, 'git'))}); after ${STEADY_AFTER_S} s: ${run.steady.git}`);
      if (run.what === 'baseline') {
        log(`    ${run.polls} polls (${fmt(run.polls / run.seconds, 2)}/s); CPU ${fmt(run.totalMs, 0)} ms (the loop and all it ran: node ls, tmux, git, sleep)`);
      } else {
        const spawnsPerSecond = new Map<number, number>();
        const t0 = Math.min(...run.tmux.map((s) => s.at), ...run.git.map((s) => s.at));
        for (const s of run.tmux) spawnsPerSecond.set(Math.floor(s.at - t0), (spawnsPerSecond.get(Math.floor(s.at - t0)) ?? 0) + 1);
        log(`    tmux spawns by second of the run (from the first): ${[...spawnsPerSecond].sort((a, b) => a[0] - b[0]).map(([s, c]) => `${s}s:${c}`).join(' ')}`);
        const gps = new Map<number, number>();
        for (const s of run.git) gps.set(Math.floor(s.at - t0), (gps.get(Math.floor(s.at - t0)) ?? 0) + 1);
        log(`    git spawns by second of the run: ${[...gps].sort((a, b) => a[0] - b[0]).map(([s, c]) => `${s}s:${c}`).join(' ')}`);
        log(
          `    CPU: ${fmt(run.totalMs, 0)} ms exact (wrapper: wait and all it reaped); last sample of wait's node: own ${fmt(run.ownMs ?? NaN, 0)} ms, reaped children ${fmt(run.reapedMs ?? NaN, 0)} ms; control clients ${run.clients.map((c) => `pid ${c.pid} ${fmt(c.ms, 0)} ms${c.reapedByWait ? ' (reaped)' : ' (not reaped: added)'}`).join(', ') || 'none'}`,
        );
        log(`    after the first ${STEADY_AFTER_S} s: CPU ${run.steadyCpu ? `${fmt(run.steadyCpu.ms, 0)} ms over ${fmt(run.steadyCpu.seconds, 1)} s` : '–'}`);
        log(`    its output: ${run.out.trim().split('\n').slice(-1)[0]?.slice(0, 200) ?? ''}`);
      }
      log(`    tmux server CPU ${fmt(run.serverMs, 0)} ms`);
      if (run.dash) log(`    the dashboard it followed, same wall time: CPU ${fmt(run.dash.ms, 0)} ms, tmux spawned ${run.dash.tmux}, git spawned ${run.dash.git} (not counted as wait's)`);
    }
  }

  log('\n## Table\n');
  log('| agents | what | tmux processes spawned /s, whole run | tmux /s after the first 5 s | git processes /s, whole run | git /s after the first 5 s | CPU of the waiter and what it spawned, whole run (ms/min) | the same after the first 5 s (ms/min) | tmux server CPU (ms/min) |');
  log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const steadyCpu = (x: Run) => (x.steadyCpu ? (x.steadyCpu.ms * 60) / x.steadyCpu.seconds : perMin(x, cpuMs(x))); // the loop has no start-up phase
  const figures = (x: Run) => [
    perS(x, x.tmux.length),
    x.steady.tmux / x.steady.seconds,
    perS(x, x.git.length),
    x.steady.git / x.steady.seconds,
    perMin(x, cpuMs(x)),
    steadyCpu(x),
    perMin(x, x.serverMs),
  ];
  for (const r of results) {
    const row = (what: string, x: Run) => {
      const f = figures(x);
      return `| ${r.n} | ${what} | ${fmt(f[0]!, 2)} | ${fmt(f[1]!, 2)} | ${fmt(f[2]!, 2)} | ${fmt(f[3]!, 2)} | ${fmt(f[4]!, 0)} | ${fmt(f[5]!, 0)} | ${fmt(f[6]!, 0)}${x.what === 'follow' ? ' (with the dashboard’s refresh)' : ''} |`;
    };
    const ratioRow = (what: string, x: Run) => {
      const b = figures(r.baseline);
      const f = figures(x);
      return `| ${r.n} | ${what} | ${f.map((v, i) => (x.what === 'follow' && i === 6 ? '–' : ratio(b[i]!, v, 'wait'))).join(' | ')} |`;
    };
    log(row('wait, following the dashboard', r.follow));
    log(row('wait, leading (own control client)', r.lead));
    log(row('baseline (`ls --json`, `sleep 1`, in a loop)', r.baseline));
    log(ratioRow('baseline / wait following', r.follow));
    log(ratioRow('baseline / wait leading', r.lead));
  }

  log('\nWhat each spawned over its run:\n');
  log('| agents | what | tmux processes | git processes | CPU (ms, whole run) |');
  log('| ---: | --- | --- | --- | ---: |');
  for (const r of results) {
    for (const x of [r.follow, r.lead, r.baseline]) {
      log(`| ${r.n} | ${x.what} (${fmt(x.seconds, 1)} s) | ${x.tmux.length}: ${list(bySubcommand(x.tmux, 'tmux'))} | ${x.git.length}: ${list(bySubcommand(x.git, 'git'))} | ${fmt(cpuMs(x), 0)} |`);
    }
  }
}
void benchMain('treemux wait benchmark', machine, runN, report);
