// treemux dash: the dashboard (Ink), fed by the project's watcher. q quits; the agents keep running.
// It also paints the session's sidebars (which run no treemux process of their own) while it runs.
import type { GlobalOptions } from '../project/context.js';
import type { CommandSpec } from './spec.js';

export const spec: CommandSpec = {
  name: 'dash',
  description: 'the dashboard',
  run: (_args, opts) => dash(opts),
};

export async function dash(opts: GlobalOptions): Promise<number> {
  const { renderDashboard } = await import('../ui/index.js');
  const { paintSidebars } = await import('../ui/sidebars.js');
  const { SessionSidebars } = await import('../tmux/index.js');
  const { runWatchedUi } = await import('./watched.js');
  const { sidebarWidth } = await import('../layout/index.js');
  return runWatchedUi(opts, renderDashboard, (ctx, source) => {
    if (sidebarWidth(ctx.layout.layout.sidebar) === null) return () => undefined; // no sidebars: not even a tmux client for them
    const painter = paintSidebars(source, new SessionSidebars(ctx.tmux, ctx.layout.session));
    return () => painter.stop();
  });
}
