// OpenCode's command line (opencode-ai 1.18): the task as the TUI's `--prompt=TEXT`, `run --format
// json` for headless runs, `--session ID` to continue a conversation.
//
// Its parser (yargs) reads the TUI's positional as a project folder, not a prompt, so the task goes in
// `--prompt`, glued to it with `=`: `--prompt --yolo` would give an empty prompt and turn on `--yolo`
// (an alias of `--auto`, which approves every permission). `run` joins its message words with spaces
// and wraps each word that holds a space in double quotes (escaping the quotes inside), so a prompt
// handed over as one argument reaches the model as `"Fix the bug"`: the prompt is split at its spaces
// instead, every word its own argument after `--`, and the join gives back the exact text.
import { isOpenCodeSessionId } from './ids.js';

/** The task for the TUI: `--prompt=TEXT`, whatever TEXT starts with. */
export function operand(text: string): string[] {
  return [`--prompt=${text}`];
}

/**
 * `--session ID` (TUI and `run` alike); none for a value that is not an OpenCode session id. The TUI
 * ignores `--prompt` when it resumes: what comes back is the conversation, waiting for the user.
 */
export function resumeArgs(sessionId: string | undefined): string[] | undefined {
  return isOpenCodeSessionId(sessionId) ? ['--session', sessionId] : undefined;
}

/** The prompt as `run`'s message words: split at each space, so that `run` joins them back unchanged. */
export function promptWords(prompt: string): string[] {
  return prompt.split(' ');
}

/** Options of the TUI only, that `run` refuses or that make no sense for it (with whether they take a value). */
const TUI_ONLY: Record<string, boolean> = { '--mini': false, '--no-replay': false, '--replay-limit': true, '--prompt': true, '--hostname': true, '--mdns': false, '--mdns-domain': true, '--cors': true };

/** The layout's args made fit for `run --format json`: a leading `run`, another --format and TUI-only options dropped. */
export function runArgs(args: readonly string[]): string[] {
  const rest: string[] = [];
  const list = args[0] === 'run' ? args.slice(1) : args;
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (name === '--format') {
      if (!a.includes('=')) i += 1;
      continue;
    }
    if (name in TUI_ONLY) {
      if (TUI_ONLY[name] && !a.includes('=')) i += 1;
      continue;
    }
    rest.push(a);
  }
  return ['run', '--format', 'json', ...rest];
}

/** `PROGRAM run --format json ARGS [--session ID] [-- WORDS…]`. */
export function headlessArgv(program: string, args: readonly string[], prompt: string, resume: string | undefined): string[] {
  return [program, ...runArgs(args), ...(resumeArgs(resume) ?? []), ...(prompt.trim().length > 0 ? ['--', ...promptWords(prompt)] : [])];
}
