// treemux sidebar: the compact list in the left pane of every agent window (its agent: TREEMUX_AGENT).
import { readAgentEnv } from '../project/env.js';
import type { GlobalOptions } from '../project/context.js';
import { renderSidebar } from '../ui/index.js';
import { runWatchedUi } from './watched.js';

export function sidebar(opts: GlobalOptions): Promise<number> {
  return runWatchedUi(opts, (source, actions) => renderSidebar(source, actions, readAgentEnv().agent ?? null));
}
