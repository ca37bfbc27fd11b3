// `doctor` for each host: reachable over ssh, tmux and git there (and new enough), the clone, each
// agent's command on PATH there, free disk beside the clone. One round trip per host.
import type { ResolvedLayout } from '../../layout/resolve.js';
import { RemoteHost } from './host.js';

export interface HostFinding {
  kind: 'ok' | 'fail' | 'warn';
  msg: string;
  fix?: string;
}

const CHECK = `
repo=$(x "$1"); shift
if command -v tmux >/dev/null 2>&1; then echo "tmux $(tmux -V | sed 's/^tmux //')"; else echo "tmux -"; fi
if command -v git >/dev/null 2>&1; then echo "git $(git --version | sed 's/^git version //')"; else echo "git -"; fi
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then echo "clone yes"; else echo "clone no"; fi
d=$repo; while [ ! -d "$d" ] && [ "$d" != / ]; do d=$(dirname "$d"); done
echo "disk $(df -Pk "$d" 2>/dev/null | awk 'NR==2 {print $4}')"
for c in "$@"; do if command -v "$c" >/dev/null 2>&1; then echo "cmd ok $c"; else echo "cmd - $c"; fi; done
`;

const nums = (v: string) => (v.match(/\d+/g) ?? []).map(Number);
function atLeast(v: string, min: string): boolean {
  const [a, b] = [nums(v), nums(min)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** What each host of the layout says, as doctor's lines. */
export async function checkHosts(layout: ResolvedLayout, socket: string | undefined, min: { tmux: string; git: string }): Promise<HostFinding[]> {
  const out: HostFinding[] = [];
  for (const [name, config] of Object.entries(layout.layout.hosts)) {
    const agents = layout.agents.filter((a) => a.host === name);
    const host = new RemoteHost(name, config, socket, layout.session);
    const commands = [...new Set(agents.map((a) => a.command))].filter((c) => !c.includes('{'));
    let r;
    try {
      await host.ssh.connect();
      r = await host.script(CHECK, [config.repo, ...commands], { timeoutMs: 20_000 });
    } catch (err) {
      out.push({ kind: 'fail', msg: `host ${name} (${config.ssh}) cannot be reached: ${(err as Error).message}`, fix: `check \`ssh ${config.ssh} true\` works without a password (keys, ~/.ssh/config)` });
      continue;
    }
    if (r.code !== 0) {
      out.push({ kind: 'fail', msg: `host ${name}: the check failed there: ${r.stderr.trim().split('\n').pop() ?? r.code}`, fix: 'its login shell must run `sh -c` commands' });
      continue;
    }
    out.push({ kind: 'ok', msg: `host ${name} reachable (ssh ${config.ssh})` });
    const facts = new Map<string, string>();
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const sp = line.indexOf(' ');
      const key = line.slice(0, sp);
      if (key !== 'cmd') facts.set(key, line.slice(sp + 1));
      else {
        const [, state, ...cmd] = line.split(' ');
        const c = cmd.join(' ');
        out.push(state === 'ok' ? { kind: 'ok', msg: `host ${name}: agent command ${c}` } : { kind: 'fail', msg: `host ${name}: agent command ${c} not found on PATH there`, fix: `install it on ${name}, or give its absolute path there in the layout` });
      }
    }
    const tmux = facts.get('tmux') ?? '-';
    out.push(tmux === '-' ? { kind: 'fail', msg: `host ${name}: tmux not found`, fix: `install tmux >= ${min.tmux} there` } : atLeast(tmux, min.tmux) ? { kind: 'ok', msg: `host ${name}: tmux ${tmux}` } : { kind: 'fail', msg: `host ${name}: tmux ${tmux} is older than ${min.tmux}`, fix: `install tmux >= ${min.tmux} there` });
    const git = facts.get('git') ?? '-';
    out.push(git === '-' ? { kind: 'fail', msg: `host ${name}: git not found`, fix: 'install git there' } : { kind: 'ok', msg: `host ${name}: git ${git}` });
    out.push(facts.get('clone') === 'yes' ? { kind: 'ok', msg: `host ${name}: clone ${config.repo}` } : { kind: 'warn', msg: `host ${name}: no clone at ${config.repo} yet`, fix: '`treemux up` makes it (the base is pushed from here)' });
    const kb = Number(facts.get('disk'));
    if (Number.isFinite(kb) && kb > 0) out.push(kb < 1024 * 1024 ? { kind: 'warn', msg: `host ${name}: ${Math.round(kb / 1024)} MB free beside the clone`, fix: 'free some disk there: each agent is a worktree' } : { kind: 'ok', msg: `host ${name}: ${(kb / 1024 / 1024).toFixed(1)} GB free` });
  }
  return out;
}
