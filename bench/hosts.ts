// Benchmark: what watching agents on an ssh host costs, in processes started here and bytes over the
// ssh connection per minute, with 10 idle and 10 busy agents there, against polling every agent's screen
// once a second over the same shared connection (what a watcher without a control client there does).
//
// Run from the repository root as root (it starts Debian's OpenSSH server on a loopback port with a
// second Unix user as the host, as test/hosts does), after `npm run build`:
//
//   npm run bench:hosts
//
// Environment: TREEMUX_BENCH_AGENTS   agents on the host (default 10)
//              TREEMUX_BENCH_SECONDS  length of each measured window (default 60)
//
// For each of idle (the stand-in agent, waiting at its prompt) and busy (a line every 500 ms each):
//   1. a private world (test/helpers/world.ts) and ssh host (test/helpers/sshd.ts, user treemuxbench);
//      the ssh wrapper first on PATH also appends a line per ssh process to a counter file;
//   2. `treemux up --no-attach` with all agents on the host; the dashboard in the session's `dash`
//      window leads (one control client there); 10 s of warm-up;
//   3. treemux: for the window, the ssh processes started (counter lines) and the bytes both ways on the
//      one TCP connection to the host (`ss -tin`: bytes_acked + bytes_received), and the dashboard's CPU;
//   4. baseline: the dashboard's window killed, a loop here runs `ssh HOST tmux capture-pane -p -t %N` for
//      every agent every second, over the same ControlMaster connection; the same counters.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startSshHost, sshAvailable, type SshHost } from '../test/helpers/sshd.js';
import { makeAppRepo, makeWorld, type World } from '../test/helpers/world.js';

/** treemux as built in this checkout (the bench runs from the repository root, compiled elsewhere) */
const BIN = join(process.cwd(), 'bin', 'treemux.js');
function tm(w: World, args: string[]): { code: number; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: w.repo, env: w.env, encoding: 'utf8' });
  return { code: r.status ?? 1, stderr: r.stderr ?? '' };
}

const N = Number(process.env.TREEMUX_BENCH_AGENTS ?? 10);
const SECONDS = Number(process.env.TREEMUX_BENCH_SECONDS ?? 60);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Measure {
  sshProcs: number;
  bytes: number;
  cpuMs: number;
  seconds: number;
}

/** Bytes both ways on the TCP connections to the sshd port (client side). */
function sshBytes(port: number): number {
  const out = execFileSync('ss', ['-tinH', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  let total = 0;
  for (const m of out.matchAll(/bytes_acked:(\d+)/g)) total += Number(m[1]);
  for (const m of out.matchAll(/bytes_received:(\d+)/g)) total += Number(m[1]);
  return total;
}

const counted = (file: string) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / 100;
  } catch {
    return 0;
  }
}

async function window(box: SshHost, counter: string, pid: number | null): Promise<Measure> {
  const [p0, b0, c0] = [counted(counter), sshBytes(box.port), pid ? cpuMs(pid) : 0];
  const t0 = Date.now();
  await sleep(SECONDS * 1000);
  const seconds = (Date.now() - t0) / 1000;
  return { sshProcs: counted(counter) - p0, bytes: sshBytes(box.port) - b0, cpuMs: pid ? cpuMs(pid) - c0 : 0, seconds };
}

async function scenario(busy: boolean): Promise<{ treemux: Measure; baseline: Measure }> {
  const w: World = makeWorld();
  makeAppRepo(w);
  const box = await startSshHost(w.dir, w.env, { user: 'treemuxbench' });
  try {
    Object.assign(w.env, box.env);
    // the wrapper counts every ssh process (the dashboard's, the baseline's) before running it
    const counter = join(w.dir, 'ssh-count');
    const wrapper = box.env.PATH!.split(':')[0]!;
    const real = readFileSync(join(wrapper, 'ssh'), 'utf8');
    writeFileSync(join(wrapper, 'ssh'), real.replace('exec ', `echo "$$" >> '${counter}'\nexec `), { mode: 0o755 });
    const agent = busy ? `${box.home}/busy.sh` : `${box.home}/idle.sh`;
    box.ssh(`printf '#!/bin/sh\\nwhile :; do date +%%T.%%N; sleep 0.5; done\\n' > ~/busy.sh; printf '#!/bin/sh\\necho ready; while read -r l; do echo "$l"; done\\n' > ~/idle.sh; chmod +x ~/busy.sh ~/idle.sh`);
    const agents = Array.from({ length: N }, (_, i) => `  - { name: a${i + 1}, task: t, host: box, command: ${agent} }`);
    w.write('treemux.yaml', ['version: 1', 'project: app', 'hosts:', '  box: { ssh: box, repo: ~/src/app }', 'agents:', ...agents, ''].join('\n'));
    w.git(['add', '-A']);
    w.git(['commit', '-qm', 'layout']);
    const up = tm(w, ['up', '--no-attach']);
    if (up.code !== 0) throw new Error(`up failed: ${up.stderr}`);
    const dashPid = Number(w.tmux(['list-panes', '-t', 'app:dash', '-F', '#{pane_pid}']).trim());
    await sleep(10_000);
    const treemux = await window(box, counter, dashPid);
    // baseline: no dashboard; every agent's screen once a second over the same connection
    w.tmux(['kill-window', '-t', 'app:dash']);
    const ids = box.ssh(`tmux -L ${w.socket} list-panes -s -t =app -F '#{pane_id} #{@treemux-role}'`).stdout.split('\n').filter((l) => l.endsWith(' agent')).map((l) => l.split(' ')[0]!);
    const control = `ControlPath=${join(w.env.XDG_STATE_HOME!, 'treemux', 'ssh', '%C')}`;
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        const started = Date.now();
        await Promise.all(
          ids.map(
            (id) =>
              new Promise<void>((resolve) => {
                const p = spawn(join(wrapper, 'ssh'), ['-o', control, '-o', 'ControlMaster=auto', '-o', 'ControlPersist=300', 'box', `tmux -L ${w.socket} capture-pane -p -t ${id}`], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...w.env } });
                p.stdout.resume();
                p.on('close', () => resolve());
              }),
          ),
        );
        await sleep(Math.max(0, 1000 - (Date.now() - started)));
      }
    })();
    await sleep(3000);
    const baseline = await window(box, counter, null);
    stop = true;
    await loop;
    tm(w, ['down', '--force']);
    return { treemux, baseline };
  } finally {
    box.cleanup();
    box.stop();
    w.cleanup();
  }
}

async function main(): Promise<void> {
  if (!sshAvailable()) throw new Error('run as root on a machine with /usr/sbin/sshd (openssh-server) and useradd');
  const facts = `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, ${execFileSync('tmux', ['-V'], { encoding: 'utf8' }).trim()}, ${execFileSync('ssh', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() || 'ssh'}`;
  console.log(`# watching ${N} agents on an ssh host, ${SECONDS} s windows (${facts})`);
  const rows: string[] = [];
  for (const busy of [false, true]) {
    const { treemux, baseline } = await scenario(busy);
    const per = (m: Measure, x: number) => (x * 60) / m.seconds;
    const line = (who: string, m: Measure) =>
      `| ${busy ? 'busy' : 'idle'} | ${who} | ${per(m, m.sshProcs).toFixed(1)} | ${(per(m, m.bytes) / 1024).toFixed(1)} | ${m.cpuMs ? per(m, m.cpuMs).toFixed(0) : '-'} |`;
    rows.push(line('treemux dashboard', treemux), line('poll every screen each second', baseline));
    const r = (a: number, b: number) => (b === 0 ? '-' : (a / b).toFixed(3));
    rows.push(`| ${busy ? 'busy' : 'idle'} | ratio treemux / poll | ${r(treemux.sshProcs, baseline.sshProcs)} | ${r(treemux.bytes / treemux.seconds, baseline.bytes / baseline.seconds)} | |`);
    appendFileSync('/dev/stderr', `${busy ? 'busy' : 'idle'} done\n`);
  }
  console.log('\n| agents | watcher | ssh processes / min | KB over ssh / min (both ways) | dashboard CPU ms / min |\n| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
