// Crash points, for the tests that kill treemux half way through a change (`TREEMUX_CRASH_AT=NAME`):
// the process dies there at once, as a `kill -9` would, so that the next run must finish or undo
// exactly what this one began. Unset, it costs one comparison.
export function crashPoint(name: string): void {
  if (process.env.TREEMUX_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
