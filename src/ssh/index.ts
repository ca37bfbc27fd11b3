// The only place that runs ssh. One connection per host is kept (an OpenSSH ControlMaster started
// once, in the background, persisting a few minutes) and every command to that host is a session on
// it: a round trip, not a new connection. What the user's ~/.ssh/config says of the host (keys, jump
// hosts, ports) applies: the destination is handed to ssh as the user wrote it, after `--`.
//
// A command reaches the remote machine as one line its login shell reads, so every word is
// single-quoted here (util/shell.ts): a path, a branch or a task is never code there either.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { collect, startDetached, type Collected } from '../host/exec.js';
import { shellQuote } from '../util/shell.js';

/** How long one command may take before the host counts as unreachable (a connection, a script). */
export const CONNECT_TIMEOUT_S = 8;

export class SshError extends Error {}

export interface SshOptions {
  /** ssh's destination: user@host, a Host of ~/.ssh/config, or ssh://user@host:port */
  dest: string;
  /** a folder for the control socket (short: a Unix socket path has ~100 bytes at most) */
  controlDir: string;
}

/** A folder for control sockets: under the state folder when its path is short enough, else in /tmp. */
export function controlDirFor(stateHome: string): string {
  const dir = join(stateHome, 'treemux', 'ssh');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  // ssh makes the socket as <path>.<16 random characters> first, then renames it: that must fit too
  // (/tmp, not the OS temp dir: macOS's is long enough to break the limit itself)
  return dir.length + 1 + 40 + 17 <= 100 ? dir : `/tmp/treemux-ssh-${uid}`;
}

export class Ssh {
  readonly dest: string;
  readonly controlDir: string;

  constructor(opts: SshOptions) {
    if (opts.dest.startsWith('-') || /[\s\x00-\x1f\x7f]/.test(opts.dest)) throw new SshError(`not an ssh destination: ${JSON.stringify(opts.dest)}`);
    this.dest = opts.dest;
    this.controlDir = opts.controlDir;
  }

  /** Options that make every call share the one connection, never ask anything, and give up in time. */
  options(): string[] {
    return [
      '-o', `ControlPath=${join(this.controlDir, '%C')}`,
      '-o', 'BatchMode=yes',
      '-o', `ConnectTimeout=${CONNECT_TIMEOUT_S}`,
      '-o', 'ServerAliveInterval=5',
      '-o', 'ServerAliveCountMax=2',
    ];
  }

  /** Is the shared connection up? (`ssh -O check`: no network round trip) */
  async connected(): Promise<boolean> {
    const r = await collect('ssh', [...this.options(), '-O', 'check', '--', this.dest], { timeoutMs: 5000 });
    return r.code === 0;
  }

  /**
   * The shared connection, made when missing: `ssh -f -N` with ControlMaster, its messages in a log
   * (a master keeps whatever stdio it is given open for as long as it lives). Throws SshError with
   * ssh's own reason when the host cannot be reached.
   */
  async connect(): Promise<void> {
    if (await this.connected()) return;
    mkdirSync(this.controlDir, { recursive: true, mode: 0o700 });
    const log = join(this.controlDir, `connect-${process.pid}-${Date.now()}.log`);
    const code = await startDetached(
      'ssh',
      [...this.options(), '-o', 'ControlMaster=yes', '-o', 'ControlPersist=300', '-E', log, '-f', '-N', '--', this.dest],
      (CONNECT_TIMEOUT_S + 4) * 1000,
    );
    let why = '';
    try {
      why = readFileSync(log, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? '';
    } catch {
      // no log: ssh said nothing
    }
    rmSync(log, { force: true });
    if (code !== 0) throw new SshError(`ssh ${this.dest}: ${why || (code === null ? 'could not run ssh' : `ssh exited with ${code}`)}`);
  }

  /** Close the shared connection (down, when nothing is left there). */
  async disconnect(): Promise<void> {
    await collect('ssh', [...this.options(), '-O', 'exit', '--', this.dest], { timeoutMs: 5000 });
  }

  /** The line the remote login shell reads for ARGV: every word single-quoted. */
  static line(argv: readonly string[]): string {
    return argv.map(shellQuote).join(' ');
  }

  /** Run ARGV there (over the shared connection, made when missing); its output and exit code. */
  async run(argv: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<Collected> {
    await this.connect();
    return collect('ssh', [...this.options(), '-o', 'ControlMaster=no', '--', this.dest, Ssh.line(argv)], {
      input: opts.input,
      timeoutMs: opts.timeoutMs ?? 60_000,
    });
  }

  /** Run SCRIPT with `sh -c` there, ARGS as its $1…: the script is ours, the arguments are data. */
  script(script: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<Collected> {
    return this.run(['sh', '-c', script, 'sh', ...args], opts);
  }

  /** Like script, but throws SshError with the last line of stderr when it fails. */
  async scriptOk(script: string, args: readonly string[], what: string, opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.script(script, args, opts);
    if (r.code !== 0) throw new SshError(`${what} on ${this.dest}: ${lastLine(r.stderr) || lastLine(r.stdout) || `exit ${r.code ?? 'timeout'}`}`);
    return r.stdout;
  }

  /** The command git runs to reach the host (GIT_SSH_COMMAND), over the shared connection. */
  gitSshCommand(): string {
    return ['ssh', ...this.options(), '-o', 'ControlMaster=no'].map(shellQuote).join(' ');
  }

  /** A git URL for PATH (absolute) on the host. */
  gitUrl(path: string): string {
    if (this.dest.startsWith('ssh://')) return `${this.dest.replace(/\/+$/, '')}${path}`;
    return `${this.dest}:${path}`;
  }

  /** ssh's arguments for a long-lived command there over the shared connection, no terminal (a control client). */
  streamArgs(argv: readonly string[]): string[] {
    return [...this.options(), '-o', 'ControlMaster=no', '-T', '--', this.dest, Ssh.line(argv)];
  }

  /** ssh's argument array for an interactive command there (jump: a terminal, -t). */
  interactiveArgv(argv: readonly string[]): string[] {
    return ['ssh', ...this.options(), '-t', '--', this.dest, Ssh.line(argv)];
  }
}

function lastLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? '';
}
