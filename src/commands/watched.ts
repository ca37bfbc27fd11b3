// Mounting a UI on the project's watcher: shared by `dash` and `sidebar`.
import { agentActions } from '../agents/actions.js';
import { openContext, type Ctx, type GlobalOptions } from '../project/context.js';
import { Watcher } from '../agents/status/watcher.js';
import type { Actions, Source } from '../ui/model.js';
import { SILENT } from '../util/output.js';
import { EXIT } from './exit.js';

export async function runWatchedUi(
  opts: GlobalOptions,
  render: (source: Source, actions: Actions) => { waitUntilExit(): Promise<void> },
  /** more that follows the same watcher while the UI runs (the dashboard paints the sidebars); returns its stop */
  alongside?: (ctx: Ctx, source: Source) => () => void,
): Promise<number> {
  // nothing may write to the terminal the UI draws on (Ink could not erase such lines): what the
  // actions do is said in the UI's own message line
  const ctx = await openContext(opts, SILENT);
  const watcher = new Watcher(ctx);
  await watcher.start();
  const stopAlongside = alongside?.(ctx, watcher) ?? (() => undefined);
  // closed from outside (the window or session goes): the UI cannot be unmounted from here and keeps
  // stdin open, so the process exits itself, as a normal end
  const stop = async () => {
    stopAlongside();
    await watcher.stop();
    process.exit(EXIT.ok);
  };
  // quitting needs nothing: q ends the UI itself; a screen is read through the watcher's control client while it leads
  const app = render(watcher, agentActions(ctx, () => undefined, () => watcher.client));
  process.once('SIGTERM', () => void stop());
  process.once('SIGHUP', () => void stop());
  await app.waitUntilExit(); // q: the UI exits itself
  stopAlongside();
  await watcher.stop();
  return 0;
}
