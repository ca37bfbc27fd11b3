export { Tmux, type SessionInfo, type TmuxOptions } from './client.js';
export type { Created, Spawn } from './windows.js';
export { TmuxError, TmuxMissingError, ServerNotRunningError, TargetGoneError } from './errors.js';
export type { PaneRow } from './format.js';
export { THEN, toArgv, cwdArg, literal } from './argv.js';
export { SessionSidebars, type SidebarPane } from './sidebars.js';
