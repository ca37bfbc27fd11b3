// treemux sidebar: the compact list, interactive (j/k, Enter, a number), for a pane of the user's
// own (its agent marked when TREEMUX_AGENT says one). The sidebars `up` makes in agent
// windows do not run it: the dashboard paints them (src/ui/sidebars.ts).
import type { GlobalOptions } from '../project/context.js';
import type { CommandSpec } from './spec.js';

export const spec: CommandSpec = {
  name: 'sidebar',
  description: 'the compact list of agents, interactive, for a pane of your own',
  run: (_args, opts) => sidebar(opts),
};

export async function sidebar(opts: GlobalOptions): Promise<number> {
  const { readAgentEnv } = await import('../project/env.js');
  const { renderSidebar } = await import('../ui/index.js');
  const { runWatchedUi } = await import('./watched.js');
  return runWatchedUi(opts, (source, actions) => renderSidebar(source, actions, readAgentEnv().agent ?? null));
}
