// How treemux's arguments survive tmux's own command-line parsing.

/** Separates commands of one tmux invocation (sent as a lone `;`). */
export const THEN: unique symbol = Symbol('tmux-command-separator');
export type Arg = string | typeof THEN;

/**
 * tmux ends a command at any argument whose last character is `;` and turns a trailing `\;` into
 * `;`. Inserting a backslash before a trailing `;` makes tmux hand the argument on unchanged:
 * `x;` → `x\;` → `x;`, and `x\;` → `x\\;` → `x\;`.
 */
export function toArgv(arg: Arg): string {
  if (arg === THEN) return ';';
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

/**
 * tmux expands formats (`#{…}`, and `#(…)`, which runs a shell) in `-c` directories and in `-s`/`-n`
 * session and window names: doubling `#` makes tmux hand the text on unchanged.
 */
export function literal(text: string): string {
  return text.replaceAll('#', '##');
}

export const cwdArg = literal;
