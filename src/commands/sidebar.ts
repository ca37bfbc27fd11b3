// treemux sidebar: the compact list that runs in the left pane of every agent window.
import { agentActions } from '../agents/actions.js';
import { openContext, type GlobalOptions } from '../agents/context.js';
import { Watcher } from '../agents/watch.js';
import { renderSidebar } from '../ui/index.js';

export async function sidebar(opts: GlobalOptions): Promise<number> {
  const ctx = await openContext(opts);
  const watcher = new Watcher(ctx);
  await watcher.start();
  const app = renderSidebar(watcher, agentActions(ctx, () => process.kill(process.pid, 'SIGTERM')), process.env.TREEMUX_AGENT ?? null);
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
