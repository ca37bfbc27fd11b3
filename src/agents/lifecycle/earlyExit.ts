// Did the interactive agents `up` just started really start? One whose program ends at once (bash
// given the task as a script name, an unknown option, a missing key) is reported as failed, with its
// program's last words; its window stays, dead, so `ls` says exited.
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '../status/alive.js';
import { lastLogLine } from '../status/rules.js';
import { logPath, mark, tail } from '../../project/paths.js';
import { treemuxLine } from '../../util/invocation.js';
import type { Ctx } from '../../project/context.js';

/**
 * An interactive agent whose program ends within this long of its start did not start (bash given the
 * task as a script name, an unknown option, a missing key); one alive this long has started.
 */
export const EARLY_EXIT_MS = 3000;
/** An agent that has printed something and is still alive this long after has started. */
const SETTLE_MS = 250;

/** An agent's program that `up` started, to be watched. */
export interface Start {
  name: string;
  paneId: string;
  /** ms since the epoch */
  at: number;
  /** the size of its log when it started (what it prints comes after) */
  logSize: number;
}

interface Ended {
  start: Start;
  status: string;
}

/**
 * The agents whose program ended within EARLY_EXIT_MS of its own start, with the program's own last
 * words (from its log, attached as it started). Their windows stay, dead, so `ls` says exited.
 */
export async function earlyExits(ctx: Ctx, sessionId: string, starts: Start[]): Promise<{ name: string; reason: string }[]> {
  const out = [];
  for (const { start, status } of await watchStarts(ctx, sessionId, starts)) {
    const words = lastLogLine(await tail(logPath(ctx.repo.commonDir, start.name), 8192));
    out.push({
      name: start.name,
      reason: `its program ended at once${status === '' ? '' : ` (exit ${status})`}${words ? `: ${words}` : ', printing nothing'} (\`${treemuxLine(['logs', start.name])}\` has its output)`,
    });
  }
  return out;
}

/**
 * Watches (one list-panes and a stat per agent, every 50 ms) until each agent has ended, or printed
 * and stayed alive SETTLE_MS, or lived EARLY_EXIT_MS: a program that draws its screen at once costs
 * `up` a quarter of a second. Returns those that ended early.
 */
async function watchStarts(ctx: Ctx, sessionId: string, starts: Start[]): Promise<Ended[]> {
  const pending = new Map(starts.map((s) => [s.name, s]));
  const printedAt = new Map<string, number>();
  const ended: Ended[] = [];
  while (pending.size > 0) {
    const panes = await ctx.tmux.listPanes(sessionId);
    const now = Date.now();
    for (const start of [...pending.values()]) {
      const pane = panes.find((p) => p.pane_id === start.paneId);
      if (!isAlive(pane)) {
        pending.delete(start.name);
        // tmux says when it ended (in whole seconds); without that (tmux < 3.3) it ended during up
        const diedAt = Number(pane?.pane_dead_time) * 1000;
        if (pane && (!diedAt || diedAt - start.at <= EARLY_EXIT_MS + 1000)) ended.push({ start, status: pane.pane_dead_status });
        continue;
      }
      if (now - start.at >= EARLY_EXIT_MS) {
        pending.delete(start.name);
        continue;
      }
      if (await settled(ctx, start, printedAt, now)) pending.delete(start.name);
    }
    if (pending.size > 0) await sleep(50);
  }
  return ended;
}

/** It has printed something, and stayed alive SETTLE_MS since it first did. */
async function settled(ctx: Ctx, start: Start, printedAt: Map<string, number>, now: number): Promise<boolean> {
  const size = (await mark(logPath(ctx.repo.commonDir, start.name)))?.size ?? 0;
  if (size <= start.logSize) return false;
  const at = printedAt.get(start.name) ?? now;
  printedAt.set(start.name, at);
  return now - at >= SETTLE_MS;
}
