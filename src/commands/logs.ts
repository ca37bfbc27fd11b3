// treemux logs AGENT [-f] [-n N]: the agent's log (its window's output, ANSI-stripped), like tail.
import { watch } from 'node:fs';
import type { Ctx, GlobalOptions } from '../project/context.js';
import type { AgentView } from '../agents/inventory.js';
import { UserError } from '../util/output.js';
import type { CommandSpec } from './spec.js';

export interface LogsOptions extends GlobalOptions {
  follow?: boolean;
  /** the spec's default: 50 */
  lines: string;
}

export const spec: CommandSpec<LogsOptions> = {
  name: 'logs',
  description: "the agent's log (its window's output)",
  arguments: [{ name: '<agent>' }],
  options: [
    { flags: '-f, --follow', description: 'keep printing what it writes' },
    { flags: '-n, --lines <n>', description: 'how many lines (default 50)', default: '50' },
  ],
  run: (args, opts) => logs(args[0]!, opts),
};

export async function logs(name: string, opts: LogsOptions): Promise<number> {
  const { openContext } = await import('../project/context.js');
  const { pick, takeInventory } = await import('../agents/inventory.js');
  const { cleanLog, readLog } = await import('../agents/actions.js');
  const { logPath, mark, tail } = await import('../project/paths.js');
  const ctx = await openContext(opts);
  const [agent] = pick(await takeInventory(ctx), [name]); // an unknown agent is an error
  const n = Number(opts.lines);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`-n takes a whole number of lines, not "${opts.lines}"`);
  if (agent!.remote) return remoteLogs(ctx, agent!, n, Boolean(opts.follow), cleanLog);
  const file = logPath(ctx.repo.commonDir, name);
  for (const line of await readLog(ctx, name, n)) ctx.out.print(line);
  if (!opts.follow) return 0;
  let size = (await mark(file))?.size ?? 0;
  let partial = '';
  const poll = async () => {
    const now = (await mark(file))?.size ?? 0;
    if (now < size) size = 0; // truncated: start again
    if (now === size) return;
    const text = partial + (await tail(file, now - size));
    size = now;
    const cut = text.lastIndexOf('\n');
    partial = cut >= 0 ? text.slice(cut + 1) : text;
    for (const line of cleanLog(cut >= 0 ? text.slice(0, cut) : '')) ctx.out.print(line);
  };
  return new Promise<number>((resolve) => {
    const timer = setInterval(() => void poll(), 500);
    let watcher: ReturnType<typeof watch> | null = null;
    try {
      watcher = watch(file, () => void poll());
    } catch {
      // no file yet: polling finds it
    }
    const stop = () => {
      clearInterval(timer);
      watcher?.close();
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** An agent on another host: its log there, read over ssh (followed by asking again every second). */
async function remoteLogs(ctx: Ctx, agent: AgentView, n: number, follow: boolean, cleanLog: (t: string) => string[]): Promise<number> {
  const { remoteLog } = await import('../agents/hosts/host.js');
  if (agent.remote?.unreachable) throw new UserError(`${agent.name} is on host ${agent.spec.host}, which cannot be reached: ${agent.remote.unreachable}`);
  const first = await remoteLog(ctx, agent.spec, -1, Math.max(65_536, n * 400));
  for (const line of cleanLog(first.text).slice(-n)) ctx.out.print(line);
  if (!follow) return 0;
  let size = first.size;
  let partial = '';
  return new Promise<number>((resolve) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      remoteLog(ctx, agent.spec, size, 1 << 20)
        .then((r) => {
          if (r.size < size) size = 0; // truncated: start again
          if (!r.text) return;
          size += Buffer.byteLength(r.text);
          const text = partial + r.text;
          const cut = text.lastIndexOf('\n');
          partial = cut >= 0 ? text.slice(cut + 1) : text;
          for (const line of cleanLog(cut >= 0 ? text.slice(0, cut) : '')) ctx.out.print(line);
        })
        .catch(() => undefined) // a host that went away: asked again next second
        .finally(() => (busy = false));
    }, 1000);
    const stop = () => {
      clearInterval(timer);
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
