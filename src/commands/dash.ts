// treemux dash: the dashboard (Ink), fed by the project's watcher. q quits; the agents keep running.
import type { GlobalOptions } from '../project/context.js';
import type { CommandSpec } from './spec.js';

export const spec: CommandSpec = {
  name: 'dash',
  description: 'the dashboard',
  run: (_args, opts) => dash(opts),
};

export async function dash(opts: GlobalOptions): Promise<number> {
  const { renderDashboard } = await import('../ui/index.js');
  const { runWatchedUi } = await import('./watched.js');
  return runWatchedUi(opts, renderDashboard);
}
