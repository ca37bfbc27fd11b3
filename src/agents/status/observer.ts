// The Observer: every agent's exact status, last line and facts, from what each look brings (the
// panes, a way to read a screen) and what it remembers of the looks before (memory.ts). Cheap by
// construction: activity is the size of each pane's log file (a stat), hook events come from
// files, a pane's screen is read only when its log or its hook events changed, and git is asked
// for an agent's changed files only after it was active (at most every 30 s) or git moved.
import { isAlive } from './alive.js';
import { kindOf } from '../kinds/index.js';
import type { RunRecord } from '../../state/index.js';
import type { PaneRow } from '../../tmux/index.js';
import type { AgentRow } from './snapshot.js';
import type { Ctx } from '../../project/context.js';
import { eventsPath, logPath, markNow, tail } from '../../project/paths.js';
import { paneOf, type AgentView, type Inventory } from '../inventory.js';
import { exactStatus, lastHookEvent, lastLineOfText, lastLogLine, lastTranscriptLine } from './rules.js';
import { lastMeaningfulLine, type Status } from './status.js';
import { changedFilesList } from '../../git/index.js';
import { violations } from '../review/scope.js';
import { changedFilesDue, freshMemory, noteLog, noteSize, noteStatus, screenDue, type Memory } from './memory.js';
import { dashIndexOf, notCreatedRow, toRow } from './rows.js';

/** What one look brings, the same for every agent in it. */
interface Look {
  now: number;
  /** agents merged into their base (a queued agent's start_after) */
  merged: ReadonlySet<string>;
  dashIndex: number;
  capture: (paneId: string) => Promise<string>;
  changedFiles: boolean;
}

/** The change times of the files git touches when the worktree's index, branch or base move. */
function gitStamp(files: readonly string[]): string {
  return files.map((f) => markNow(f)).map((m) => (m ? `${m.mtimeMs}:${m.size}` : '-')).join(',');
}

/** Turns observations into rows, remembering what it saw before (growth, status changes). */
export class Observer {
  private memory = new Map<string, Memory>();
  /** a branch, base or index moved since the caller last asked (see takeGitMoved) */
  private gitMoved = false;

  constructor(private ctx: Ctx) {}

  /** Whether git state moved since the last call (the conflict radar is then worth computing again). */
  takeGitMoved(): boolean {
    const moved = this.gitMoved;
    this.gitMoved = false;
    return moved;
  }

  async rows(inv: Inventory, panes: PaneRow[], capture: (paneId: string) => Promise<string>, opts: { changedFiles?: boolean } = {}): Promise<AgentRow[]> {
    const look: Look = {
      now: Date.now(),
      merged: new Set(Object.keys(inv.state.merged ?? {})),
      dashIndex: dashIndexOf(panes),
      capture,
      changedFiles: opts.changedFiles === true,
    };
    const rows: AgentRow[] = [];
    for (const agent of inv.agents) rows.push(await this.rowOf(agent, agent.remote ? agent.pane : paneOf(panes, agent.name), look));
    return rows;
  }

  /** Did the last look take back a redraw for this agent (so that its change of status is no news)? */
  redrawn(name: string): boolean {
    return this.memory.get(name)?.redrawn === true;
  }

  statusOf(name: string): Status | undefined {
    return this.memory.get(name)?.status;
  }

  /** One agent: what changed since the last look, then its status, last line and changed files. */
  private async rowOf(agent: AgentView, pane: PaneRow | undefined, look: Look): Promise<AgentRow> {
    if (!agent.worktree && !pane && !agent.queued && !agent.comingUp) {
      // declared in the layout but not made (or removed): nothing of an earlier one is shown
      this.memory.delete(agent.name);
      return notCreatedRow(agent, look.now, look.dashIndex);
    }
    const mem = this.memory.get(agent.name) ?? freshMemory(look.now);
    this.memory.set(agent.name, mem);
    mem.redrawn = false;
    if (agent.remote) return this.remoteRow(agent, mem, look);
    const changed = await this.readActivity(agent, pane, mem, look);
    const run = agent.spec.mode === 'headless' ? agent.record?.run : undefined;
    const status = agent.queued
      ? 'queued'
      : agent.comingUp
        ? 'starting'
        : exactStatus({ pane, kind: agent.spec.kind, run, logGrewAt: mem.logGrewAt, hook: mem.hook, screen: mem.screen, now: look.now });
    noteStatus(mem, status, look.now);
    await this.readLastLine(agent, pane, run, mem, changed);
    if (look.changedFiles && agent.worktree) await this.readChangedFiles(agent, agent.worktree.path, mem, look.now);
    return toRow(agent, status, mem, pane, look.merged, look.dashIndex);
  }

  /**
   * An agent on another host, from what its host's look showed (hosts/inventory.ts): its window's
   * activity stands for its log's growth, its screen (read there when its window was active) for the
   * rest; a host that could not be reached makes it `unreachable`, with the reason as its last line.
   */
  private remoteRow(agent: AgentView, mem: Memory, look: Look): AgentRow {
    const remote = agent.remote!;
    const pane = agent.pane;
    let status: Status;
    if (remote.unreachable) {
      status = 'unreachable';
      mem.lastLine = `unreachable: ${remote.unreachable}`;
      mem.screen = undefined;
    } else {
      const kind = kindOf(agent.spec.kind);
      const activity = pane?.window_activity ? Number(pane.window_activity) * 1000 : undefined;
      if (activity !== undefined && activity !== mem.logGrewAt) {
        mem.grewBefore = mem.logGrewAt;
        mem.logGrewAt = activity;
      }
      if (remote.screen !== undefined) {
        mem.screen = remote.screen;
        mem.screenAt = look.now;
      }
      if (!pane) mem.screen = undefined;
      // its client's hook events, written there and read when they grew
      if (remote.hook) mem.hook = remote.hook;
      if (remote.eventsSize !== undefined) mem.eventsSize = remote.eventsSize;
      if (mem.lastLine.startsWith('unreachable: ')) mem.lastLine = '';
      if (mem.hook?.text) mem.lastLine = lastLineOfText(mem.hook.text) || mem.lastLine;
      else if (mem.screen) mem.lastLine = lastMeaningfulLine(mem.screen, kind.screenChrome) || mem.lastLine;
      status = agent.queued ? 'queued' : agent.comingUp ? 'starting' : exactStatus({ pane, kind: agent.spec.kind, logGrewAt: mem.logGrewAt, hook: mem.hook, screen: mem.screen, now: look.now });
    }
    noteStatus(mem, status, look.now);
    return toRow(agent, status, mem, pane, look.merged, look.dashIndex);
  }

  /**
   * The pane's size, the growth of its log and of its hook events, and its screen when any of them
   * changed (or was never read). Returns whether the log or the hook events changed.
   */
  private async readActivity(agent: AgentView, pane: PaneRow | undefined, mem: Memory, look: Look): Promise<boolean> {
    const logFile = logPath(this.ctx.repo.commonDir, agent.name);
    const log = markNow(logFile);
    const redrawing = noteSize(mem, pane ? `${pane.pane_width}x${pane.pane_height}` : undefined, look.now);
    if (!log && pane && mem.logGrewAt === undefined && pane.window_activity) {
      mem.logGrewAt = Number(pane.window_activity) * 1000; // a window made before logs were kept
    }
    let changed = false;
    let logGrew = false;
    let eventsGrew = false;
    const kind = kindOf(agent.spec.kind);
    if (log && noteLog(mem, log, redrawing, look.now)) {
      changed = true;
      logGrew = true;
      // a client whose transcript is known, or whose events carry its answers, says its last words there, not on screen
      const fromRecord = (kind.lastLineFromTranscript && mem.hook?.transcriptPath) || mem.hook?.text || !kind.lastLineFromLog;
      if (!fromRecord) mem.lastLine = lastLogLine(await tail(logFile, 8192), kind.screenChrome) || mem.lastLine;
    }
    const eventsFile = eventsPath(this.ctx.repo.commonDir, agent.name);
    const events = markNow(eventsFile);
    if (events && events.size !== mem.eventsSize) {
      eventsGrew = true;
      mem.eventsSize = events.size;
      mem.hook = lastHookEvent(await tail(eventsFile, 4096)) ?? mem.hook;
      // the client's own record of what the agent said (a turn's answer), not its screen
      if (mem.hook?.text) mem.lastLine = lastLineOfText(mem.hook.text) || mem.lastLine;
      changed = true;
    }
    if (isAlive(pane) && screenDue(mem, changed, look.now)) {
      const before = mem.screen;
      // a capture that fails (the pane closed since it was listed) keeps the screen read before
      mem.screen = await look.capture(pane.pane_id).catch(() => mem.screen ?? '');
      mem.screenAt = look.now;
      // output that left the screen as it was (a cursor blink, a title, a redraw of the same frame) is no work
      if (logGrew && !redrawing && !eventsGrew && before !== undefined && mem.screen === before && mem.grewBefore !== undefined && mem.logGrewAt !== mem.grewBefore) {
        mem.logGrewAt = mem.grewBefore;
      }
      if (!log) mem.lastLine = lastMeaningfulLine(mem.screen, kind.screenChrome) || mem.lastLine; // no log kept: the screen says
    }
    if (!pane) mem.screen = undefined;
    return changed;
  }

  /** The last line: why its setup failed, a finished run's result, the transcript's last words, else the screen's. */
  private async readLastLine(agent: AgentView, pane: PaneRow | undefined, run: RunRecord | undefined, mem: Memory, changed: boolean): Promise<void> {
    // an agent whose setup failed: its window only showed why (the log may have missed it)
    if (agent.record?.failure && !isAlive(pane)) mem.lastLine = `treemux: ${agent.record.failure}`;
    else if (run?.phase === 'done') mem.lastLine = run.result?.trim() ? lastLineOfText(run.result) : run.lastText || mem.lastLine;
    else if (kindOf(agent.spec.kind).lastLineFromTranscript && !run && mem.hook?.transcriptPath && changed) {
      mem.lastLine = (kindOf(agent.spec.kind).transcriptLastLine ?? lastTranscriptLine)(await tail(mem.hook.transcriptPath, 65_536)) || mem.lastLine;
    }
    if (!mem.lastLine && mem.screen) mem.lastLine = lastMeaningfulLine(mem.screen, kindOf(agent.spec.kind).screenChrome);
  }

  /** Its changed files and scope violations, read again when due (memory.ts: changedFilesDue). */
  private async readChangedFiles(agent: AgentView, worktree: string, mem: Memory, now: number): Promise<void> {
    const stamp = gitStamp(this.ctx.repo.watchFiles(agent.adminDir, agent.spec.branch, agent.spec.base));
    const { due, gitMoved } = changedFilesDue(mem, stamp, now);
    if (gitMoved) this.gitMoved = true;
    if (!due) return;
    // git failing here (a worktree being removed under it): the count is unknown until the next read
    const lists = await changedFilesList(worktree, agent.spec.base).catch(() => null);
    const files = lists ? [...new Set([...lists.committed, ...lists.uncommitted])] : null;
    mem.changed = {
      count: files ? files.length : null,
      at: now,
      logSize: mem.logSize,
      violations: files ? violations(files, agent.spec).map((v) => v.file) : undefined,
      stamp,
    };
  }
}
