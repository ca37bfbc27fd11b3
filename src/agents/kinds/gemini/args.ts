// Gemini CLI's command line (0.61.0, a yargs parser): the prompt as one `--option=value` word, headless
// runs with stream-json events, resuming a conversation, and which approval mode the arguments leave.
//
// Why `--prompt-interactive=TEXT` and `--prompt=TEXT`: the parser takes a separate word that starts with
// `-` as the next option, never as a value (`-i --yolo` fails "Not enough arguments following: i"), and
// it drops positional words after `--` (`gemini -- --yolo` gets no prompt: "No input provided via
// stdin", exit 42). Glued to its option with `=`, the whole text is the value, whatever it starts with
// (tested with the real client: test/clients/gemini/client.test.ts).
import { isSessionId } from './ids.js';

/** The task as the first prompt of an interactive session: answered, then the prompt waits for more. */
export function interactivePrompt(text: string): string[] {
  return [`--prompt-interactive=${text}`];
}

/** A headless run's prompt. */
export function headlessPrompt(text: string): string[] {
  return [`--prompt=${text}`];
}

/** What `mode: headless` adds for a Gemini agent: its events on stdout, one JSON object per line. */
export const HEADLESS_MODE = ['--output-format', 'stream-json'] as const;

/** Options with a value that treemux gives itself in a headless run (prompt, interactive prompt, output format). */
const TAKEN = ['-p', '--prompt', '-i', '--prompt-interactive', '-o', '--output-format'];

/** The layout's args with stream-json made sure of: a prompt or another --output-format there is dropped. */
export function headlessArgs(args: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (TAKEN.includes(a)) {
      i += 1; // and its value
      continue;
    }
    if (TAKEN.some((t) => a.startsWith(`${t}=`))) continue;
    rest.push(a);
  }
  // after the layout's args: a command that is an interpreter (`node`, its script first) keeps them first
  return [...rest, ...HEADLESS_MODE];
}

/**
 * Gemini CLI's arguments to continue a conversation: `--resume <uuid>` (it also takes `latest` or an
 * index, which treemux never uses: they name whichever session is newest in that folder). None for a
 * value that is not a session id. A session belongs to the folder it ran in
 * (`~/.gemini/tmp/<folder>/chats/`): resume from the same worktree.
 */
export function resumeArgs(sessionId: string | undefined): string[] | undefined {
  return isSessionId(sessionId) ? ['--resume', sessionId] : undefined;
}

export type ApprovalMode = 'default' | 'auto_edit' | 'yolo' | 'plan' | 'unknown';

/** The approval mode the arguments pick (`--approval-mode X`, `-y`/`--yolo`); 'default' when none. */
export function approvalMode(args: readonly string[]): ApprovalMode {
  let mode: ApprovalMode = 'default';
  const known = (v: string | undefined): ApprovalMode => (v === 'default' || v === 'auto_edit' || v === 'yolo' || v === 'plan' ? v : 'unknown');
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-y' || a === '--yolo') mode = 'yolo';
    else if (a === '--approval-mode') mode = known(args[++i]);
    else if (a.startsWith('--approval-mode=')) mode = known(a.slice('--approval-mode='.length));
  }
  return mode;
}

/** Arguments that change what runs without asking in ways treemux cannot judge (policy files, tool lists). */
const POLICY_FLAGS = ['--allowed-tools', '--policy', '--admin-policy'];

/**
 * Do these arguments leave a headless Gemini agent read-only? In headless mode the client offers the
 * model no tool that would ask: in the default (and plan) approval mode it gets read_file, glob,
 * grep_search… but no write_file, replace or run_shell_command; auto_edit adds the edit tools; yolo all.
 */
export function leavesReadOnly(args: readonly string[]): boolean {
  if (args.some((a) => POLICY_FLAGS.some((f) => a === f || a.startsWith(`${f}=`)))) return false;
  const mode = approvalMode(args);
  return mode === 'default' || mode === 'plan';
}
