// Benchmark: a stranger's first minutes. How long the README's set-up takes, and how long `treemux
// demo` takes to its first screen, each against a baseline measured in the same run.
//
//   npm run bench:first-hour
//
// 1. Install: a fresh `git clone` of this repository, then the README's block as written
//    (`npm install && npm run build && npm install -g .`, into a private global prefix), against
//    `npm ci --ignore-scripts` in another fresh clone (only fetching and unpacking the dependencies:
//    what any Node project's install costs). Twice each, interleaved: with a cold npm cache (an empty
//    cache folder: everything comes from the registry) and with the warm one.
// 2. The demo's first screen: `treemux demo` on a 200x50 pseudo-terminal, from the command to the
//    dashboard showing all three agents, against `tmux new-session` running a shell on the same kind of
//    terminal, to its prompt. Three rounds each, interleaved; medians. Each run has its own tmux
//    socket, HOME and temp folder.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { benchTools } from './lib.js';

const ROUNDS = 3;
const { root, bin } = benchTools();
const temps: string[] = [];
const temp = (name: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `treemux-bench-${name}-`));
  temps.push(dir);
  return dir;
};
process.on('exit', () => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function sh(script: string, cwd: string, env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  execFileSync('sh', ['-c', script], { cwd, env, stdio: 'ignore' });
  return performance.now() - t;
}

function clone(): string {
  const dir = path.join(temp('clone'), 'treemux');
  execFileSync('git', ['clone', '-q', root, dir]);
  return dir;
}

function install(cold: boolean): { readme: number; baseline: number } {
  const cache = cold ? temp('npm-cache') : undefined;
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...(cache ? { npm_config_cache: cache } : {}) };
  const prefix = temp('prefix');
  const readme = sh('npm install && npm run build && npm install -g .', clone(), { ...env, npm_config_prefix: prefix });
  const baselineCache = cold ? { npm_config_cache: temp('npm-cache') } : {};
  const baseline = sh('npm ci --ignore-scripts', clone(), { ...env, ...baselineCache });
  return { readme, baseline };
}

/** ms from spawning `file args` on a 200x50 pty until the rendered screen satisfies `done`. */
async function toScreen(file: string, args: string[], env: Record<string, string>, cwd: string, done: (text: string) => boolean): Promise<number> {
  const term = new xterm.Terminal({ cols: 200, rows: 50, allowProposedApi: true });
  const t = performance.now();
  const proc = pty.spawn(file, args, { name: 'xterm-256color', cols: 200, rows: 50, cwd, env });
  proc.onData((d) => term.write(d));
  const text = () => {
    const buf = term.buffer.active;
    return Array.from({ length: term.rows }, (_, i) => buf.getLine(buf.viewportY + i)?.translateToString(true) ?? '').join('\n');
  };
  try {
    for (;;) {
      await new Promise<void>((r) => term.write('', () => r()));
      if (done(text())) return performance.now() - t;
      if (performance.now() - t > 60_000) throw new Error(`no first screen in 60 s; saw:\n${text()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    proc.kill();
  }
}

function world(): { env: Record<string, string>; dir: string; socket: string } {
  const dir = temp('demo');
  for (const d of ['home', 'tmp', 'tmux']) mkdirSync(path.join(dir, d));
  const socket = `bench-fh-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path.join(dir, 'home'),
    TMPDIR: path.join(dir, 'tmp'),
    TMUX_TMPDIR: path.join(dir, 'tmux'),
    TREEMUX_SOCKET: socket,
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
  };
  return { env, dir, socket };
}

async function demoFirstScreen(): Promise<number> {
  const w = world();
  try {
    return await toScreen(process.execPath, [bin, 'demo'], w.env, w.dir, (t) => /shop — 3 agents/.test(t) && ['cart', 'catalog', 'auth'].every((a) => t.includes(a)));
  } finally {
    killServer(w);
  }
}

function killServer(w: { env: Record<string, string>; socket: string }): void {
  try {
    execFileSync('tmux', ['-L', w.socket, 'kill-server'], { env: w.env, stdio: 'ignore' });
  } catch {
    // already gone
  }
}

async function tmuxFirstScreen(): Promise<number> {
  const w = world();
  try {
    return await toScreen('tmux', ['-L', w.socket, '-f', '/dev/null', 'new-session', '-s', 'x', 'sh'], w.env, w.dir, (t) => /^\$ ?$/m.test(t) || /# ?$/m.test(t));
  } finally {
    killServer(w);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x)}`;

async function main(): Promise<void> {
  const facts = [
    `node ${process.version}`,
    `npm ${execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()}`,
    execFileSync('tmux', ['-V'], { encoding: 'utf8' }).trim(),
    `${os.cpus().length} cores`,
    os.cpus()[0]?.model ?? '',
  ];
  console.log(`# first hour, ${new Date().toISOString().slice(0, 10)}: ${facts.join(', ')}\n`);

  console.log('| install | README block (ms) | `npm ci --ignore-scripts` (ms) | ratio |');
  console.log('| --- | --- | --- | --- |');
  for (const cold of process.env.TREEMUX_BENCH_INSTALL === '0' ? [] : [true, false]) {
    const runs = [install(cold), install(cold)];
    const r = median(runs.map((x) => x.readme));
    const b = median(runs.map((x) => x.baseline));
    console.log(`| ${cold ? 'cold npm cache' : 'warm npm cache'} | ${runs.map((x) => ms(x.readme)).join(', ')} | ${runs.map((x) => ms(x.baseline)).join(', ')} | ${(r / b).toFixed(2)}× |`);
  }

  const demo: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    demo.push(await demoFirstScreen());
    base.push(await tmuxFirstScreen());
  }
  console.log('\n| first screen (200x50) | runs (ms) | median (ms) | ratio |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| \`treemux demo\` → dashboard with 3 agents | ${demo.map(ms).join(', ')} | ${ms(median(demo))} | ${(median(demo) / median(base)).toFixed(1)}× |`);
  console.log(`| \`tmux new-session sh\` → prompt (baseline) | ${base.map(ms).join(', ')} | ${ms(median(base))} | 1.0× |`);
}

await main();
