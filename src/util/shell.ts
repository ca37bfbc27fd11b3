// Quoting for the few places where treemux must hand a shell a command line (tmux's pipe-pane, a
// Claude Code hook command, the line a user copies): one word, single-quoted, never interpreted.

/** S as one single-quoted shell word. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word for a POSIX shell: as it is when it needs no quoting, else single-quoted. */
export function shellWord(word: string): string {
  return SAFE.test(word) ? word : shellQuote(word);
}

export function shellLine(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}
