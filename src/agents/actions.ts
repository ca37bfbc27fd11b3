// What the dashboard and the sidebar can do, carried out with the same code as the commands.
import { submitDelayMs } from './kinds/names.js';
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
import type { ControlClient } from '../tmux/control.js';

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
  /**
   * The bottom `lines` rows of a pane's screen as it shows now (PANE: the `%id` a snapshot row names,
   * so no inventory is taken), plain text, blank rows at its end left out. Rejects when it cannot.
   */
  screen(pane: string, lines: number): Promise<string[]>;
  quit(): void;
}

/** CONTROL: the leading watcher's control client when there is one (a screen is read through it, no process). */
export function agentActions(ctx: Ctx, quit: () => void, control: () => ControlClient | null = () => null): Actions {
  return {
    jump: (name) => safely(() => jump(ctx, name)),
    send: (name, text) => safely(() => send(ctx, name, text)),
    sendAll: (text) => safely(() => sendAll(ctx, text)),
    add: (name, task) => safely(() => add(ctx, name, task)),
    removalBlocker: (name) => safely(() => removalBlocker(ctx, name)),
    remove: (name, force) => safely(() => ctx.state.exclusive(() => remove(ctx, name, force))),
    restart: (name) => safely(() => ctx.state.exclusive(() => restart(ctx, name))),
    log: async (name, lines) => readLog(ctx, name, lines),
    screen: (pane, lines) => readScreen(ctx, control(), pane, lines),
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
  const { inv, agent } = await agentOf(ctx, name);
  if (agent.remote?.unreachable) return `${name}: host ${agent.spec.host} cannot be reached: ${agent.remote.unreachable}`;
  if (!agent.pane) return `${name} has no window (${agent.status}): press r or run ${treemuxLine(['up', name])}`;
  // an agent on another host: a window here attached to its window there over ssh
  const window = agent.remote && inv.session ? await (await import('./hosts/jump.js')).viewWindow(ctx, ctx.tmux, inv.session.id, agent) : agent.pane.window_id;
  const moved = await ctx.tmux.moveClient(window, viewerPane());
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
  await (await tmuxOf(ctx, agent)).sendText(agent.pane.pane_id, text, { delayMs: submitDelayMs(agent.spec.kind) });
  return `sent to ${name}`;
}

/** Type TEXT into every running interactive agent. */
async function sendAll(ctx: Ctx, text: string): Promise<string | null> {
  const inv = await takeInventory(ctx);
  const running = inv.agents.filter((a) => isAlive(a.pane) && a.spec.mode !== 'headless');
  for (const a of running) await (await tmuxOf(ctx, a)).sendText(a.pane!.pane_id, text, { delayMs: submitDelayMs(a.spec.kind) });
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
  const spec = ctx.layout.agents.find((a) => a.name === name);
  if (spec && spec.host !== 'local') {
    // its log is on its host
    const { remoteLog } = await import('./hosts/host.js');
    return cleanLog((await remoteLog(ctx, spec, -1, Math.max(65_536, lines * 400))).text).slice(-lines);
  }
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

/** tmux's pane ids: the only targets a screen is read from (HOST:%id for a pane on another host). */
const PANE_ID = /^%\d+$/;
const HOST_PANE = /^([a-z0-9][a-z0-9-]*):(%\d+)$/;

/** tmux where the agent runs: here, or its host's over ssh. */
async function tmuxOf(ctx: Ctx, agent: AgentView) {
  return agent.remote ? (await import('./hosts/host.js')).hostOf(ctx, agent.spec).tmuxClient() : ctx.tmux;
}

/** A pane's screen through the control client (no process), else one capture-pane. */
async function readScreen(ctx: Ctx, control: ControlClient | null, pane: string, lines: number): Promise<string[]> {
  const there = HOST_PANE.exec(pane);
  if (there) {
    const host = (await import('./hosts/host.js')).hostsOf(ctx).get(there[1]!);
    if (!host) throw new Error(`no host ${there[1]} in the layout`);
    return screenBottom(await host.tmuxClient().captureScreen(there[2]!), lines);
  }
  if (!PANE_ID.test(pane)) throw new Error(`not a tmux pane: ${pane}`);
  // a client that ends meanwhile: the same question once as a process
  const text = control ? await control.captureScreen(pane).catch(() => ctx.tmux.captureScreen(pane)) : await ctx.tmux.captureScreen(pane);
  return screenBottom(text, lines);
}

/** The bottom `lines` rows of a captured screen: escapes removed, trailing blanks and blank rows at its end left out. */
export function screenBottom(text: string, lines: number): string[] {
  const rows = stripVTControlCharacters(text)
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  return lines > 0 ? rows.slice(-lines) : [];
}
