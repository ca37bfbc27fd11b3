// The leading watcher's view of agents on other hosts. Each host has one control client there
// (link.ts) that tells when something changed; then its panes, and the screens of windows that were
// active, are read through it: no process. A look that needs files there (its hook events grew, the
// worktrees, every 2 minutes, or no control client yet) is one round trip over the host's shared ssh
// connection (observe.ts). A host that cannot be reached makes its agents `unreachable`, with ssh's
// reason, and is tried again every HOST_RETRY_MS; the others are watched all the same.
import type { Ctx } from '../../project/context.js';
import type { PaneRow } from '../../tmux/index.js';
import type { AgentView, Inventory } from '../inventory.js';
import { hostsOf } from './host.js';
import { attachRemote } from './inventory.js';
import { HostLink, SCREEN_MARK } from './link.js';
import { lookAtHost, panesThrough, unreachable, type HostLook } from './observe.js';

/** A host without a control client is looked at (and attached to) again this often. */
export const HOST_RETRY_MS = 2_000;
/** A screen that keeps changing is read again this often at most (bytes over ssh while agents work). */
export const BUSY_SCREEN_MS = 2_000;
/** Files there (worktrees) are read again this often at least. */
const FULL_LOOK_MS = 120_000;

interface HostState {
  link: HostLink;
  look: HostLook;
  /** when files there were last read (a full look) */
  fullAt: number;
  /** when a look without a control client was last made */
  triedAt: number;
  /** the control client said something changed since the last look */
  dirty: boolean;
  /** each agent pane's @treemux-events (its events file's size there) as last read */
  events: Map<string, string>;
  /** each pane's screen mark (link.ts SCREEN_MARK) when its screen was last read, and when that was */
  screens: Map<string, string>;
  capturedAt: Map<string, number>;
  /** panes whose screen changed and was not read yet (read once BUSY_SCREEN_MS passed) */
  pending: Set<string>;
}

export class HostWatch {
  private hosts = new Map<string, HostState>();

  constructor(
    private ctx: Ctx,
    /** told when a host's control client says something changed (the watcher looks soon) */
    private wake: () => void = () => undefined,
  ) {}

  /** Is a look due at NOW although nothing here changed (a host said so, or is being retried)? */
  due(now: number): boolean {
    for (const h of this.hosts.values()) {
      if (h.dirty || h.pending.size > 0) return true;
      if (!h.link.client && now - h.triedAt >= HOST_RETRY_MS) return true;
      if (now - h.fullAt >= FULL_LOOK_MS) return true;
    }
    return false;
  }

  /** Give INV's remote agents what their hosts show now. */
  async refresh(inv: Inventory, now: number): Promise<void> {
    const remote = inv.agents.filter((a) => a.spec.host !== 'local');
    const names = new Set(remote.map((a) => a.spec.host));
    for (const [name, h] of this.hosts) {
      if (!names.has(name)) {
        h.link.close();
        this.hosts.delete(name);
      }
    }
    const looks = new Map<string, HostLook>();
    await Promise.all([...names].map(async (name) => looks.set(name, await this.lookAt(inv, name, remote.filter((a) => a.spec.host === name), now))));
    attachRemote(inv.agents, looks);
  }

  close(): void {
    for (const h of this.hosts.values()) h.link.close();
    this.hosts.clear();
  }

  private async lookAt(inv: Inventory, name: string, agents: AgentView[], now: number): Promise<HostLook> {
    const host = hostsOf(this.ctx).get(name);
    if (!host) return unreachable(name, `host ${name} is not under hosts: in the layout`, now);
    let h = this.hosts.get(name);
    if (!h) {
      const link = new HostLink(host, () => {
        const state = this.hosts.get(name);
        if (state) state.dirty = true;
        this.wake();
      });
      h = { link, look: unreachable(name, 'not looked at yet', now), fullAt: 0, triedAt: 0, dirty: true, events: new Map(), screens: new Map(), capturedAt: new Map(), pending: new Set() };
      this.hosts.set(name, h);
    }
    const client = h.link.client;
    const taken = inv.hosts?.get(name);
    if (taken && taken.at > h.look.at) {
      // the inventory was just taken, with a look at the host: that is the newest (up just made agents there)
      h.look = taken;
      h.dirty = false;
      if (!taken.unreachable) {
        h.fullAt = taken.at;
        h.events = eventsOf(taken.panes, h.events);
        h.screens = new Map();
        h.link.connect(now);
      }
      return taken;
    }
    if (!client || h.look.unreachable || now - h.fullAt >= FULL_LOOK_MS) {
      if (!client && now - h.triedAt < HOST_RETRY_MS) return quiet(h.look);
      // files there, and whether it answers at all: one round trip over ssh
      h.triedAt = now;
      h.dirty = false;
      const known = { screens: screensOf(h.look), events: agents.map((a) => `${a.name}:${h!.look.unreachable ? 0 : (h!.look.events.get(a.name)?.size ?? 0)}`) };
      const look = await lookAtHost(host, h.look.unreachable ? { events: known.events } : known);
      if (!look.unreachable) {
        h.fullAt = now;
        h.link.connect(now);
        look.events = mergeEvents(h.look.events, look.events);
        h.events = eventsOf(look.panes, h.events);
        h.screens = new Map(); // read by marks from the next look through the control client
      } else h.link.close();
      h.look = look;
      return look;
    }
    if (!h.dirty && h.pending.size === 0) return quiet(h.look);
    h.dirty = false;
    try {
      const skew = h.look.skew ?? 0;
      // each pane's marks (a few bytes a pane); its whole row only when the panes themselves changed
      const rows = (await client.command(['list-panes', '-s', '-t', `=${host.session}`, '-F', `#{pane_id} ${SCREEN_MARK} #{@treemux-events}`])).map((l) => l.split(' '));
      const screenMarks = new Map(rows.map(([id = '', mark = '']) => [id, mark]));
      const known = new Map(h.look.panes.map((p) => [p.pane_id, p]));
      const same = rows.length === known.size && rows.every(([id = '', mark = '']) => known.has(id) && mark.split('.').pop() === known.get(id)!.pane_dead);
      const panes = same
        ? h.look.panes.map((p) => ({ ...p, window_activity: String(Number(screenMarks.get(p.pane_id)!.split('.')[0]) + skew) }))
        : await panesThrough(client, host.session, skew);
      const screens = new Map<string, string>();
      for (const p of panes) {
        const mark = screenMarks.get(p.pane_id) ?? '';
        if (p['@treemux-role'] !== 'agent' || p.pane_dead === '1' || h.screens.get(p.pane_id) === mark) {
          h.pending.delete(p.pane_id);
          continue;
        }
        // a screen that keeps changing is read again every BUSY_SCREEN_MS at most (its status comes
        // from its activity meanwhile); the look after it goes quiet reads its last state
        if (now - (h.capturedAt.get(p.pane_id) ?? 0) < BUSY_SCREEN_MS) {
          h.pending.add(p.pane_id);
          continue;
        }
        // the visible rows only (the status rules read its bottom, the last line its last words): bytes over ssh
        screens.set(p.pane_id, await client.captureScreen(p.pane_id));
        h.screens.set(p.pane_id, mark);
        h.capturedAt.set(p.pane_id, now);
        h.pending.delete(p.pane_id);
      }
      // an agent's hook wrote an event there: its events file is read (the one thing that needs a process)
      const marks = new Map(rows.map(([id = '', , events = '']) => [id, events]));
      const moved = panes.filter((p) => p['@treemux-role'] === 'agent' && (marks.get(p.pane_id) ?? '') !== (h!.events.get(p.pane_id) ?? ''));
      let events = new Map<string, { size: number; tail: string }>();
      if (moved.length > 0) {
        const who = agents.filter((a) => moved.some((p) => p['@treemux-agent'] === a.name));
        const read = await lookAtHost(host, { screens: panes.map((p) => `${p.pane_id}:${Number(p.window_activity) - skew}`), events: who.map((a) => `${a.name}:${h!.look.events.get(a.name)?.size ?? 0}`) });
        if (!read.unreachable) events = read.events;
      }
      h.events = new Map([...h.events, ...marks]);
      h.look = { ...h.look, panes, screens, events: mergeEvents(h.look.events, events), at: now };
      return { ...h.look, events };
    } catch {
      h.link.close(); // it ended meanwhile: the next look goes over ssh (and says whether the host answers)
      return quiet(h.look);
    }
  }
}

/** The last look again, with nothing new in it (the observer keeps what it read). */
function quiet(look: HostLook): HostLook {
  return { ...look, screens: new Map(), events: new Map() };
}

/** `paneId:activity` of the screens a look read (or had), on the host's clock. */
function screensOf(look: HostLook): string[] {
  if (look.unreachable) return [];
  return look.panes.filter((p) => p['@treemux-role'] === 'agent').map((p) => `${p.pane_id}:${Number(p.window_activity) - (look.skew ?? 0)}`);
}

function mergeEvents(before: HostLook['events'], now: HostLook['events']): HostLook['events'] {
  return new Map([...before, ...now]);
}

/** Without a control client the events marks are not known: an empty mark each (read on the next change). */
function eventsOf(panes: readonly PaneRow[], before: Map<string, string>): Map<string, string> {
  return new Map(panes.map((p) => [p.pane_id, before.get(p.pane_id) ?? '']));
}
