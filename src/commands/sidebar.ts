// treemux sidebar: the compact list in the left pane of every agent window (its agent: TREEMUX_AGENT).
import type { GlobalOptions } from '../project/context.js';
import type { CommandSpec } from './spec.js';

export const spec: CommandSpec = {
  name: 'sidebar',
  description: 'the compact view that runs in each agent window',
  run: (_args, opts) => sidebar(opts),
};

export async function sidebar(opts: GlobalOptions): Promise<number> {
  const { readAgentEnv } = await import('../project/env.js');
  const { renderSidebar } = await import('../ui/index.js');
  const { runWatchedUi } = await import('./watched.js');
  return runWatchedUi(opts, (source, actions) => renderSidebar(source, actions, readAgentEnv().agent ?? null));
}
