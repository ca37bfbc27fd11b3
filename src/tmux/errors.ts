// Typed tmux failures, so callers can tell "tmux is not installed" from "no server" from "target gone".
export class TmuxError extends Error {
  constructor(message: string, readonly args: readonly string[] = [], readonly stderr = '') {
    super(message);
    this.name = new.target.name;
  }
}
/** The tmux binary is not on PATH. */
export class TmuxMissingError extends TmuxError {}
/** No tmux server is listening on the socket. */
export class ServerNotRunningError extends TmuxError {}
/** The session, window or pane addressed no longer exists. */
export class TargetGoneError extends TmuxError {}

export function classifyTmuxFailure(args: readonly string[], stderr: string, code: string | undefined): TmuxError {
  const line = stderr.trim().split('\n')[0] ?? '';
  if (code === 'ENOENT') return new TmuxMissingError('tmux is not installed (install tmux >= 3.2)', args, stderr);
  if (/no server running|error connecting to|server exited unexpectedly/.test(line)) {
    return new ServerNotRunningError(`tmux server is not running (${line})`, args, stderr);
  }
  if (/can't find (session|window|pane|client)|no such (session|window|pane)|no current (target|client)|(session|window|pane) not found/.test(line)) {
    return new TargetGoneError(line, args, stderr);
  }
  return new TmuxError(`tmux ${args[0] ?? ''} failed: ${line || 'unknown error'}`, args, stderr);
}
