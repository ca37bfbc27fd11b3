// Gemini CLI (`@google/gemini-cli`, checked with 0.61.0) as an agent kind: the task as
// `--prompt-interactive=TASK`, headless runs with `--output-format stream-json --prompt=TASK`,
// `--resume <uuid>` to continue, status hooks in the worktree's .gemini/settings.json, the scope guard
// in its BeforeTool hook. See docs/agents-gemini.md.
import type { ResolvedAgent } from '../../../layout/index.js';
import { ENV } from '../../../project/env.js';
import { INSTRUCTIONS_FILE } from '../../lifecycle/instructions.js';
import type { AgentKind, HookReader } from '../types.js';
import { denyOutput, eventOf, scopeDecision } from './hook.js';
import { lastTranscriptLine } from './transcript.js';
import { headlessArgs, headlessPrompt, interactivePrompt, resumeArgs } from './args.js';
import { isSessionId } from './ids.js';
import { submitDelayMs } from '../names.js';
import { headlessReadOnlyWarning, installHooks, onlyOurSettings, SETTINGS_FILE } from './settings.js';
import { GEMINI_CHROME, GEMINI_SCREEN, geminiStatus } from './status.js';
import { emptyFacts, lastLineOf, readEvent, summaryLine } from './stream.js';

export { handleGeminiHook, eventOf, scopeDecision, denyOutput, GEMINI_HOOK_EVENTS } from './hook.js';
export { mergeHooks, mergeContextFiles, hookCommand, installHooks, SETTINGS_FILE, HOOK_NAME, DEFAULT_CONTEXT_FILE } from './settings.js';
export { GEMINI_SCREEN, GEMINI_CHROME, geminiScreenStatus, geminiStatus, showsGeminiQuestion, showsGeminiBusy, showsGeminiIdle } from './status.js';
export { lastTranscriptLine } from './transcript.js';
export { emptyFacts, readEvent, type GeminiFacts, type GeminiRunResult, type TokenCounts } from './stream.js';
export { approvalMode, leavesReadOnly, headlessArgs, resumeArgs } from './args.js';
export { isSessionId } from './ids.js';

/**
 * Without the kitty keyboard protocol (tmux has none), Gemini CLI takes an Enter that comes within
 * 30 ms of the last typed character as a newline in the input, not a submission (and within 40 ms of
 * a bracketed paste likewise): whoever types a prompt must wait this long before pressing Enter.
 */
export const SUBMIT_DELAY_MS = submitDelayMs('gemini');

/**
 * The window's environment: the scope guard's rules for its hooks, and the worktree trusted. With
 * folder trust on (the client's default) a new worktree is untrusted: its .gemini/settings.json (our
 * hooks) is ignored, an interactive session asks "Do you trust the files in this folder?", a headless
 * run exits 55. GEMINI_CLI_TRUST_WORKSPACE=true trusts the folder the client runs in, for this
 * process only (`--skip-trust` does not do: the run goes on, but the workspace settings stay ignored).
 */
export function geminiWindowEnv(spec: ResolvedAgent): Record<string, string> {
  return {
    [ENV.scope]: JSON.stringify({ scope: spec.scope, avoid: spec.avoid, mode: spec.scopeMode }),
    // only when nothing of the repository's own would run with the trust (onlyOurSettings)
    ...(onlyOurSettings(spec.worktree) ? { GEMINI_CLI_TRUST_WORKSPACE: 'true' } : {}),
  };
}

const hook: HookReader = {
  eventOf,
  respond: (payload, env) => {
    const decision = scopeDecision(payload, env);
    if (!decision) return null;
    // its BeforeTool hook: the call is blocked before any question, the model told why
    return { stdout: decision.deny ? denyOutput(decision.reason) : '', note: decision.reason };
  },
  sessionOf: (event) => (event.event === 'SessionStart' ? event.sessionId : undefined),
};

export const gemini: AgentKind = {
  name: 'gemini',
  installHint: () => 'npm install -g @google/gemini-cli',
  // glued to its option the text is the value whatever it starts with (`--yolo`, `-x`…)
  operand: interactivePrompt,
  resumeArgs,
  interactiveArgv: (program, args, task, resume) => [program, ...args, ...(resumeArgs(resume) ?? (task.trim() ? interactivePrompt(task) : []))],
  isSessionId,
  interactiveSession: (record) => [record?.session, record?.claudeSession].find(isSessionId),
  headlessSession: (record) => [record?.run?.sessionId, record?.session, record?.claudeSession].find(isSessionId),
  headlessArgv: (program, args, prompt, resume) => [
    program,
    ...headlessArgs(args),
    ...(resumeArgs(resume) ?? []),
    ...(prompt.trim().length > 0 ? headlessPrompt(prompt) : []),
  ],
  events: { empty: emptyFacts, read: readEvent, summary: summaryLine, lastLine: lastLineOf },
  // Gemini CLI reads GEMINI.md: prepare names treemux's file as a context file beside it
  instructionsFile: INSTRUCTIONS_FILE,
  hook,
  screen: { waiting: GEMINI_SCREEN.waiting, busy: GEMINI_SCREEN.busy },
  writtenFiles: [`/${SETTINGS_FILE}`],
  // the hooks, and treemux's instructions file (git-excluded) named as a context file beside GEMINI.md
  prepare: async (worktree) => {
    await installHooks(worktree, [INSTRUCTIONS_FILE]);
  },
  windowEnv: geminiWindowEnv,
  statusFromHook: geminiStatus,
  lastLineFromLog: true,
  // its chat file (transcript_path of its events): the exact answer (AfterAgent's prompt_response repeats pieces)
  lastLineFromTranscript: true,
  transcriptLastLine: lastTranscriptLine,
  screenChrome: GEMINI_CHROME,
  startWarning: headlessReadOnlyWarning,
};
