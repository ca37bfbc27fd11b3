// treemux dash: the project's agents at a glance, refreshed every 2 seconds with one tmux call and
// one git call per tick (never one per agent). A plain-text view; `q` or Ctrl-C quits, agents keep
// running.
import { openContext, type GlobalOptions } from '../agents/context.js';
import { takeInventory } from '../agents/inventory.js';
import { table } from './ls.js';

const TICK_MS = 2000;

export async function dash(opts: GlobalOptions): Promise<number> {
  const ctx = await openContext(opts);
  const draw = async () => {
    const inv = await takeInventory(ctx);
    const rows = inv.agents.map((a) => [a.name, a.worktree ? a.status : 'not created', a.spec.branch]);
    const body = rows.length ? table([['AGENT', 'STATUS', 'BRANCH'], ...rows]) : 'no agents';
    process.stdout.write(`\x1b[H\x1b[2J${ctx.layout.project} — treemux\n\n${body}\n\nq: quit (agents keep running)\n`);
  };
  await draw();
  return new Promise<number>((done) => {
    const timer = setInterval(() => void draw().catch(() => undefined), TICK_MS);
    const stop = () => {
      clearInterval(timer);
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      process.stdin.pause();
      done(0);
    };
    if (process.stdin.isTTY) {
      process.stdin.setRawMode(true);
      process.stdin.resume();
      process.stdin.on('data', (b: Buffer) => {
        const k = b.toString();
        if (k === 'q' || k === '\x03') stop();
      });
    }
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
