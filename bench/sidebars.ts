// Benchmark: what the sidebars cost, resident and idle, with a 200x50 client attached, against the
// same world without sidebars.
//
// Run from the repository root (Node 20 cannot run TypeScript directly, so this file is compiled into
// dist/.bench, run, and removed again; it drives the built CLI, so `npm run build` comes first):
//
//   npm run bench:sidebars
//
// Environment: TREEMUX_BENCH_AGENTS    agent counts to measure, comma-separated (default 30)
//              TREEMUX_BENCH_SECONDS   length of the idle window (default 30)
//              TREEMUX_BENCH_BEFORE    optional: the root of another treemux checkout, built, whose
//                                      sidebars are measured too (e.g. one before this design)
//
// For each agent count N and each case (sidebar: true; sidebar: false, the baseline; and, when asked,
// sidebar: true with the other checkout's treemux), in a private world of its own (HOME, git config,
// XDG dirs, TMUX_TMPDIR and tmux socket under one temp dir):
//   1. a git repository whose treemux.yaml has N agents running the stand-in agent
//      (test/fixtures/agent.sh, copied into the world as the acceptance check does, so that the
//      agents' processes do not name the checkout); `treemux up --no-attach` starts them and the
//      dashboard in the session's `dash` window.
//   2. a client of 200x50 attaches to agent a3's window (`script` running `tmux attach`, its terminal
//      set to 200x50 with stty); the bench waits until that window is at least 150 columns wide and,
//      with sidebars, until a3's sidebar lists a1 and aN; then until every agent is idle in
//      status.json, and 5 s more.
//   3. resident: VmRSS of every treemux process of the world (its cmdline names the checkout, as the
//      acceptance check greps /proc/*/cmdline, and its environment has the world's tmux socket), and
//      beside them the sidebar panes' own programs, the tmux clients below treemux processes (the
//      control clients) and the tmux server.
//   4. idle: utime+stime from /proc/<pid>/stat of the same processes over the idle window: the
//      treemux processes' own CPU (what the acceptance check counts), with what they spawned (reaped
//      children and live control clients), the sidebar programs' and the tmux server's.
// It prints the machine facts, per-case details and a markdown table, and removes everything it made
// (tmux servers, temp dirs, child processes) at the end, on failure and on Ctrl-C.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type World, allProcs, benchMain, benchTools, cleanupWorld, cmdline, fmt, loadavg, log, makeWorld, panes, q, readStat, serverPid, sleep, ticksToMs, tmux, waitUntil } from './lib.js';

const { root: ROOT, realTmux: REAL_TMUX, clkTck: CLK_TCK } = benchTools();
const AGENT = path.join(ROOT, 'test', 'fixtures', 'agent.sh');
const IDLE_MS = Number(process.env.TREEMUX_BENCH_SECONDS ?? 30) * 1000;
const SETTLE_MS = 5000;
const BEFORE = process.env.TREEMUX_BENCH_BEFORE ? path.resolve(process.env.TREEMUX_BENCH_BEFORE) : null;
process.env.TREEMUX_BENCH_AGENTS ??= '30';

interface Case {
  what: string;
  sidebar: boolean;
  /** the checkout whose treemux runs */
  root: string;
}

function cases(): Case[] {
  const list: Case[] = [
    { what: 'sidebars (`sidebar: true`)', sidebar: true, root: ROOT },
    { what: 'baseline (`sidebar: false`)', sidebar: false, root: ROOT },
  ];
  if (BEFORE) list.push({ what: `sidebars, ${checkoutName(BEFORE)}`, sidebar: true, root: BEFORE });
  return list;
}

function checkoutName(root: string): string {
  try {
    return `treemux at ${execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`;
  } catch {
    return root;
  }
}

// ---------------------------------------------------------------------------------------------------
// /proc

function rssKb(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function hasSocket(pid: number, socket: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`TREEMUX_SOCKET=${socket}`);
  } catch {
    return false;
  }
}

interface Procs {
  /** treemux processes: cmdline names the checkout, environment the world's socket */
  treemux: number[];
  /** what they run to say what: tmux control clients still alive below them */
  clients: number[];
  /** each sidebar pane's program (and what it runs) */
  sidebars: number[];
  server: number;
}

function findProcs(w: World, root: string): Procs {
  const procs = allProcs();
  const treemux = procs.filter((p) => cmdline(p.pid).some((a) => a.includes(root)) && hasSocket(p.pid, w.socket)).map((p) => p.pid);
  const mine = new Set(treemux);
  const clients = procs.filter((p) => mine.has(p.ppid) && p.comm.startsWith('tmux')).map((p) => p.pid); // `tmux: client`
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const sidebars: number[] = [];
  for (const pane of panes(w).filter((p) => p.role === 'sidebar' && !p.dead)) {
    const stack = [pane.pid];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      if (!mine.has(pid)) sidebars.push(pid); // an older treemux's sidebar is a treemux process: counted there
      stack.push(...(children.get(pid) ?? []));
    }
  }
  return { treemux, clients, sidebars, server: serverPid(w) };
}

/** `dash`, `sidebar`, … : the treemux command a process runs */
function commandOf(pid: number): string {
  const argv = cmdline(pid);
  const at = argv.findIndex((a) => a.endsWith('treemux.js') || a.endsWith('cli.js'));
  return argv[at + 1] ?? '?';
}

/** Proportional set size: shared pages (libc, the node binary) split among the processes that map them. */
function pssKb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const sumRss = (pids: number[]) => pids.reduce((s, p) => s + rssKb(p), 0) / 1024;
const sumPss = (pids: number[]) => pids.reduce((s, p) => s + pssKb(p), 0) / 1024;

interface Cpu {
  own: number;
  reaped: number;
}

function cpuTicks(pids: number[]): Cpu {
  let own = 0;
  let reaped = 0;
  for (const p of pids) {
    const s = readStat(p);
    if (s) {
      own += s.own;
      reaped += s.reaped;
    }
  }
  return { own, reaped };
}

// ---------------------------------------------------------------------------------------------------
// One case

interface Result {
  n: number;
  what: string;
  upSeconds: number;
  window: string;
  sidebarWidth: string;
  count: { treemux: number; clients: number; sidebars: number };
  rssMb: { treemux: number; clients: number; sidebars: number; server: number };
  /** the sidebar programs' proportional set size (their RSS counts the shared libc pages in each) */
  sidebarsPssMb: number;
  /** CPU-s over the idle window */
  cpuS: { treemuxOwn: number; treemuxWithSpawned: number; sidebars: number; server: number };
  commands: string[];
  load: string;
}

function up(w: World, root: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'treemux.js'), 'up', '--no-attach'], { cwd: w.repo, env: w.plainEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    w.children.add(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      w.children.delete(child);
      resolve({ code: code ?? 1, out });
    });
  });
}

/** A real client of 200x50 on agent a3's window, as a person's terminal; it stays until cleanup. */
function attachClient(w: World): void {
  const line = `stty cols 200 rows 50; exec ${q(REAL_TMUX)} -L ${q(w.socket)} attach -t =app:a3`;
  const child = spawn('script', ['-qfc', line, '/dev/null'], { cwd: w.repo, env: w.plainEnv, stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  w.children.add(child);
}

function allIdle(w: World): boolean {
  try {
    const snap = JSON.parse(readFileSync(path.join(w.repo, '.git', 'treemux', 'status.json'), 'utf8')) as { agents?: { status: string }[] };
    return (snap.agents ?? []).length === w.n && snap.agents!.every((a) => a.status === 'idle');
  } catch {
    return false;
  }
}

async function runCase(n: number, c: Case, i: number): Promise<Result> {
  // the stand-in agent copied into the world, so that its processes do not name the checkout
  const agent = (dir: string) => {
    const file = path.join(dir, 'agent.sh');
    copyFileSync(AGENT, file);
    return file;
  };
  const w = makeWorld(n, { name: `sidebars${i}`, count: () => ':', agent, yaml: c.sidebar ? 'sidebar: true\n' : '' });
  try {
    log(`\n${c.what}, ${n} agents:`);
    const t0 = Date.now();
    const r = await up(w, c.root);
    const upSeconds = (Date.now() - t0) / 1000;
    if (r.code !== 0) throw new Error(`treemux up failed (${r.code}):\n${r.out}`);
    log(`  up: ${upSeconds.toFixed(1)} s`);
    attachClient(w);
    const width = (target: string) => Number(tmux(w, ['display-message', '-p', '-t', target, '#{window_width}']).trim());
    await waitUntil(() => width('=app:a3') >= 150, 'window a3 at the client size (>= 150 columns)', 20_000);
    const sidebarPane = () => panes(w).find((p) => p.windowName === 'a3' && p.role === 'sidebar');
    if (c.sidebar) {
      const drawn = () => {
        const pane = sidebarPane();
        if (!pane) return false;
        const text = tmux(w, ['capture-pane', '-p', '-t', pane.id]);
        return /\ba1\b/.test(text) && new RegExp(`\\ba${n}\\b`).test(text);
      };
      await waitUntil(drawn, `a3's sidebar to list a1 … a${n}`, 60_000);
    }
    // (a watcher that never reports them all idle is measured anyway: that is what it costs)
    const settled = await waitUntil(() => allIdle(w), 'every agent idle in status.json', 60_000).then(() => true, () => false);
    if (!settled) log('  not every agent idle in status.json after 60 s: measured as it is');
    await sleep(SETTLE_MS);
    const window = tmux(w, ['display-message', '-p', '-t', '=app:a3', '#{window_width}x#{window_height}']).trim();
    const pane = sidebarPane();
    const sidebarWidth = pane ? tmux(w, ['display-message', '-p', '-t', pane.id, '#{pane_width}']).trim() : '–';
    const procs = findProcs(w, c.root);
    const commands = [...new Set(procs.treemux.map(commandOf))];
    const rssMb = { treemux: sumRss(procs.treemux), clients: sumRss(procs.clients), sidebars: sumRss(procs.sidebars), server: sumRss([procs.server]) };
    log(`  window a3 ${window}, its sidebar ${sidebarWidth} columns; ${procs.treemux.length} treemux processes (${commands.join(', ')}), ${procs.clients.length} tmux clients below them, ${procs.sidebars.length} sidebar programs`);
    const sidebarsPssMb = sumPss(procs.sidebars);
    log(`  RSS MB: treemux ${fmt(rssMb.treemux)}, their tmux clients ${fmt(rssMb.clients)}, sidebar programs ${fmt(rssMb.sidebars)} (PSS ${fmt(sidebarsPssMb)}), tmux server ${fmt(rssMb.server)}`);
    const load = loadavg();
    const before = { treemux: cpuTicks(procs.treemux), clients: cpuTicks(procs.clients), sidebars: cpuTicks(procs.sidebars), server: cpuTicks([procs.server]) };
    log(`  idle for ${IDLE_MS / 1000} s …`);
    await sleep(IDLE_MS);
    const after = { treemux: cpuTicks(procs.treemux), clients: cpuTicks(procs.clients), sidebars: cpuTicks(procs.sidebars), server: cpuTicks([procs.server]) };
    const s = (ticks: number) => ticksToMs(ticks) / 1000;
    const treemuxOwn = s(after.treemux.own - before.treemux.own);
    const cpuS = {
      treemuxOwn,
      treemuxWithSpawned: treemuxOwn + s(after.treemux.reaped - before.treemux.reaped) + s(after.clients.own - before.clients.own),
      sidebars: s(after.sidebars.own + after.sidebars.reaped - before.sidebars.own - before.sidebars.reaped),
      server: s(after.server.own - before.server.own),
    };
    log(`  idle CPU-s: treemux own ${fmt(cpuS.treemuxOwn, 2)}, with what they spawned ${fmt(cpuS.treemuxWithSpawned, 2)}; sidebar programs ${fmt(cpuS.sidebars, 2)}; tmux server ${fmt(cpuS.server, 2)}; load ${load} → ${loadavg()}`);
    return {
      n,
      what: c.what,
      upSeconds,
      window,
      sidebarWidth,
      count: { treemux: procs.treemux.length, clients: procs.clients.length, sidebars: procs.sidebars.length },
      rssMb,
      sidebarsPssMb,
      cpuS,
      commands,
      load,
    };
  } finally {
    cleanupWorld(w);
  }
}

async function runN(n: number): Promise<Result[]> {
  const results: Result[] = [];
  let i = 0;
  for (const c of cases()) results.push(await runCase(n, c, i++));
  return results;
}

// ---------------------------------------------------------------------------------------------------
// Report

function machine(): string[] {
  const cpus = os.cpus();
  const tmuxV = execFileSync(REAL_TMUX, ['-V'], { encoding: 'utf8' }).trim();
  if (BEFORE && !existsSync(path.join(BEFORE, 'dist', 'cli.js'))) throw new Error(`${BEFORE} is not built (no dist/cli.js)`);
  return [
    `- date: ${new Date().toISOString().slice(0, 10)}`,
    `- machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}; load average at start ${loadavg()}`,
    `- ${tmuxV}, node ${process.version}, clock tick ${CLK_TCK} Hz; idle window ${IDLE_MS / 1000} s; treemux ${checkoutName(ROOT)}`,
  ];
}

function report(all: Result[][]): void {
  log('\n## Table\n');
  log(`| agents | what | window (sidebar width) | treemux processes | RSS of treemux processes (MB) | their tmux clients (MB) | sidebar programs, RSS (PSS) (MB) | tmux server (MB) | idle CPU-s / ${IDLE_MS / 1000} s, treemux processes | with what they spawned | sidebar programs | tmux server |`);
  log('| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const results of all) {
    for (const r of results) {
      log(
        `| ${r.n} | ${r.what} | ${r.window} (${r.sidebarWidth}) | ${r.count.treemux} (${r.commands.join(', ')}) | ${fmt(r.rssMb.treemux, 0)} | ${fmt(r.rssMb.clients, 1)} (${r.count.clients}) | ${fmt(r.rssMb.sidebars, 1)} (${fmt(r.sidebarsPssMb, 1)}) (${r.count.sidebars}) | ${fmt(r.rssMb.server, 1)} | ${fmt(r.cpuS.treemuxOwn, 2)} | ${fmt(r.cpuS.treemuxWithSpawned, 2)} | ${fmt(r.cpuS.sidebars, 2)} | ${fmt(r.cpuS.server, 2)} |`,
      );
    }
  }
  log('\nTargets: all treemux processes <= 300 MB RSS; idle <= 0.25 CPU-s per 30 s in total.');
}

void benchMain('treemux sidebars benchmark', machine, runN, report);
