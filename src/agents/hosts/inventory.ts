// Agents on other hosts in the inventory: each host looked at once (observe.ts), and each remote
// agent's view given what its host shows: its worktree there, its pane in the tmux server there, its
// screen when it was read, or why its host cannot be reached.
import type { Ctx } from '../../project/context.js';
import type { AgentView } from '../inventory.js';
import { hostsOf, isRemote } from './host.js';
import { lookAtHost, unreachable, type HostLook, type Known } from './observe.js';
import type { HookEvent } from '../status/rules.js';
import { kindOf, type KindName } from '../kinds/index.js';

/** Look at every host that has one of AGENTS, side by side. KNOWN: per host, what was read before (default: nothing). */
export async function lookAtHosts(ctx: Ctx, agents: readonly AgentView[], known: ReadonlyMap<string, Known> = new Map()): Promise<Map<string, HostLook>> {
  const names = [...new Set(agents.filter((a) => isRemote(a.spec)).map((a) => a.spec.host))];
  const hosts = hostsOf(ctx);
  const looks = await Promise.all(
    names.map((name) => {
      const host = hosts.get(name);
      if (!host) return unreachable(name, `host ${name} is not under hosts: in the layout`);
      return lookAtHost(host, known.get(name) ?? { events: agents.filter((a) => a.spec.host === name).map((a) => `${a.name}:0`) });
    }),
  );
  return new Map(looks.map((l) => [l.host, l]));
}

/** `~/x` as it is on the host (its home from the look); other paths as they are. */
export function onHost(path: string, look: HostLook | undefined): string {
  if (!look?.home || (path !== '~' && !path.startsWith('~/'))) return path;
  return `${look.home}${path.slice(1)}`;
}

/** Give each remote agent of AGENTS what its host's look shows (in place). */
export function attachRemote(agents: AgentView[], looks: ReadonlyMap<string, HostLook>): void {
  for (const a of agents) {
    if (!isRemote(a.spec)) continue;
    const look = looks.get(a.spec.host);
    const path = onHost(a.record?.worktree ?? a.spec.worktree, look);
    a.spec = { ...a.spec, worktree: path };
    if (!look || look.unreachable) {
      a.remote = { host: a.spec.host, unreachable: look?.unreachable ?? 'not looked at' };
      // what was made there is still there as far as anyone knows: not "not created"
      a.worktree = a.record ? { path, head: null, branch: a.record.branch, detached: false, bare: false, locked: false, prunable: false, main: false } : undefined;
      a.pane = undefined;
      a.status = 'unreachable';
      continue;
    }
    const wt = look.worktrees.find((w) => w.path === path && !w.main);
    const pane = look.panes.find((p) => p['@treemux-agent'] === a.name && p['@treemux-role'] === 'agent');
    a.worktree = wt;
    a.pane = pane;
    a.spec = wt?.branch ? { ...a.spec, branch: wt.branch } : a.spec;
    const events = look.events.get(a.name);
    a.remote = {
      host: a.spec.host,
      screen: pane ? look.screens.get(pane.pane_id) : undefined,
      repo: look.repo,
      ...(events ? { eventsSize: events.size, hook: lastRemoteEvent(a.spec.kind, events.tail, (look.skew ?? 0) * 1000) } : {}),
    };
    a.status = !pane ? (wt ? 'stopped' : a.status) : pane.pane_dead === '1' ? 'exited' : a.status === 'queued' ? 'queued' : 'idle';
  }
}

/**
 * The last event treemux keeps of a tail of an agent's events file there: lines `{"at": ms, "payload":
 * {...}}` written by the hook command up.ts installs there, each payload read by the kind as
 * `treemux hook` reads it here (every value checked: the client wrote it). SKEW: ms to add to `at`.
 */
export function lastRemoteEvent(kind: KindName, tail: string, skew = 0): HookEvent | undefined {
  const reader = kindOf(kind).hook;
  if (!reader) return undefined;
  const lines = tail.split('\n').filter((l) => l.startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    let line: unknown;
    try {
      line = JSON.parse(lines[i]!);
    } catch {
      continue; // cut by the tail, or not what our hook wrote
    }
    if (!line || typeof line !== 'object') continue;
    const { at, payload } = line as { at?: unknown; payload?: unknown };
    if (typeof at !== 'number' || !Number.isFinite(at) || !payload || typeof payload !== 'object' || Array.isArray(payload)) continue;
    const event = reader.eventOf(payload as Record<string, unknown>, at + skew);
    if (event) return event;
  }
  return undefined;
}
