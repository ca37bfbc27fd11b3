// What the dashboard and the sidebar can do, carried out with the same code as the commands.
import { isAlive } from './status/alive.js';
import { stripVTControlCharacters } from 'node:util';
import { oneLine } from '../util/output.js';
import { addAgent } from './lifecycle/add.js';
import type { Ctx } from '../project/context.js';
import { logPath, tail } from '../project/paths.js';
import { pick, takeInventory, type AgentView, type Inventory } from './inventory.js';
import { describeBlocker, describeRemoval, findBlockers, removeAgents } from './lifecycle/remove.js';
import { upAgents } from './lifecycle/up.js';
import { sendTo } from './lifecycle/send.js';
import { treemuxLine } from '../util/invocation.js';
import { viewerPane } from '../tmux/viewer.js';

/** What the UI can ask for. Every promise resolves to a one-line message to show, or null. */
export interface Actions {
  jump(name: string): Promise<string | null>;
  send(name: string, text: string): Promise<string | null>;
  sendAll(text: string): Promise<string | null>;
  /** create an agent like `treemux add NAME --task TASK` */
  add(name: string, task: string): Promise<string | null>;
  /** what removing would lose (the same refusal rules as `rm`); null when nothing */
  removalBlocker(name: string): Promise<string | null>;
  /** remove like `rm` (force: like `rm --force`) */
  remove(name: string, force: boolean): Promise<string | null>;
  /** restart an exited agent */
  restart(name: string): Promise<string | null>;
  /** the last lines of the agent's log, ANSI-stripped */
  log(name: string, lines: number): Promise<string[]>;
  quit(): void;
}

export function agentActions(ctx: Ctx, quit: () => void): Actions {
  return {
    jump: (name) => safely(() => jump(ctx, name)),
    send: (name, text) => safely(() => send(ctx, name, text)),
    sendAll: (text) => safely(() => sendAll(ctx, text)),
    add: (name, task) => safely(() => add(ctx, name, task)),
    removalBlocker: (name) => safely(() => removalBlocker(ctx, name)),
    remove: (name, force) => safely(() => ctx.state.exclusive(() => remove(ctx, name, force))),
    restart: (name) => safely(() => ctx.state.exclusive(() => restart(ctx, name))),
    log: async (name, lines) => readLog(ctx, name, lines),
    quit,
  };
}

/** A failed action is a message in the UI, never a crash of it. */
async function safely(work: () => Promise<string | null>): Promise<string | null> {
  try {
    return await work();
  } catch (err) {
    return oneLine(err);
  }
}

/** The inventory as it is now, and the agent of that name in it (pick throws for an unknown name). */
async function agentOf(ctx: Ctx, name: string): Promise<{ inv: Inventory; agent: AgentView }> {
  const inv = await takeInventory(ctx);
  const [agent] = pick(inv, [name]);
  return { inv, agent: agent! };
}

/** Show the agent's window in the client the user looks from. */
async function jump(ctx: Ctx, name: string): Promise<string | null> {
  const { agent } = await agentOf(ctx, name);
  if (!agent.pane) return `${name} has no window (${agent.status}): press r or run ${treemuxLine(['up', name])}`;
  const moved = await ctx.tmux.moveClient(agent.pane.window_id, viewerPane());
  return moved ? null : `selected ${name}; attach with: ${ctx.tmux.attachHint(ctx.layout.session)}`;
}

/** Type TEXT into an interactive agent; continue a headless agent's conversation with it. */
async function send(ctx: Ctx, name: string, text: string): Promise<string | null> {
  const { agent } = await agentOf(ctx, name);
  if (agent.spec.mode === 'headless') {
    await ctx.state.exclusive(async () => {
      const { inv, agent: fresh } = await agentOf(ctx, name);
      await sendTo(ctx, inv, fresh, text);
    });
    return `${name}: continuing its conversation`;
  }
  if (!isAlive(agent.pane)) return `${name} is not running`;
  await ctx.tmux.sendText(agent.pane.pane_id, text);
  return `sent to ${name}`;
}

/** Type TEXT into every running interactive agent. */
async function sendAll(ctx: Ctx, text: string): Promise<string | null> {
  const inv = await takeInventory(ctx);
  const running = inv.agents.filter((a) => isAlive(a.pane) && a.spec.mode !== 'headless');
  for (const a of running) await ctx.tmux.sendText(a.pane!.pane_id, text);
  return `sent to ${running.length} agent${running.length === 1 ? '' : 's'}`;
}

async function add(ctx: Ctx, name: string, task: string): Promise<string | null> {
  const result = await addAgent(ctx, name, { task });
  return result.failed[0] ? `${name}: ${result.failed[0].reason}` : `${name} added`;
}

async function removalBlocker(ctx: Ctx, name: string): Promise<string | null> {
  const { agent } = await agentOf(ctx, name);
  const [blocker] = await findBlockers(ctx, [agent]);
  return blocker ? describeBlocker(blocker) : null;
}

/** Under the state lock (the caller holds it). */
async function remove(ctx: Ctx, name: string, force: boolean): Promise<string | null> {
  const { agent } = await agentOf(ctx, name);
  if (!force) {
    const [blocker] = await findBlockers(ctx, [agent]);
    if (blocker) return `refusing to remove: ${describeBlocker(blocker)}`;
  }
  const [result] = await removeAgents(ctx, [agent], { force });
  return describeRemoval(result!, (p) => p);
}

/** Under the state lock (the caller holds it). */
async function restart(ctx: Ctx, name: string): Promise<string | null> {
  const { inv, agent } = await agentOf(ctx, name);
  if (agent.spec.mode === 'headless' && agent.record?.run?.phase === 'done') {
    return `${name} finished its run: press s to continue its conversation`;
  }
  const result = await upAgents(ctx, inv, [agent]);
  return result.failed[0] ? `${name}: ${result.failed[0].reason}` : `${name} ${agent.worktree ? 'started again' : 'created'}`;
}

/** The last `lines` lines of an agent's log, as a person reads them (ANSI and overwrites removed). */
export async function readLog(ctx: Ctx, name: string, lines: number): Promise<string[]> {
  const text = await tail(logPath(ctx.repo.commonDir, name), Math.max(65_536, lines * 400));
  return cleanLog(text).slice(-lines);
}

export function cleanLog(text: string): string[] {
  return stripVTControlCharacters(text)
    .split('\n')
    .map((l) => {
      const parts = l.split('\r').filter((p) => p.length > 0);
      return (parts[parts.length - 1] ?? '').replace(/\s+$/, '');
    })
    .filter((l, i, all) => l.length > 0 || (i > 0 && all[i - 1]!.length > 0));
}
