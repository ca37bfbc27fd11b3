// The OpenAI Codex CLI (`@openai/codex`, checked against 0.171.0) as an agent kind: the task as the
// first prompt after `--`, `exec --json` for headless runs, `resume ID` to continue a thread, status
// hooks and the scope guard registered on its command line (`-c` overrides, trusted by hash: nothing
// written in the worktree or in CODEX_HOME), the instructions handed as context when a session starts.
// docs/agents-codex.md has the evidence.
import type { ResolvedAgent } from '../../../layout/index.js';
import { ENV } from '../../../project/env.js';
import { shellQuote } from '../../../util/shell.js';
import { treemuxArgv } from '../../../util/invocation.js';
import type { AgentKind, HookReader } from '../types.js';
import { contextOutput, denialOutput, eventOf, readInstructions, scopeDecision } from './hook.js';
import { headlessArgv, isThreadId, leavesApprovalsRefused, operand, resumeArgs } from './args.js';
import { hookConfigArgs } from './hooks.js';
import { CODEX_BUSY_SCREEN, CODEX_CHROME, CODEX_WAITING_SCREEN, codexStatus } from './status.js';
import { emptyFacts, lastLineOf, readEvent, summaryLine } from './stream.js';
import { lastRolloutLine } from './transcript.js';

export { eventOf, handleHook, patchTargets, scopeDecision } from './hook.js';
export { hookConfigArgs, hookTrustHash, HOOK_EVENTS } from './hooks.js';
export { CODEX_BUSY_SCREEN, CODEX_CHROME, CODEX_IDLE_SCREEN, CODEX_SPLASH_SCREEN, CODEX_WAITING_SCREEN, codexScreenState, codexStatus } from './status.js';
export { lastRolloutLine } from './transcript.js';
export type { CodexFacts, CodexResult, RunTokens } from './stream.js';

/** The command Codex runs for its hooks: node and this treemux by absolute path, the event on stdin. */
export function hookCommand(argv: readonly string[] = treemuxArgv()): string {
  return [...argv, 'hook', '--kind', 'codex'].map(shellQuote).join(' ');
}

/**
 * What every Codex process treemux starts gets before the layout's args: its hooks (trusted, for this
 * process only), and for the TUI `--no-daemon` and `disable_paste_burst`.
 *
 * The TUI takes keys that come fast, and an Enter right after them, for a paste: the Enter becomes
 * part of it and nothing is sent. `treemux send` types a line with `send-keys -l` and then Enter: with
 * the detection on, 0 of 3 such lines were sent, with `-c disable_paste_burst=true` 3 of 3 (test i).
 *
 * Without `--no-daemon` the TUI hands the thread to a background
 * app-server that outlives the window (in CODEX_HOME/packages, started once per user): a window
 * killed with its tmux server leaves the thread held there, and `codex --no-daemon resume ID` then
 * shows "This conversation is open in another app"; the daemon also runs the hooks with its own
 * environment, not the window's (TREEMUX_AGENT would name whichever agent started it).
 */
export function launchArgs(mode: 'interactive' | 'headless', command = hookCommand()): string[] {
  return [...(mode === 'interactive' ? ['--no-daemon', '-c', 'disable_paste_burst=true'] : []), ...hookConfigArgs(command)];
}

const hook: HookReader = {
  eventOf,
  async respond(payload, env) {
    const decision = scopeDecision(payload, env);
    if (decision) return { stdout: decision.deny ? denialOutput(decision.reason) : '', note: decision.reason };
    // a fresh session gets the agent's instructions as context (Codex reads AGENTS.md, never CLAUDE.local.md)
    if (payload.hook_event_name === 'SessionStart' && payload.source !== 'resume' && env.worktree) {
      const text = await readInstructions(env.worktree, 'CLAUDE.local.md');
      if (text) return { stdout: contextOutput(text) };
    }
    return null;
  },
  sessionOf: (event) => (event.event === 'SessionStart' ? event.sessionId : undefined),
};

export const codex: AgentKind = {
  name: 'codex',
  installHint: () => 'npm install -g @openai/codex',
  // its parser takes what follows `--` as the prompt, whatever it starts with (`--yolo` is an option)
  operand,
  resumeArgs,
  interactiveArgv: (program, args, task, resume, hookArgv) => [
    program,
    ...launchArgs('interactive', hookArgv.map(shellQuote).join(' ')),
    ...args,
    ...(resumeArgs(resume) ?? (task.trim() ? operand(task) : [])),
  ],
  isSessionId: isThreadId,
  interactiveSession: (record) => [record?.session, record?.claudeSession].find(isThreadId),
  headlessSession: (record) => [record?.run?.sessionId, record?.session, record?.claudeSession].find(isThreadId),
  headlessArgv: (program, args, prompt, resume) => headlessArgv(program, args, prompt, resume, launchArgs('headless')),
  events: { empty: emptyFacts, read: readEvent, summary: summaryLine, lastLine: lastLineOf },
  // Codex reads AGENTS.md (AGENTS.override.md replaces it): the instructions go as SessionStart context instead
  instructionsFile: 'CLAUDE.local.md',
  hook,
  screen: { waiting: [CODEX_WAITING_SCREEN], busy: [CODEX_BUSY_SCREEN] },
  // its hooks are command-line overrides: nothing written in the worktree
  writtenFiles: [],
  prepare: async () => undefined,
  // the scope guard's rules, for its PreToolUse hook
  windowEnv: (spec: ResolvedAgent) => ({ [ENV.scope]: JSON.stringify({ scope: spec.scope, avoid: spec.avoid, mode: spec.scopeMode }) }),
  statusFromHook: codexStatus,
  // its transcript is a rollout file (the pane's log of a full-screen TUI goes stale)
  lastLineFromLog: true,
  lastLineFromTranscript: true,
  transcriptLastLine: lastRolloutLine,
  screenChrome: CODEX_CHROME,
  startWarning: (_ctx, specs) => {
    const names = specs.filter((s) => (s.kind as string) === 'codex' && s.mode === 'headless' && leavesApprovalsRefused(s.args)).map((s) => s.name);
    if (names.length === 0) return null;
    const many = names.length > 1;
    return (
      `headless Codex agent${many ? 's' : ''} ${names.join(', ')} run${many ? '' : 's'} \`codex exec\`, which never asks: ` +
      'a command that needs to leave the sandbox (network, files outside the worktree) is refused ' +
      '(give args such as [--sandbox, danger-full-access] in a sandbox of your own; see docs/agents-codex.md)'
    );
  },
};
