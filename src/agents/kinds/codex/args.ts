// The Codex CLI's command line (`@openai/codex`, checked against 0.171.0): the task as the first prompt
// after `--`, `exec --json` for headless runs, `resume ID` to continue a thread, and which options
// belong to `exec` rather than to the program. Pure.
//
// Codex's parser (clap) takes anything that starts with `-` as an option, and some options have
// short aliases a task could spell (`--yolo` is the hidden alias of
// `--dangerously-bypass-approvals-and-sandbox`): a task after `--` is always the prompt, for the TUI,
// `exec`, `resume` and `exec resume` alike.

/** Codex thread ids (the `thread_id` of `exec --json`, a hook's `session_id`) are UUIDs (v7 in 0.171). */
const THREAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isThreadId(value: unknown): value is string {
  return typeof value === 'string' && THREAD_ID.test(value);
}

/** The task as the TUI's first prompt: after `--`, whatever it starts with. */
export function operand(text: string): string[] {
  return ['--', text];
}

/**
 * The TUI's arguments to continue a thread instead of starting one: the `resume` subcommand with the
 * thread id (checked, so it can never be read as an option). Global options (`-c`, `--no-daemon`,
 * the layout's args) stay before it: `codex [options] resume ID`.
 */
export function resumeArgs(threadId: string | undefined): string[] | undefined {
  return isThreadId(threadId) ? ['resume', threadId] : undefined;
}

/**
 * Options only `codex exec` takes (the program's own parser refuses them before `exec`), and whether
 * each takes a value. Everything else the layout gives (`-c`, `-m`, `-s`, `-a`, `--search`,
 * `--enable`, `--dangerously-bypass-approvals-and-sandbox` …) the program takes before `exec` too.
 */
const EXEC_ONLY: Record<string, boolean> = {
  '--skip-git-repo-check': false,
  '--ephemeral': false,
  '--ignore-user-config': false,
  '--ignore-rules': false,
  '--trust': false,
  '--output-schema': true,
  '--color': true,
  '-o': true,
  '--output-last-message': true,
  '--thread-source': true,
  '--cyber-access-program': true,
};
/** Options the TUI takes and `exec` refuses (`--no-daemon`: exec never uses the daemon). */
const TUI_ONLY: Record<string, boolean> = { '--no-daemon': false, '--no-alt-screen': false };

/** The layout's args split into what goes before `exec` and what after it; `--json` (ours) dropped. */
export function splitExecArgs(args: readonly string[]): { before: string[]; after: string[] } {
  const before: string[] = [];
  const after: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const name = a.startsWith('--') && a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (a === '--json' || name in TUI_ONLY) continue;
    if (name in EXEC_ONLY) {
      after.push(a);
      if (EXEC_ONLY[name] && name === a && i + 1 < args.length) after.push(args[++i]!);
      continue;
    }
    before.push(a);
  }
  return { before, after };
}

/**
 * The headless command line: `codex [launch] [layout args] exec [exec-only args] --json [resume ID]
 * -- PROMPT`. `launch` are the kind's own global options (its hooks as `-c` overrides). Without a
 * prompt none is given (exec then reads one from stdin, which the runner leaves empty: it fails).
 */
export function headlessArgv(program: string, args: readonly string[], prompt: string, resume: string | undefined, launch: readonly string[] = []): string[] {
  const { before, after } = splitExecArgs(args);
  return [
    program,
    ...launch,
    ...before,
    'exec',
    ...after,
    '--json',
    ...(isThreadId(resume) ? ['resume', resume] : []),
    ...(prompt.trim().length > 0 ? ['--', prompt] : []),
  ];
}

/** Arguments that let a headless Codex run what needs approval (exec has nobody to ask: it refuses). */
const UNATTENDED = ['--dangerously-bypass-approvals-and-sandbox', '--yolo', '--approve-for-me'];

/** Do these args leave `codex exec` refusing every command that asks to leave the sandbox? */
export function leavesApprovalsRefused(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (UNATTENDED.includes(a)) return false;
    if ((a === '-s' || a === '--sandbox') && args[i + 1] === 'danger-full-access') return false;
    if (a === '--sandbox=danger-full-access') return false;
  }
  return true;
}
