// A host under `hosts:`: how treemux reaches it (ssh, one shared connection), where the clone is there,
// and the project's tmux server there. Nothing of treemux runs there: every command is a small `sh`
// script of ours with the values as its arguments (never spliced into it), run over ssh.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { HostConfig } from '../../layout/schema.js';
import type { ResolvedAgent } from '../../layout/resolve.js';
import type { Ctx } from '../../project/context.js';
import { controlDirFor, Ssh, SshError } from '../../ssh/index.js';
import { toArgv } from '../../tmux/argv.js';
import { Tmux } from '../../tmux/index.js';
import type { Transport } from '../../git/remote.js';

export { SshError };

/** Is this agent on another host? */
export const isRemote = (spec: Pick<ResolvedAgent, 'host'>): boolean => spec.host !== 'local';

/**
 * What every script starts with. $1 is the tmux socket name ('' for tmux's default), taken off
 * before the script's own arguments; `t` is tmux on the project's server, `x` expands a leading ~.
 */
const PRELUDE = [
  'sock=$1; shift',
  't() { if [ -n "$sock" ]; then tmux -L "$sock" "$@"; else tmux "$@"; fi; }',
  'x() { case $1 in "~") printf %s "$HOME";; "~/"*) printf %s/%s "$HOME" "${1#"~/"}";; *) printf %s "$1";; esac; }',
].join('\n');

export class RemoteHost {
  readonly ssh: Ssh;

  constructor(
    readonly name: string,
    readonly config: HostConfig,
    /** the project's tmux server name (-L), the same there as here */
    readonly socket: string | undefined,
    /** the project's tmux session name */
    readonly session: string,
  ) {
    const stateHome = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
    this.ssh = new Ssh({ dest: config.ssh, controlDir: controlDirFor(stateHome) });
  }

  /** Run one of our scripts there (PRELUDE first), ARGS as data. */
  script(body: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}) {
    return this.ssh.script(`${PRELUDE}\n${body}`, [this.socket ?? '', ...args], opts);
  }

  /** Like script; throws SshError naming WHAT and the host when it fails. */
  async scriptOk(body: string, args: readonly string[], what: string, opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.script(body, args, opts);
    if (r.code !== 0) {
      const why = lastLine(r.stderr) || lastLine(r.stdout) || (r.code === null ? 'no answer' : `exit ${r.code}`);
      throw new SshError(`${what} on host ${this.name}: ${why}`);
    }
    return r.stdout;
  }

  /** tmux there, on the project's server: ARGS escaped as tmux's own parser needs (tmux/argv.ts). */
  async tmux(args: readonly string[]): Promise<string> {
    return this.scriptOk('t "$@"', args.map(toArgv), `tmux ${args[0] ?? ''}`);
  }

  /** A Tmux whose every command runs there (send, kill, capture: the same code as here). */
  tmuxClient(): Tmux {
    this.client ??= new Tmux({
      socket: this.socket,
      // the socket arguments are the Tmux's own; `tmux "$@"` there
      runner: (argv, input) => this.ssh.run(['tmux', ...argv], { input, timeoutMs: 30_000 }),
    });
    return this.client;
  }
  private client?: Tmux;

  /** Its home and the clone's path there, ~ expanded (asked once a command). */
  private facts(): Promise<{ home: string; repo: string }> {
    this.known ??= this.scriptOk('printf "%s\\n%s\\n" "$HOME" "$(x "$1")"', [this.config.repo], 'finding the clone').then((out) => {
      const [home = '', repo = ''] = out.split('\n');
      return { home, repo };
    });
    return this.known;
  }
  private known?: Promise<{ home: string; repo: string }>;

  /** The clone's path there. */
  async repo(): Promise<string> {
    return (await this.facts()).repo;
  }

  /** A path of the layout's (an agent's worktree, `~` unexpanded) as it is there. */
  async abs(path: string): Promise<string> {
    if (path !== '~' && !path.startsWith('~/')) return path;
    const { home } = await this.facts();
    return `${home}${path.slice(1)}`;
  }

  /** How git here reaches the clone there. */
  async transport(): Promise<Transport> {
    await this.ssh.connect();
    return { url: this.ssh.gitUrl(await this.repo()), sshCommand: this.ssh.gitSshCommand() };
  }
}

function lastLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? '';
}

const cache = new WeakMap<Ctx, Map<string, RemoteHost>>();

/** The layout's hosts, one RemoteHost each per command (so each reuses what it learned). */
export function hostsOf(ctx: Ctx): Map<string, RemoteHost> {
  let hosts = cache.get(ctx);
  if (!hosts) {
    hosts = new Map(Object.entries(ctx.layout.layout.hosts).map(([name, config]) => [name, new RemoteHost(name, config, ctx.tmux.socket, ctx.layout.session)]));
    cache.set(ctx, hosts);
  }
  return hosts;
}

/** The host an agent runs on (throws for a host the layout no longer names). */
export function hostOf(ctx: Ctx, spec: Pick<ResolvedAgent, 'host' | 'name'>): RemoteHost {
  const host = hostsOf(ctx).get(spec.host);
  if (!host) throw new SshError(`${spec.name} runs on host ${spec.host}, which the layout's hosts: no longer names`);
  return host;
}

/** Close the project's session on every host that answers, then its shared ssh connection (down). */
export async function closeHosts(ctx: Ctx): Promise<void> {
  await Promise.all(
    [...hostsOf(ctx).values()].map(async (host) => {
      if (!(await host.ssh.connected())) return; // never connected by this command: nothing of ours is open there
      await host.script('t kill-session -t "=$1" 2>/dev/null; exit 0', [host.session], { timeoutMs: 15_000 }).catch(() => undefined);
      await host.ssh.disconnect().catch(() => undefined);
    }),
  );
}

const LOG = `
repo=$(x "$1"); name=$2; from=$3; max=$4
cd "$repo" 2>/dev/null && cd "$(git rev-parse --git-common-dir 2>/dev/null)" 2>/dev/null || { echo 0; exit 0; }
f=treemux/logs/$name.log
[ -f "$f" ] || { echo 0; exit 0; }
size=$(wc -c < "$f" | tr -d ' ')
echo "$size"
if [ "$from" -lt 0 ]; then tail -c "$max" "$f"; elif [ "$from" -lt "$size" ]; then tail -c +"$((from + 1))" "$f" | head -c "$max"; fi
`;

/**
 * Part of an agent's pane log there: FROM < 0, its last MAX bytes; else what follows byte FROM (MAX at
 * most). Returns the log's size there and the text.
 */
export async function remoteLog(ctx: Ctx, spec: Pick<ResolvedAgent, 'host' | 'name'>, from: number, max: number): Promise<{ size: number; text: string }> {
  const host = hostOf(ctx, spec);
  const out = await host.scriptOk(LOG, [host.config.repo, spec.name, String(Math.trunc(from)), String(Math.trunc(max))], `reading ${spec.name}'s log`);
  const nl = out.indexOf('\n');
  return { size: Number(out.slice(0, nl < 0 ? undefined : nl)) || 0, text: nl < 0 ? '' : out.slice(nl + 1) };
}
