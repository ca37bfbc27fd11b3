// Shared by the benchmarks.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** mulberry32: a small seeded PRNG, so every run builds and feeds the same things. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A blocking sleep, for cleanup (which also runs from 'exit' and signal handlers). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Quoted for sh. */
export const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

// ---------------------------------------------------------------------------------------------------
// The tmux benchmarks (wait.ts, refresh.ts): the built CLI, the real tmux and git, and one private
// world per agent count. Looked up on first use, so that the other benchmarks (which import this file
// for prng) need no tmux.

export interface Tools {
  /** the treemux repository root (its package.json names treemux) */
  root: string;
  /** bin/treemux.js: the built CLI */
  bin: string;
  /** the real tmux and git, not the shims */
  realTmux: string;
  realGit: string;
  /** clock ticks per second (/proc/<pid>/stat counts CPU in them) */
  clkTck: number;
}

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'treemux') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the treemux repository root above this file');
    dir = up;
  }
}

function which(cmd: string): string {
  return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
}

let tools: Tools | undefined;

export function benchTools(): Tools {
  if (tools) return tools;
  const root = findRoot();
  let clkTck = 100;
  try {
    clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    // 100
  }
  tools = { root, bin: path.join(root, 'bin', 'treemux.js'), realTmux: which('tmux'), realGit: which('git'), clkTck };
  return tools;
}

/** TREEMUX_BENCH_AGENTS: the agent counts to measure, comma-separated (default 10,30). */
export function agentCounts(): number[] {
  return (process.env.TREEMUX_BENCH_AGENTS ?? '10,30')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
}

export interface World {
  n: number;
  dir: string;
  repo: string;
  socket: string;
  shim: string;
  /** the world's environment, the shim first on PATH */
  env: Record<string, string>;
  /** the same without the shim: what the bench itself uses (not counted) */
  plainEnv: Record<string, string>;
  /** processes the bench started in the world: killed at cleanup (a detached one with its process group) */
  children: Set<ChildProcess>;
  /** run first at cleanup (timers the bench started in the world) */
  onCleanup: (() => void)[];
}

export interface WorldSpec {
  /** names the temp dir (`treemux-bench-<name>-…`) and the tmux socket (`tm-bench-<name>-<pid>-<n>`) */
  name: string;
  /** more directories to make under the world's dir */
  dirs?: string[];
  /** the shim's shell line(s) for tmux or git that count the process, before it execs the real program */
  count: (tool: 'tmux' | 'git', dir: string) => string;
  /** the agents' command (given the world's dir, where it may write a script) */
  agent: (dir: string) => string;
  /** more top-level lines for treemux.yaml (each ending in a newline), after `agent:` */
  yaml?: string;
}

const worlds = new Set<World>();

/**
 * A private world under one temp dir: its own HOME, git config, XDG dirs, TMUX_TMPDIR and tmux socket,
 * a shim dir (counting `tmux` and `git`) first on the PATH of `env`, and a git repository `app` whose
 * treemux.yaml has n agents a1…an. Cleanup knows it from the start.
 */
export function makeWorld(n: number, spec: WorldSpec): World {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), `treemux-bench-${spec.name}-`)));
  const socket = `tm-bench-${spec.name}-${process.pid}-${n}`;
  const w: World = {
    n,
    dir,
    repo: path.join(dir, 'app'),
    socket,
    shim: path.join(dir, 'shim'),
    env: {},
    plainEnv: {},
    children: new Set(),
    onCleanup: [],
  };
  worlds.add(w); // from here on, cleanup knows it
  for (const d of ['home', 'state', 'config', 'tmux', 'shim', 'app', ...(spec.dirs ?? [])]) mkdirSync(path.join(dir, d), { recursive: true });
  const { realTmux, realGit } = benchTools();
  for (const [name, real] of [['tmux', realTmux], ['git', realGit]] as const) {
    const file = path.join(w.shim, name);
    writeFileSync(file, `#!/bin/sh\n${spec.count(name, dir)}\nexec ${q(real)} "$@"\n`);
    chmodSync(file, 0o755);
  }
  const agent = spec.agent(dir);
  const base: Record<string, string> = {
    HOME: path.join(dir, 'home'),
    XDG_STATE_HOME: path.join(dir, 'state'),
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    GIT_CONFIG_GLOBAL: path.join(dir, 'gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    TMUX_TMPDIR: path.join(dir, 'tmux'),
    TREEMUX_SOCKET: socket,
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
  };
  const PATH = process.env.PATH ?? '/usr/bin:/bin';
  w.env = { ...base, PATH: `${w.shim}:${PATH}` };
  w.plainEnv = { ...base, PATH };
  writeFileSync(base.GIT_CONFIG_GLOBAL!, '[user]\n\tname = bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n');

  const git = (...args: string[]) => execFileSync(realGit, args, { cwd: w.repo, env: w.plainEnv, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(w.repo, 'README.md'), '# app\n');
  const agents = Array.from({ length: n }, (_, i) => `  - { name: a${i + 1}, task: task-a${i + 1} }`).join('\n');
  writeFileSync(path.join(w.repo, 'treemux.yaml'), `version: 1\nproject: app\nagent: { command: ${JSON.stringify(agent)} }\n${spec.yaml ?? ''}agents:\n${agents}\n`);
  git('add', '-A');
  git('commit', '-qm', 'app with a layout');
  return w;
}

/** The real tmux on the world's server (not through the shim: not counted). */
export function tmux(w: World, args: string[]): string {
  return execFileSync(benchTools().realTmux, ['-L', w.socket, ...args], { env: w.plainEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The built CLI in the world's repository (with the shim first on PATH unless env says otherwise). */
export function runCli(w: World, args: string[], env: Record<string, string> = w.env): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [benchTools().bin, ...args], { cwd: w.repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

// Cleanup: synchronous, so that it also runs from 'exit' and signal handlers

export function cleanupWorld(w: World): void {
  for (const f of w.onCleanup) f();
  w.onCleanup = [];
  for (const c of w.children) {
    try {
      if (c.pid) process.kill(-c.pid, 'SIGKILL'); // a detached child's own process group: it and all below
      else c.kill('SIGKILL');
    } catch {
      c.kill('SIGKILL'); // not a process group leader: the child alone
    }
  }
  w.children.clear();
  let pids: number[] = [];
  try {
    pids = tmux(w, ['list-panes', '-a', '-F', '#{pane_pid}']).split('\n').filter(Boolean).map(Number);
  } catch {
    // no server
  }
  try {
    tmux(w, ['kill-server']);
  } catch {
    // no server left
  }
  // panes' programs get SIGHUP from the dying server; give them a moment to go before removing files
  const end = Date.now() + 3000;
  while (pids.some((p) => existsSync(`/proc/${p}`)) && Date.now() < end) sleepSync(50);
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(w.dir, { recursive: true, force: true });
  worlds.delete(w);
}

export function cleanupAll(): void {
  for (const w of [...worlds]) {
    try {
      cleanupWorld(w);
    } catch (err) {
      process.stderr.write(`cleanup of ${w.dir}: ${(err as Error).message}\n`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// /proc

export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, clock ticks */
  own: number;
  /** cutime + cstime: children that ended and were waited for */
  reaped: number;
}

export function parseStat(pid: number, text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const f = text.slice(close + 2).split(' '); // f[0] is the state
  const n = (i: number) => Number(f[i] ?? 0);
  return { pid, ppid: n(1), comm: text.slice(open + 1, close), own: n(11) + n(12), reaped: n(13) + n(14) };
}

export function readStat(pid: number): ProcStat | null {
  try {
    return parseStat(pid, readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

export function allProcs(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

export function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

export const ticksToMs = (ticks: number) => (ticks * 1000) / benchTools().clkTck;

export function loadavg(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

// ---------------------------------------------------------------------------------------------------
// The world's tmux server and panes

export function serverPid(w: World): number {
  return Number(tmux(w, ['display-message', '-p', '#{pid}']).trim());
}

export interface Pane {
  id: string;
  pid: number;
  role: string;
  windowId: string;
  windowName: string;
  dead: boolean;
}

export function panes(w: World): Pane[] {
  const out = tmux(w, ['list-panes', '-s', '-t', '=app', '-F', '#{pane_id}\t#{pane_pid}\t#{@treemux-role}\t#{window_id}\t#{window_name}\t#{pane_dead}']);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id = '', pid = '0', role = '', windowId = '', windowName = '', dead = '0'] = l.split('\t');
      return { id, pid: Number(pid), role, windowId, windowName, dead: dead === '1' };
    });
}

export async function waitUntil(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------------
// Report

export function log(s: string): void {
  process.stdout.write(`${s}\n`);
}

export function fmt(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '–';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** base / x, as `12×`; `who` names x where it is 0. */
export function ratio(base: number, x: number, who: string): string {
  if (x === 0) return base === 0 ? '–' : `∞ (${who}: 0)`;
  const r = base / x;
  return `${fmt(r, r >= 10 ? 0 : r >= 1 ? 1 : 2)}×`;
}

/** a count per second, CPU ms per minute, over a run of `seconds` */
export const perS = (run: { seconds: number }, count: number) => count / run.seconds;
export const perMin = (run: { seconds: number }, ms: number) => (ms * 60) / run.seconds;

/**
 * A tmux benchmark's main: cleanup on exit, on Ctrl-C and on failure; the title and the machine
 * facts; one run per agent count; the report (also of the counts done when one fails).
 */
export async function benchMain<R>(title: string, machine: () => string[], runN: (n: number) => Promise<R>, report: (results: R[]) => void): Promise<void> {
  process.on('exit', cleanupAll);
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(sig, () => {
      process.stderr.write(`\n${sig}: cleaning up\n`);
      cleanupAll();
      process.exit(code);
    });
  }
  if (!existsSync(path.join(benchTools().root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  log(`# ${title}\n`);
  for (const l of machine()) log(l);
  const results: R[] = [];
  try {
    for (const n of agentCounts()) results.push(await runN(n));
    report(results);
  } catch (err) {
    process.stderr.write(`\nbench failed: ${(err as Error).stack ?? String(err)}\n`);
    if (results.length > 0) report(results);
    process.exitCode = 1;
  } finally {
    cleanupAll();
  }
}
