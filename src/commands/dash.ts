// treemux dash: the dashboard (Ink), fed by the project's watcher. q quits; the agents keep running.
import { agentActions } from '../agents/actions.js';
import { openContext, type GlobalOptions } from '../agents/context.js';
import { Watcher } from '../agents/watch.js';
import { renderDashboard } from '../ui/index.js';

export async function dash(opts: GlobalOptions): Promise<number> {
  const ctx = await openContext(opts);
  const watcher = new Watcher(ctx);
  await watcher.start();
  let quit = () => undefined as void;
  const app = renderDashboard(watcher, agentActions(ctx, () => quit()));
  quit = () => process.kill(process.pid, 'SIGTERM');
  const stop = async () => {
    await watcher.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGHUP', () => void stop());
  await app.waitUntilExit();
  await watcher.stop();
  return 0;
}
