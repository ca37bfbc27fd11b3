// What a command says about itself: its name, arguments, options and help, and what runs it. Each
// command file exports one `spec`; cli.ts registers them all with commander.
//
// `treemux --help` lists every command, so every command file is loaded on every run: a command
// file imports only types and light modules at its top (node:, util/, layout/templates, other
// command files) and loads the domain when it runs, with `await import(...)` (the databases, git,
// tmux and the UI take seconds to load on a busy machine). test/commands/spec.test.ts keeps it so.
import type { GlobalOptions } from '../project/context.js';

export interface ArgumentSpec {
  /** `<name>` required, `[name]` optional, `...` at the end for any number */
  name: string;
  description?: string;
}

export interface OptionSpec {
  /** commander's flags: `--json`, `-n, --lines <n>`, `--no-attach` */
  flags: string;
  description?: string;
  /** its value when not given; --help does not add it (the description says it in its own words) */
  default?: string;
  /** the command refuses to run without it */
  required?: boolean;
}

export interface CommandSpec<O extends GlobalOptions = GlobalOptions> {
  name: string;
  description: string;
  /** left out of `treemux --help`: run by treemux itself or by Claude Code, not by people */
  hidden?: boolean;
  arguments?: readonly ArgumentSpec[];
  options?: readonly OptionSpec[];
  /** printed after the options by `treemux NAME --help` */
  helpAfter?: () => string;
  /** words that start with a dash are arguments too (text to type into an agent), not unknown options */
  dashedArguments?: boolean;
  /** Runs the command with its arguments and its options (the global ones too, defaults applied);
   * resolves to the exit status of what it did (see exit.ts; a thrown error gets its own there). */
  run(args: string[], opts: O): Promise<number>;
}
