// A real ssh host for tests: Debian's OpenSSH server on a free loopback port, run by the test as root,
// letting in one second Unix user (its own HOME, its own tmux server) with a key the test makes. The
// test's world reaches it as `box` through its own ssh config (ssh reads the passwd entry's home, not
// $HOME: a wrapper first on PATH hands it -F).
//
// Stopping it is the host going away: the listener ends and (unless asked to keep them) so does every
// connection it had accepted. Killing only the listener is not enough for that: an sshd session lives
// on without it, and an OpenSSH ControlMaster (what treemux keeps per host) goes on carrying new
// sessions over its connection, so the host would still look reachable through it.
//
// The user is the tests' own: every process of it is killed and what tests make in its home removed,
// when the host is made (an earlier run may have crashed) and by cleanup(). Give each test file that
// runs at the same time as another (vitest runs files in parallel) its own user. Processes are found
// in /proc and ended by pid: no procps (pkill, ps) needed, and no other sshd or user touched.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface SshHost {
  /** the Host name in the private ssh config, e.g. 'box' */
  name: string;
  /** the remote Unix user and its home */
  user: string;
  home: string;
  port: number;
  /** for the world's environment: PATH with the `ssh` wrapper's folder first */
  env: Record<string, string>;
  /** the sshd log (appended to by every start) */
  log: string;
  /** a command line run there as the user over a new ssh connection, through the wrapper (never throws) */
  ssh(command: string): { code: number; stdout: string; stderr: string };
  /**
   * The listener ended (so no new connection gets in) and, unless keepSessions, every connection it
   * had accepted cut (their sessions killed; what the user left running detached, e.g. a tmux server,
   * goes on, as on a machine that drops off the network). With keepSessions an open ControlMaster
   * connection still carries new sessions.
   */
  stop(opts?: { keepSessions?: boolean }): void;
  /** the listener again, on the same port, once it lets the user in */
  start(): Promise<void>;
  /** every process of the user killed, what the tests made in its home removed (the key and .gitconfig stay) */
  cleanup(): void;
}

const SSHD = '/usr/sbin/sshd';
const SSH = '/usr/bin/ssh';

export function sshAvailable(): boolean {
  return (
    process.getuid?.() === 0 &&
    existsSync(SSHD) &&
    existsSync(SSH) &&
    spawnSync('sh', ['-c', 'command -v useradd && command -v ssh-keygen'], { stdio: 'ignore' }).status === 0
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A pause between two polls of a synchronous wait (the deadline is the caller's). */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

interface Proc {
  pid: number;
  ppid: number;
  uid: number;
  zombie: boolean;
}

/** One process from /proc, or undefined when it is gone. */
function proc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { pid, ppid: Number(ppid), uid: Number(uid ?? -1), zombie: state === 'Z' || state === 'X' };
  } catch {
    return undefined;
  }
}

function procs(): Proc[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => proc(Number(d)))
    .filter((p): p is Proc => p !== undefined && !p.zombie);
}

const alive = (pid: number) => {
  const p = proc(pid);
  return p !== undefined && !p.zombie;
};

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}

/** Every living process below the given ones (children, their children, …), without them. */
function descendants(roots: number[]): number[] {
  const all = procs();
  const found = new Set<number>(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (found.has(p.ppid) && !found.has(p.pid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  for (const r of roots) found.delete(r);
  return [...found];
}

/**
 * The processes holding a TCP socket whose local end is on `port` (of this network namespace): sshd's
 * listener and, per connection it accepted, its monitor and the user's half, even once the listener
 * that forked them is gone (a stop that kept sessions, then a new start).
 */
function holdersOfPort(port: number): number[] {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/); // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
      const local = f[1];
      if (local && f[9] && f[9] !== '0' && parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.add(`socket:[${f[9]}]`);
    }
  }
  if (inodes.size === 0) return [];
  const holders: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${d}/fd`);
    } catch {
      continue; // gone
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${d}/fd/${fd}`);
      } catch {
        continue;
      }
      if (inodes.has(target)) {
        holders.push(Number(d));
        break;
      }
    }
  }
  return holders;
}

/** SIGKILL every process of `uid` until none is left (a dying tmux server may still fork); throws past the deadline. */
function killUser(uid: number, user: string): void {
  const end = Date.now() + 10_000;
  for (;;) {
    const left = procs().filter((p) => p.uid === uid);
    if (left.length === 0) return;
    if (Date.now() > end) throw new Error(`processes of ${user} outlive SIGKILL: ${left.map((p) => p.pid).join(' ')}`);
    for (const p of left) signal(p.pid, 'SIGKILL');
    pause(20);
  }
}

export async function startSshHost(worldDir: string, worldEnv: Record<string, string>, opts: { user?: string } = {}): Promise<SshHost> {
  const user = opts.user ?? 'treemuxe2e';
  if (!/^[a-z_][a-z0-9_-]*$/.test(user)) throw new Error(`not a user name for the test host: ${JSON.stringify(user)}`);
  if (spawnSync('id', [user], { stdio: 'ignore' }).status !== 0) run('useradd', ['-m', '-s', '/bin/bash', user]);
  const [, , uidField, , , home] = run('getent', ['passwd', user]).trim().split(':');
  const uid = Number(uidField);
  // every process of this user is killed: never one that is not the tests' own
  if (!home || !Number.isInteger(uid) || uid < 1000) throw new Error(`${user} (uid ${uidField}) is not a user the tests may take over`);
  run('usermod', ['-p', '*', user]); // no password, but not locked: sshd refuses a locked account even a key
  const made = [join(home, 'src'), join(home, '.local', 'state', 'treemux'), `/tmp/tmux-${uid}`];
  const clear = () => {
    killUser(uid, user);
    for (const p of made) rmSync(p, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  };
  clear(); // what an earlier run left: its tmux servers, agents, clones, port registry

  const dir = join(worldDir, 'sshd');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const key = join(dir, 'id_ed25519');
  const hostKey = join(dir, 'host_key');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `treemux-test@${user}`, '-f', key]);
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  const dotSsh = join(home, '.ssh');
  rmSync(dotSsh, { recursive: true, force: true }); // only this run's key gets in
  mkdirSync(dotSsh, { recursive: true });
  writeFileSync(join(dotSsh, 'authorized_keys'), readFileSync(`${key}.pub`));
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = host\n\temail = host@example.com\n[init]\n\tdefaultBranch = main\n');
  run('chown', ['-R', `${user}:${user}`, home]);
  chmodSync(dotSsh, 0o700);
  chmodSync(join(dotSsh, 'authorized_keys'), 0o600);

  const port = await freePort();
  const config = join(dir, 'config');
  const pidFile = join(dir, 'pid');
  const log = join(dir, 'log');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${pidFile}`,
      'AuthorizedKeysFile .ssh/authorized_keys',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      `AllowUsers ${user}`,
      '',
    ].join('\n'),
  );

  const name = 'box';
  if (!worldEnv.HOME) throw new Error('the world has no HOME');
  const sshDir = join(worldEnv.HOME, '.ssh');
  mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  const clientConfig = join(sshDir, 'config');
  writeFileSync(
    clientConfig,
    [
      `Host ${name}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      `  User ${user}`,
      `  IdentityFile ${key}`,
      '  IdentitiesOnly yes',
      '  StrictHostKeyChecking no',
      '  UserKnownHostsFile /dev/null',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  chmodSync(clientConfig, 0o600); // ssh refuses a config others may write
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const wrapper = join(bin, 'ssh');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${SSH} -F ${quote(clientConfig)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const env = { PATH: `${bin}:${worldEnv.PATH ?? '/usr/bin:/bin'}` };

  const ssh = (command: string) => {
    // a new connection each time (never a ControlMaster's), so it says whether the host lets one in now
    const r = spawnSync(wrapper, ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', name, command], {
      encoding: 'utf8',
      env: { ...worldEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
  };
  const listener = (): number => {
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    return pid > 0 && alive(pid) ? pid : 0;
  };
  const logTail = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-8).join('\n') : '(no log)');

  const start = async () => {
    if (!listener()) {
      mkdirSync('/run/sshd', { recursive: true }); // its privilege separation folder
      const r = spawnSync(SSHD, ['-f', config, '-E', log], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (r.status !== 0) throw new Error(`sshd did not start (exit ${r.status}): ${r.stderr}\n${logTail()}`);
    }
    const end = Date.now() + 15_000;
    for (;;) {
      const r = ssh('true');
      if (r.code === 0) return;
      if (Date.now() > end) throw new Error(`sshd on port ${port} did not let ${user} in: ${r.stderr.trim()}\nsshd log:\n${logTail()}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  };

  const stop = (o: { keepSessions?: boolean } = {}) => {
    const pid = listener();
    if (pid) signal(pid, 'SIGSTOP'); // frozen, it accepts no new connection while the sessions are gathered
    const sessions = new Set<number>();
    if (!o.keepSessions) {
      // every connection on the port (this listener's, or an earlier one's that kept its sessions) and the
      // processes of its session, frozen until no new one shows up, then all killed at once
      const gather = () => {
        const held = holdersOfPort(port).filter((p) => p !== pid && alive(p));
        return [...held, ...descendants(pid ? [pid, ...held] : held)];
      };
      for (let found = gather(); found.some((p) => !sessions.has(p)); found = gather()) {
        for (const p of found) {
          sessions.add(p);
          signal(p, 'SIGSTOP');
        }
      }
      for (const p of sessions) signal(p, 'SIGKILL');
    }
    if (pid) {
      // a TERM it acts on once continued: it closes the listening socket, unlinks the PidFile and exits
      signal(pid, 'SIGTERM');
      signal(pid, 'SIGCONT');
    }
    const end = Date.now() + 10_000;
    while ((pid && alive(pid)) || [...sessions].some(alive)) {
      if (Date.now() > end) {
        if (pid) signal(pid, 'SIGKILL');
        if (Date.now() > end + 2_000) throw new Error(`sshd ${pid} or its sessions outlive SIGKILL`);
      }
      pause(20);
    }
    rmSync(pidFile, { force: true });
  };

  await start();
  return { name, user, home, port, env, log, ssh, stop, start, cleanup: clear };
}
