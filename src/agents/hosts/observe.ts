// What a host shows of the project, in one round trip over its shared ssh connection: the project's
// panes in its tmux server there, the clone's worktrees, the screens of agent panes that changed, and
// its clock (a window's activity time is the host's). A host that does not answer in time is
// `unreachable` with ssh's reason; the others are looked at all the same.
import { randomBytes } from 'node:crypto';
import { parseWorktreeList, type Worktree } from '../../git/parse.js';
import { formatOf, PANE_FIELDS, parseRows, SEP, type PaneRow } from '../../tmux/format.js';
import type { ControlClient } from '../../tmux/control.js';
import type { RemoteHost } from './host.js';

/** A look at a host may take this long before the host counts as unreachable. */
export const LOOK_TIMEOUT_MS = 12_000;

export interface HostLook {
  host: string;
  /** why it could not be looked at (ssh's own words); undefined when it answered */
  unreachable?: string;
  /** the project's panes there, window_activity moved onto this machine's clock */
  panes: PaneRow[];
  worktrees: Worktree[];
  /** screens of agent panes read in this look (those whose window was active since `known`) */
  screens: Map<string, string>;
  /** hook events read in this look, by agent: the events file's size there and its tail (lines of `{at, payload}`) */
  events: Map<string, { size: number; tail: string }>;
  /** the clone's path there, and the home `~` stands for */
  repo?: string;
  home?: string;
  /** seconds this machine's clock is ahead of the host's (panes' activity is moved by it) */
  skew?: number;
  at: number;
}

/**
 * The pane fields with a printable separator: tmux there writes to a pipe in whatever locale ssh gave
 * it, and turns the unit separator format.ts uses here into `_`.
 */
const REMOTE_SEP = '<~tmx~>';
const REMOTE_FORMAT = formatOf(PANE_FIELDS).split(SEP).join(REMOTE_SEP);

const SCRIPT = `
repo=$(x "$1"); session=$2; fmt=$3; nonce=$4; events=$5; shift 5
printf '%s\\n%s\\n' "$repo" "$HOME"; date +%s
echo "$nonce panes"
t list-panes -s -t "=$session" -F "$fmt" 2>/dev/null
echo "$nonce worktrees"
git -C "$repo" worktree list --porcelain 2>/dev/null
common=$(cd "$repo" 2>/dev/null && cd "$(git rev-parse --git-common-dir 2>/dev/null)" 2>/dev/null && pwd -P)
for e in $events; do
  n=\${e%%:*}; k=\${e#*:}; f="$common/treemux/events/$n.jsonl"
  [ -n "$common" ] && [ -f "$f" ] && [ ! -L "$f" ] || continue
  size=$(wc -c < "$f" | tr -d ' '); [ "$size" = "$k" ] && continue
  echo "$nonce events $n $size"; tail -n 3 "$f" | tail -c 200000; echo
done
t list-panes -s -t "=$session" -F '#{pane_id} #{window_activity} #{@treemux-role}' 2>/dev/null | while read -r id act role; do
  [ "$role" = agent ] || continue
  for k in "$@"; do [ "$k" = "$id:$act" ] && continue 2; done
  echo "$nonce screen $id"
  t capture-pane -p -J -t "$id" -S -60 2>/dev/null
done
exit 0
`;

/** What a look already knows: screens read (`paneId:activity`) and hook events read (`agent:size`). */
export interface Known {
  screens?: readonly string[];
  /** agents whose hook events to read there, with the size of their events file read before (0: none) */
  events?: readonly string[];
}

/**
 * Look at HOST. KNOWN: the screens and hook events already read (unchanged ones are not read again);
 * pass none to read every agent's screen.
 */
export async function lookAtHost(host: RemoteHost, known: Known = {}): Promise<HostLook> {
  const at = Date.now();
  const nonce = `::treemux-${randomBytes(6).toString('hex')}`;
  let r;
  try {
    await host.ssh.connect();
    const events = (known.events ?? []).filter((e) => /^[a-z0-9][a-z0-9-]*:\d+$/.test(e)).join(' ');
    r = await host.script(SCRIPT, [host.config.repo, host.session, REMOTE_FORMAT, nonce, events, ...(known.screens ?? [])], { timeoutMs: LOOK_TIMEOUT_MS });
  } catch (err) {
    return unreachable(host.name, (err as Error).message, at);
  }
  if (r.code !== 0) {
    const why = r.stderr.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? (r.code === null ? 'no answer' : `exit ${r.code}`);
    return unreachable(host.name, `ssh ${host.config.ssh}: ${why}`, at);
  }
  return parseLook(host.name, r.stdout, nonce, at);
}

/** The script's output, read. Pure. */
export function parseLook(name: string, out: string, nonce: string, at: number): HostLook {
  const parts = out.split(`${nonce} `);
  const [head = '', ...sections] = parts;
  const [repo = '', home = '', clock = ''] = head.split('\n');
  const remoteNow = Number(clock) * 1000;
  const skew = Number.isFinite(remoteNow) && remoteNow > 0 ? Math.round((at - remoteNow) / 1000) : 0;
  const look: HostLook = { host: name, panes: [], worktrees: [], screens: new Map(), events: new Map(), repo, home, skew, at };
  for (const section of sections) {
    const nl = section.indexOf('\n');
    const title = nl < 0 ? section : section.slice(0, nl);
    const body = nl < 0 ? '' : section.slice(nl + 1);
    if (title === 'panes') {
      look.panes = withSkew(parseRows(PANE_FIELDS, body.split(REMOTE_SEP).join(SEP)), skew);
    } else if (title === 'worktrees') look.worktrees = parseWorktreeList(body, '\n');
    else if (title.startsWith('events ')) {
      const [, agent = '', size = ''] = title.split(' ');
      look.events.set(agent, { size: Number(size) || 0, tail: body });
    }
    else if (title.startsWith('screen ')) look.screens.set(title.slice('screen '.length), body.replace(/\n$/, ''));
  }
  return look;
}

/** A look at a host that did not answer. */
export function unreachable(host: string, why: string, at = Date.now()): HostLook {
  return { host, unreachable: why, panes: [], worktrees: [], screens: new Map(), events: new Map(), at };
}

/** The panes of the project's session there, through a control client attached there (no process). */
export async function panesThrough(control: ControlClient, session: string, skew: number): Promise<PaneRow[]> {
  const out = (await control.command(['list-panes', '-s', '-t', `=${session}`, '-F', REMOTE_FORMAT])).join('\n');
  return withSkew(parseRows(PANE_FIELDS, out.split(REMOTE_SEP).join(SEP)), skew);
}

function withSkew(panes: PaneRow[], skew: number): PaneRow[] {
  return panes.map((p) => ({ ...p, window_activity: p.window_activity ? String(Number(p.window_activity) + skew) : p.window_activity }));
}
