// The Ink UI: the dashboard (full screen) and the sidebar (a narrow pane in each agent window).
// Components read a Source and ask for Actions (model.ts); they never touch tmux, git or files.
import { createElement } from 'react';
import { render } from 'ink';
import { Dashboard } from './Dashboard.js';
import type { Actions, Source } from './model.js';
import { Sidebar } from './Sidebar.js';

export { Dashboard, type DashboardProps } from './Dashboard.js';
export { Sidebar, type SidebarProps } from './Sidebar.js';
export { KEYS, COMMANDS, type Command } from './keys.js';
export { dashReducer, initialDashState, type DashState, type DashAction } from './reducer.js';
export type { Actions, AgentRow, Snapshot, Source } from './model.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';

export interface Mounted {
  waitUntilExit(): Promise<void>;
}

/** The dashboard, in the terminal's alternate screen when stdout is a terminal (the shell's screen comes back on exit). */
export function renderDashboard(source: Source, actions: Actions): Mounted {
  const out = process.stdout;
  const alt = out.isTTY === true;
  let inAlt = false;
  const leave = () => {
    if (inAlt) out.write(LEAVE_ALT_SCREEN);
    inAlt = false;
  };
  if (alt) {
    out.write(ENTER_ALT_SCREEN);
    inAlt = true;
    process.once('exit', leave);
  }
  const app = render(createElement(Dashboard, { source, actions }), { exitOnCtrlC: true });
  const finished = app
    .waitUntilExit()
    .then(() => undefined)
    .finally(() => {
      leave();
      process.removeListener('exit', leave);
    });
  finished.catch(() => undefined); // the caller sees the error through waitUntilExit
  return { waitUntilExit: () => finished };
}

/** The sidebar, drawn in place (it is a pane of its own). */
export function renderSidebar(source: Source, actions: Actions, current: string | null): Mounted {
  const app = render(createElement(Sidebar, { source, actions, current }), { exitOnCtrlC: true });
  const finished = app.waitUntilExit().then(() => undefined);
  finished.catch(() => undefined);
  return { waitUntilExit: () => finished };
}
