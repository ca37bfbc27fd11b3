// Quoting for the few places where treemux must hand a shell a command line (tmux's pipe-pane, a
// Claude Code hook command, the line a user copies): one word, single-quoted, never interpreted.

/** S as one single-quoted shell word. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
