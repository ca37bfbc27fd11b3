// `jump` to an agent on another host: its window there, attached over ssh. Inside the project's tmux
// session, a window here runs `ssh -t HOST tmux attach` to that window (made once, found again by its
// option) and the client is moved to it; outside tmux, this terminal attaches there directly.
import type { Ctx } from '../../project/context.js';
import type { Tmux } from '../../tmux/index.js';
import type { AgentView } from '../inventory.js';
import { hostOf } from './host.js';

/** The window option that marks a window here showing an agent's window on its host. */
export const VIEW_OPTION = '@treemux-remote-view';

/** ssh's argument array that attaches this terminal to AGENT's window on its host. */
export function attachArgv(ctx: Ctx, agent: AgentView): string[] {
  const host = hostOf(ctx, agent.spec);
  const tmux = ['tmux', ...(ctx.tmux.socket ? ['-L', ctx.tmux.socket] : []), 'attach-session', '-t', `=${ctx.layout.session}:${agent.pane!.window_id}`];
  return host.ssh.interactiveArgv(tmux);
}

/**
 * The window here that shows AGENT's window there, made when missing (in SESSION, after the others).
 * Returns its window id.
 */
export async function viewWindow(ctx: Ctx, tmux: Tmux, session: string, agent: AgentView): Promise<string> {
  const rows = await tmux.run(['list-windows', '-t', session, '-F', `#{window_id} #{${VIEW_OPTION}}`]).catch(() => '');
  const found = rows.split('\n').map((l) => l.split(' ')).find(([, who]) => who === agent.name);
  if (found?.[0]) return found[0];
  const out = await tmux.run(['new-window', '-d', '-P', '-F', '#{window_id}', '-t', `${session}:`, '-n', `${agent.name}@${agent.spec.host}`, '--', ...attachArgv(ctx, agent)]);
  const id = out.trim();
  await tmux.run(['set-option', '-w', '-t', id, VIEW_OPTION, agent.name]);
  return id;
}
