// Benchmark: what the dashboard and the sidebars cost while agents work, against a claude-squad-style
// loop that captures every pane every 500 ms.
//
// Run from the repository root (Node 20 cannot run TypeScript directly, so this file is compiled into
// dist/.bench, run, and removed again; it drives the built CLI, so `npm run build` comes first):
//
//   npm run bench:refresh
//
// Environment: TREEMUX_BENCH_AGENTS    agent counts to measure, comma-separated (default 10,30)
//              TREEMUX_BENCH_SECONDS   length of each measured window (default 30)
//
// For each agent count N, in one private world (its own HOME, git config, XDG dirs, TMUX_TMPDIR and
// tmux socket, all under one temp dir):
//   1. a git repository whose treemux.yaml has N agents running the stand-in agent
//      (test/fixtures/agent.sh) with `sidebar: true`; `treemux up --no-attach` starts them, a sidebar
//      in every agent window and the dashboard in the session's `dash` window. A shim dir is first on
//      the PATH of everything in the world (the `up` that starts the tmux server, so the server, every
//      pane and every treemux process inherit it): its `tmux` and `git` append a line (parent pid and
//      arguments) to a counter file and exec the real program.
//   2. while the agents are up, the bench itself (not through the shim) types a line into 3 random
//      agents every second with `tmux send-keys`, so some agents keep printing.
//   3. treemux: once the dashboard and every sidebar have drawn, and after a 5 s warm-up, the counters
//      are reset and, for the measured window, it counts the tmux (and git) processes spawned and
//      reads utime+stime from /proc/<pid>/stat for every `treemux dash`/`treemux sidebar` node
//      process, for the processes they spawned (cutime+cstime, plus the live tmux control-mode client
//      of the one that leads), and for the tmux server.
//   4. baseline: the dashboard and sidebars are closed (their panes killed) and a small node loop
//      (this file, forked with --baseline) does what claude-squad does: every 500 ms, for each agent,
//      spawns `tmux capture-pane -p -t <pane>` (through the shim) and hashes the output (sha256). Same
//      window, same counters; its own CPU from process.cpuUsage(), its children's and the server's from
//      /proc.
// It prints the machine facts, per-N details and a markdown table, and removes everything it made (tmux
// servers, temp dirs, child processes) at the end, on failure and on Ctrl-C.
import { execFile, execFileSync, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ProcStat, type World as BaseWorld, allProcs, benchMain, benchTools, cleanupWorld, cmdline, fmt, loadavg, log, makeWorld as makeBaseWorld, panes, perMin, perS, prng, q, ratio, readStat, runCli, serverPid, sleep, ticksToMs, tmux, waitUntil } from './lib.js';

const execFileP = promisify(execFile);
const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------------
// The baseline loop (a child process of the bench, so that its CPU is its own)

const CAPTURE_EVERY_MS = 500;

interface BaselineReport {
  userUs: number;
  systemUs: number;
  elapsedMs: number;
  rounds: number;
  captures: number;
  changes: number;
  errors: number;
}

async function baselineLoop(arg: string): Promise<void> {
  const { socket, panes } = JSON.parse(arg) as { socket: string; panes: string[] };
  const last = new Map<string, string>();
  let mark = process.cpuUsage();
  let markAt = Date.now();
  let rounds = 0;
  let captures = 0;
  let changes = 0;
  let errors = 0;
  process.on('disconnect', () => process.exit(0)); // the bench ended: so do we
  process.on('message', (m) => {
    if (m === 'mark') {
      mark = process.cpuUsage();
      markAt = Date.now();
      rounds = captures = changes = errors = 0;
    } else if (m === 'stop') {
      const cpu = process.cpuUsage(mark);
      const report: BaselineReport = { userUs: cpu.user, systemUs: cpu.system, elapsedMs: Date.now() - markAt, rounds, captures, changes, errors };
      process.send?.(report, () => process.exit(0));
    }
  });
  let next = Date.now();
  for (;;) {
    for (const pane of panes) {
      try {
        // `tmux` from the PATH: the shim, which counts it
        const { stdout } = await execFileP('tmux', ['-L', socket, 'capture-pane', '-p', '-t', pane], { maxBuffer: 1 << 24 });
        const hash = createHash('sha256').update(stdout).digest('hex');
        if (last.get(pane) !== hash) {
          last.set(pane, hash);
          changes += 1;
        }
        captures += 1;
      } catch {
        errors += 1;
      }
    }
    rounds += 1;
    next += CAPTURE_EVERY_MS;
    const wait = next - Date.now();
    if (wait > 0) await sleep(wait);
    else next = Date.now(); // a round longer than the period: the next one starts at once
  }
}

// ---------------------------------------------------------------------------------------------------
// Setup

const { root: ROOT, bin: BIN, realTmux: REAL_TMUX, clkTck: CLK_TCK } = benchTools();
const AGENT = path.join(ROOT, 'test', 'fixtures', 'agent.sh');
const MEASURE_MS = Number(process.env.TREEMUX_BENCH_SECONDS ?? 30) * 1000;
const WARM_MS = 5000;
const BASELINE_WARM_MS = 2000;
const FEED_AGENTS = 3;
const FEED_EVERY_MS = 1000;

interface World extends BaseWorld {
  tmuxLog: string;
  gitLog: string;
}

function makeWorld(n: number): World {
  // The shims: one line per process (parent pid, first arguments), then the real program.
  const w = makeBaseWorld(n, {
    name: 'refresh',
    count: (name, dir) => `printf '%s %.160s\\n' "$PPID" "$*" >> ${q(path.join(dir, `${name}.count`))}`,
    agent: () => AGENT,
    yaml: 'sidebar: true\n',
  });
  const world = Object.assign(w, { tmuxLog: path.join(w.dir, 'tmux.count'), gitLog: path.join(w.dir, 'git.count') });
  resetCounters(world);
  return world;
}

// ---------------------------------------------------------------------------------------------------
// /proc

function pathOf(pid: number): string {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return env.find((e) => e.startsWith('PATH='))?.slice(5) ?? '';
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------------
// The world's panes and treemux processes

interface UiProc {
  pid: number;
  role: 'dash' | 'sidebar';
}

/** Every `treemux dash` / `treemux sidebar` node process of the world (pane programs or below them). */
function uiProcs(w: World, procs: ProcStat[]): UiProc[] {
  const uiPanes = panes(w).filter((p) => !p.dead && p.role !== 'agent');
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const found: UiProc[] = [];
  for (const pane of uiPanes) {
    const stack = [pane.pid];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      const argv = cmdline(pid);
      const i = argv.indexOf(BIN);
      const cmd = i >= 0 ? argv[i + 1] : undefined;
      if (cmd === 'dash' || cmd === 'sidebar') {
        found.push({ pid, role: cmd });
        continue;
      }
      stack.push(...(children.get(pid) ?? []));
    }
  }
  return found;
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------
// The feeder: 3 random agents get a line every second (real tmux: not counted)

interface Feeder {
  sent(): number;
  /** panes that got at least one line */
  fed: Set<string>;
}

function startFeeder(w: World, agentPanes: string[]): Feeder {
  const rand = prng(w.n * 7919);
  const fed = new Set<string>();
  let k = 0;
  const timer = setInterval(() => {
    const pool = [...agentPanes];
    for (let i = 0; i < Math.min(FEED_AGENTS, pool.length); i++) {
      const [pane] = pool.splice(Math.floor(rand() * pool.length), 1);
      if (!pane) continue;
      k += 1;
      fed.add(pane);
      const text = `bench line ${k}: ${'x'.repeat(20 + (k % 40))}`;
      execFile(REAL_TMUX, ['-L', w.socket, 'send-keys', '-t', pane, '-l', text, ';', 'send-keys', '-t', pane, 'Enter'], { env: w.plainEnv }, () => undefined);
    }
  }, FEED_EVERY_MS);
  w.onCleanup.push(() => clearInterval(timer));
  return { sent: () => k, fed };
}

// ---------------------------------------------------------------------------------------------------
// One measured window

interface Usage {
  seconds: number;
  tmuxSpawns: number;
  gitSpawns: number;
  /** the measured processes' own CPU (ms) */
  ownMs: number;
  /** CPU (ms) of what they spawned: reaped children, plus live tmux clients below them */
  spawnedMs: number;
  serverMs: number;
  load: string;
}

function resetCounters(w: World): void {
  writeFileSync(w.tmuxLog, '');
  writeFileSync(w.gitLog, '');
}

interface TreemuxDetail {
  ui: UiProc[];
  dashMs: number;
  sidebarMs: number[];
  leaders: { atStart: string[]; atEnd: string[] };
  spawnsBy: Record<string, number>;
  gitBy: Record<string, number>;
  lost: number;
  /** agents fed so far, and of those, the ones whose last line in the snapshot is a fed line */
  fed: number;
  fedSeen: number;
  sent: number;
}

/** Counter lines by who spawned them and which (sub)command: `sidebar git status` … */
function byWho(file: string, who: Map<number, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines(file)) {
    const [pid = '', ...args] = l.split(' ');
    let cmd = '?';
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (['-L', '-S', '-c', '-C', '-f', '-t'].includes(a)) i += 1; // an option with a value
      else if (a === '') continue;
      else if (!a.startsWith('-')) {
        cmd = a;
        break;
      } else if (a === '-V') {
        cmd = a;
        break;
      }
    }
    if (args.includes('-C') && path.basename(file).startsWith('tmux')) cmd = 'control-mode attach';
    const key = `${who.get(Number(pid)) ?? 'other'} ${cmd}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** tmux processes (control clients) running below the given pids. */
function tmuxClientsBelow(procs: ProcStat[], parents: Set<number>): ProcStat[] {
  return procs.filter((p) => parents.has(p.ppid) && p.comm.startsWith('tmux')); // comm: "tmux: client"
}

async function measureTreemux(w: World, feeder: Feeder): Promise<{ usage: Usage; detail: TreemuxDetail }> {
  const server = serverPid(w);
  const p0 = allProcs();
  const ui = uiProcs(w, p0);
  const uiPids = new Set(ui.map((u) => u.pid));
  const roleOf = new Map(ui.map((u) => [u.pid, u.role]));
  const ctl0 = tmuxClientsBelow(p0, uiPids);
  const at = (procs: ProcStat[], pid: number) => procs.find((p) => p.pid === pid);
  const sentBefore = feeder.sent();
  resetCounters(w);
  const t0 = Date.now();
  const load0 = loadavg();
  const s0 = allProcs();
  await sleep(MEASURE_MS);
  const s1 = allProcs();
  const seconds = (Date.now() - t0) / 1000;
  const tmuxSpawns = lines(w.tmuxLog).length;
  const gitSpawns = lines(w.gitLog).length;
  const ctl1 = tmuxClientsBelow(s1, uiPids);

  let own = 0;
  let reaped = 0;
  let lost = 0;
  const perPid = new Map<number, number>();
  for (const u of ui) {
    const a = at(s0, u.pid);
    const b = at(s1, u.pid);
    if (!a || !b) {
      lost += 1;
      continue;
    }
    perPid.set(u.pid, b.own - a.own);
    own += b.own - a.own;
    reaped += b.reaped - a.reaped;
  }
  let clients = 0;
  for (const c of new Map([...ctl0, ...ctl1].map((c) => [c.pid, c])).keys()) {
    const a = at(s0, c);
    const b = at(s1, c);
    if (b) clients += b.own - (a?.own ?? 0);
  }
  const srv0 = at(s0, server);
  const srv1 = at(s1, server);
  const leaderName = (c: ProcStat) => `${roleOf.get(c.ppid) ?? '?'} (pid ${c.ppid})`;
  let fedSeen = 0;
  const fedNames = new Set(panes(w).filter((p) => feeder.fed.has(p.id)).map((p) => p.windowName));
  try {
    const snap = JSON.parse(readFileSync(path.join(w.repo, '.git', 'treemux', 'status.json'), 'utf8')) as { agents: { name: string; lastLine: string }[] };
    fedSeen = snap.agents.filter((a) => fedNames.has(a.name) && a.lastLine.includes('bench line')).length;
  } catch {
    // no snapshot
  }
  return {
    usage: {
      seconds,
      tmuxSpawns,
      gitSpawns,
      ownMs: ticksToMs(own),
      spawnedMs: ticksToMs(reaped + clients),
      serverMs: srv0 && srv1 ? ticksToMs(srv1.own - srv0.own) : NaN,
      load: `${load0} → ${loadavg()}`,
    },
    detail: {
      ui,
      dashMs: ticksToMs(ui.filter((u) => u.role === 'dash').reduce((s, u) => s + (perPid.get(u.pid) ?? 0), 0)),
      sidebarMs: ui.filter((u) => u.role === 'sidebar').map((u) => ticksToMs(perPid.get(u.pid) ?? 0)),
      leaders: { atStart: ctl0.map(leaderName), atEnd: ctl1.map(leaderName) },
      spawnsBy: byWho(w.tmuxLog, roleOf),
      gitBy: byWho(w.gitLog, roleOf),
      lost,
      fed: fedNames.size,
      fedSeen,
      sent: feeder.sent() - sentBefore,
    },
  };
}

async function measureBaseline(w: World, agentPanes: string[]): Promise<{ usage: Usage; report: BaselineReport }> {
  const server = serverPid(w);
  const child = fork(SELF, ['--baseline', JSON.stringify({ socket: w.socket, panes: agentPanes })], {
    env: w.env, // the shim first on PATH: its captures are counted
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  w.children.add(child);
  const reported = new Promise<BaselineReport>((resolve, reject) => {
    child.once('message', (m) => resolve(m as BaselineReport));
    child.once('exit', (code) => reject(new Error(`the baseline loop ended early (exit ${code})`)));
  });
  await sleep(BASELINE_WARM_MS);
  resetCounters(w);
  const t0 = Date.now();
  const load0 = loadavg();
  const a = readStat(child.pid!);
  const srv0 = readStat(server);
  child.send('mark');
  await sleep(MEASURE_MS);
  const b = readStat(child.pid!);
  const srv1 = readStat(server);
  const seconds = (Date.now() - t0) / 1000;
  const tmuxSpawns = lines(w.tmuxLog).length;
  const gitSpawns = lines(w.gitLog).length;
  child.send('stop');
  const report = await reported;
  w.children.delete(child);
  if (!a || !b || !srv0 || !srv1) throw new Error('the baseline loop or the tmux server went away during the window');
  return {
    usage: {
      seconds,
      tmuxSpawns,
      gitSpawns,
      ownMs: (report.userUs + report.systemUs) / 1000,
      spawnedMs: ticksToMs(b.reaped - a.reaped),
      serverMs: ticksToMs(srv1.own - srv0.own),
      load: `${load0} → ${loadavg()}`,
    },
    report,
  };
}

// ---------------------------------------------------------------------------------------------------
// One agent count

interface Result {
  n: number;
  upSeconds: number;
  upSpawns: { tmux: number; git: number };
  treemux: Usage;
  detail: TreemuxDetail;
  baseline: Usage;
  baselineReport: BaselineReport;
}

async function runN(n: number): Promise<Result> {
  const w = makeWorld(n);
  try {
    log(`\n[N=${n}] world ${w.dir}, socket ${w.socket}; treemux up --no-attach …`);
    const t0 = Date.now();
    const up = await runCli(w, ['up', '--no-attach']);
    const upSeconds = (Date.now() - t0) / 1000;
    if (up.code !== 0) throw new Error(`treemux up failed (${up.code}):\n${up.out}`);
    const upSpawns = { tmux: lines(w.tmuxLog).length, git: lines(w.gitLog).length };
    if (upSpawns.tmux === 0) throw new Error('the tmux shim saw nothing during `up`: it is not on the PATH that treemux uses');
    const serverPath = tmux(w, ['show-environment', '-g', 'PATH']).trim();
    if (!serverPath.startsWith(`PATH=${w.shim}:`)) throw new Error(`the tmux server's PATH does not start with the shim: ${serverPath}`);
    log(`  up: ${upSeconds.toFixed(1)} s; through the shim: ${upSpawns.tmux} tmux, ${upSpawns.git} git processes; server PATH starts with the shim`);

    let all = panes(w);
    const agentPanes = all.filter((p) => p.role === 'agent' && !p.dead).map((p) => p.id);
    if (agentPanes.length !== n) throw new Error(`expected ${n} running agents, found ${agentPanes.length}`);
    if (!all.some((p) => p.role === 'dash' && !p.dead)) {
      // `up` normally opens the dashboard in the `dash` window; if not, start one as a user would.
      tmux(w, ['new-window', '-d', '-t', '=app:', '-n', 'benchdash', `cd ${q(w.repo)} && PATH=${q(w.shim)}:"$PATH" exec ${q(process.execPath)} ${q(BIN)} dash`]);
      tmux(w, ['set-option', '-p', '-t', '=app:benchdash', '@treemux-role', 'benchdash']);
      all = panes(w);
    }
    const statusFile = path.join(w.repo, '.git', 'treemux', 'status.json');
    // the sidebars run no treemux process since the dashboard paints them (docs/benchmarks.md, Sidebars):
    // with an older treemux there is one per window
    await waitUntil(() => uiProcs(w, allProcs()).some((u) => u.role === 'dash'), 'the dashboard', 20_000);
    await waitUntil(() => existsSync(statusFile) && Date.now() - statSync(statusFile).mtimeMs < 2000, 'a fresh status.json', 20_000);
    // started is not ready: wait until the dashboard and every sidebar have drawn agents (a sidebar
    // scrolls to its own agent, so any agent name will do)
    const drawn = () => panes(w).filter((p) => p.role !== 'agent' && !p.dead).every((p) => /\ba\d+\b/.test(tmux(w, ['capture-pane', '-p', '-t', p.id])));
    await waitUntil(drawn, 'the dashboard and the sidebars to draw the agents', 60_000);
    const ui = uiProcs(w, allProcs());
    const notShimmed = ui.filter((u) => !pathOf(u.pid).startsWith(`${w.shim}:`));
    if (notShimmed.length > 0) throw new Error(`${notShimmed.length} treemux processes do not have the shim on their PATH`);
    log(`  running: ${ui.filter((u) => u.role === 'dash').length} dashboard, ${ui.filter((u) => u.role === 'sidebar').length} sidebars, ${n} agents; all with the shim on PATH`);

    const feeder = startFeeder(w, agentPanes);
    log(`  warm-up ${WARM_MS / 1000} s, then treemux for ${MEASURE_MS / 1000} s …`);
    await sleep(WARM_MS);
    const t = await measureTreemux(w, feeder);

    log(`  closing the dashboard and the sidebars; baseline loop for ${BASELINE_WARM_MS / 1000} + ${MEASURE_MS / 1000} s …`);
    const uiPanes = panes(w).filter((p) => p.role !== 'agent');
    for (const p of uiPanes.filter((p) => p.role === 'sidebar')) tmux(w, ['kill-pane', '-t', p.id]);
    for (const wid of new Set(uiPanes.filter((p) => p.role !== 'sidebar').map((p) => p.windowId))) tmux(w, ['kill-window', '-t', wid]);
    const gone = t.detail.ui.map((u) => u.pid);
    await waitUntil(() => gone.every((p) => !existsSync(`/proc/${p}`)), 'the treemux processes to end', 10_000);
    if (uiProcs(w, allProcs()).length > 0) throw new Error('treemux processes still running after their panes were closed');
    const b = await measureBaseline(w, agentPanes);
    return { n, upSeconds, upSpawns, treemux: t.usage, detail: t.detail, baseline: b.usage, baselineReport: b.report };
  } finally {
    cleanupWorld(w);
  }
}

// ---------------------------------------------------------------------------------------------------
// Report

const total = (u: Usage) => u.ownMs + u.spawnedMs + u.serverMs;

function machine(): string[] {
  const cpus = os.cpus();
  let tmuxV = '?';
  try {
    tmuxV = execFileSync(REAL_TMUX, ['-V'], { encoding: 'utf8' }).trim();
  } catch {
    // unknown
  }
  return [
    `- date: ${new Date().toISOString().slice(0, 10)}`,
    `- machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}; load average at start ${loadavg()}`,
    `- ${tmuxV}, node ${process.version}, clock tick ${CLK_TCK} Hz`,
    `- window ${MEASURE_MS / 1000} s per side after a ${WARM_MS / 1000} s warm-up (baseline: ${BASELINE_WARM_MS / 1000} s); ${FEED_AGENTS} agents get a line every ${FEED_EVERY_MS / 1000} s`,
  ];
}

function report(results: Result[]): void {
  log('\n## Details\n');
  for (const r of results) {
    const d = r.detail;
    const sb = d.sidebarMs.map((ms) => perMin(r.treemux, ms));
    const mean = sb.reduce((s, x) => s + x, 0) / Math.max(1, sb.length);
    const spawns = (by: Record<string, number>) =>
      Object.entries(by)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none';
    log(`N=${r.n}: up took ${r.upSeconds.toFixed(1)} s (through the shim: ${r.upSpawns.tmux} tmux, ${r.upSpawns.git} git processes)`);
    log(`  treemux: ${d.ui.length} processes; leading (a tmux control client below): at start ${d.leaders.atStart.join(', ') || 'none'}, at end ${d.leaders.atEnd.join(', ') || 'none'}`);
    log(`    tmux spawns in the window by: ${spawns(d.spawnsBy)}; git spawns by: ${spawns(d.gitBy)}`);
    log(`    CPU ms/min: dashboard ${fmt(perMin(r.treemux, d.dashMs), 0)}; sidebars mean ${fmt(mean, 0)}, min ${fmt(Math.min(...sb), 0)}, max ${fmt(Math.max(...sb), 0)} each, ${fmt(sb.reduce((s, x) => s + x, 0), 0)} together`);
    log(`    ${d.sent} lines fed in the window; ${d.fed}/${r.n} agents fed so far, the snapshot's last line is a fed line for ${d.fedSeen} of them; ${d.lost} processes lost`);
    log(`    load average ${r.treemux.load}`);
    const br = r.baselineReport;
    log(`  baseline: ${fmt(br.rounds / (br.elapsedMs / 1000), 2)} rounds/s (period ${CAPTURE_EVERY_MS} ms), ${br.captures} captures, ${br.changes} changed, ${br.errors} errors; user ${fmt(br.userUs / 1000, 0)} ms, system ${fmt(br.systemUs / 1000, 0)} ms`);
    log(`    load average ${r.baseline.load}`);
  }

  log('\n## Table\n');
  log('| agents | what | tmux processes spawned /s | git processes /s | CPU of treemux dash + sidebars / of the loop (ms/min) | CPU of what they spawned (ms/min) | tmux server CPU (ms/min) | all together (ms/min) |');
  log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const t = r.treemux;
    const b = r.baseline;
    const row = (what: string, u: Usage) =>
      `| ${r.n} | ${what} | ${fmt(perS(u, u.tmuxSpawns), 2)} | ${fmt(perS(u, u.gitSpawns), 2)} | ${fmt(perMin(u, u.ownMs), 0)} | ${fmt(perMin(u, u.spawnedMs), 0)} | ${fmt(perMin(u, u.serverMs), 0)} | ${fmt(perMin(u, total(u)), 0)} |`;
    log(row(`treemux (1 dashboard + ${r.n} sidebars)`, t));
    log(row('baseline (capture-pane loop)', b));
    log(
      `| ${r.n} | baseline / treemux | ${ratio(perS(b, b.tmuxSpawns), perS(t, t.tmuxSpawns), 'treemux')} | – | ${ratio(perMin(b, b.ownMs), perMin(t, t.ownMs), 'treemux')} | ${ratio(perMin(b, b.spawnedMs), perMin(t, t.spawnedMs), 'treemux')} | ${ratio(perMin(b, b.serverMs), perMin(t, t.serverMs), 'treemux')} | ${ratio(perMin(b, total(b)), perMin(t, total(t)), 'treemux')} |`,
    );
  }

  log('\nTreemux processes, CPU ms/min each:\n');
  log('| agents | leading (has the control client) | dashboard | sidebar, mean (min–max) | sidebars together | tmux processes spawned by treemux in the window | git processes /s, by whom |');
  log('| ---: | --- | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    const d = r.detail;
    const sb = d.sidebarMs.map((ms) => perMin(r.treemux, ms));
    const mean = sb.reduce((s, x) => s + x, 0) / Math.max(1, sb.length);
    const gitBy = Object.entries(d.gitBy)
      .map(([k, v]) => `${k} ${fmt(v / r.treemux.seconds, 2)}`)
      .join(', ');
    const leaders = [...new Set([...d.leaders.atStart, ...d.leaders.atEnd].map((l) => l.replace(/ \(pid.*/, '')))];
    log(
      `| ${r.n} | ${leaders.join(', ') || 'none'} (${d.leaders.atStart.length} at start, ${d.leaders.atEnd.length} at end) | ${fmt(perMin(r.treemux, d.dashMs), 0)} | ${fmt(mean, 0)} (${fmt(Math.min(...sb), 0)}–${fmt(Math.max(...sb), 0)}) | ${fmt(sb.reduce((s, x) => s + x, 0), 0)} | ${r.treemux.tmuxSpawns} | ${gitBy || 'none'} |`,
    );
  }
}

// Last, once every constant above is initialised: the bench, or (forked with --baseline) its loop.
if (process.argv[2] === '--baseline') void baselineLoop(process.argv[3] ?? '{}');
else void benchMain('treemux refresh benchmark', machine, runN, report);