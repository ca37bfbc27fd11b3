// What the dashboard and the sidebar can do, carried out with the same code as the commands.
import { isAlive } from './status/alive.js';
import { stripVTControlCharacters } from 'node:util';
import { oneLine } from '../util/output.js';
import { addAgent } from './lifecycle/add.js';
import type { Ctx } from '../project/context.js';
import { logPath, tail } from '../project/paths.js';
import { pick, takeInventory } from './inventory.js';
import { describeBlocker, describeRemoval, findBlockers, removeAgents } from './lifecycle/remove.js';
import { upAgents } from './lifecycle/up.js';
import { sendTo } from './lifecycle/send.js';
import { treemuxLine } from '../util/invocation.js';

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
  const agentOf = async (name: string) => {
    const inv = await takeInventory(ctx);
    const [agent] = pick(inv, [name]);
    return { inv, agent: agent! };
  };
  const safely = async (work: () => Promise<string | null>): Promise<string | null> => {
    try {
      return await work();
    } catch (err) {
      return oneLine(err);
    }
  };
  return {
    jump: (name) =>
      safely(async () => {
        const { agent } = await agentOf(name);
        if (!agent.pane) return `${name} has no window (${agent.status}): press r or run ${treemuxLine(['up', name])}`;
        const moved = await ctx.tmux.moveClient(agent.pane.window_id, process.env.TMUX_PANE);
        return moved ? null : `selected ${name}; attach with: ${ctx.tmux.attachHint(ctx.layout.session)}`;
      }),
    send: (name, text) =>
      safely(async () => {
        const { agent } = await agentOf(name);
        if (agent.spec.mode === 'headless') {
          await ctx.state.exclusive(async () => {
            const { inv, agent: fresh } = await agentOf(name);
            await sendTo(ctx, inv, fresh, text);
          });
          return `${name}: continuing its conversation`;
        }
        if (!isAlive(agent.pane)) return `${name} is not running`;
        await ctx.tmux.sendText(agent.pane.pane_id, text);
        return `sent to ${name}`;
      }),
    sendAll: (text) =>
      safely(async () => {
        const inv = await takeInventory(ctx);
        const running = inv.agents.filter((a) => isAlive(a.pane) && a.spec.mode !== 'headless');
        for (const a of running) await ctx.tmux.sendText(a.pane!.pane_id, text);
        return `sent to ${running.length} agent${running.length === 1 ? '' : 's'}`;
      }),
    add: (name, task) =>
      safely(async () => {
        const result = await addAgent(ctx, name, { task });
        return result.failed[0] ? `${name}: ${result.failed[0].reason}` : `${name} added`;
      }),
    removalBlocker: (name) =>
      safely(async () => {
        const { agent } = await agentOf(name);
        const [blocker] = await findBlockers(ctx, [agent]);
        return blocker ? describeBlocker(blocker) : null;
      }),
    remove: (name, force) =>
      safely(() =>
        ctx.state.exclusive(async () => {
          const { agent } = await agentOf(name);
          if (!force) {
            const [blocker] = await findBlockers(ctx, [agent]);
            if (blocker) return `refusing to remove: ${describeBlocker(blocker)}`;
          }
          const [result] = await removeAgents(ctx, [agent], { force });
          return describeRemoval(result!, (p) => p);
        }),
      ),
    restart: (name) =>
      safely(() =>
        ctx.state.exclusive(async () => {
          const { inv, agent } = await agentOf(name);
          if (agent.spec.mode === 'headless' && agent.record?.run?.phase === 'done') {
            return `${name} finished its run: press s to continue its conversation`;
          }
          const result = await upAgents(ctx, inv, [agent]);
          return result.failed[0] ? `${name}: ${result.failed[0].reason}` : `${name} ${agent.worktree ? 'started again' : 'created'}`;
        }),
      ),
    log: async (name, lines) => readLog(ctx, name, lines),
    quit,
  };
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
