// treemux dash: the dashboard (Ink), fed by the project's watcher. q quits; the agents keep running.
import type { GlobalOptions } from '../project/context.js';
import { renderDashboard } from '../ui/index.js';
import { runWatchedUi } from './watched.js';

export function dash(opts: GlobalOptions): Promise<number> {
  return runWatchedUi(opts, renderDashboard);
}
