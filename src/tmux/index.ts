export { Tmux, type Created, type Spawn, type SessionInfo, type TmuxOptions } from './client.js';
export { TmuxError, TmuxMissingError, ServerNotRunningError, TargetGoneError } from './errors.js';
export type { PaneRow } from './format.js';
export { THEN, toArgv, cwdArg, literal } from './argv.js';
