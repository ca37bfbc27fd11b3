// OpenCode (opencode-ai, 1.18) as an agent kind: the task as `--prompt=TEXT`, `run --format json` for
// headless runs, `--session ID` to continue, status events from treemux's plugin in the worktree's
// .opencode/plugin/ (which also carries the scope guard), the agent's instructions added to its
// config through OPENCODE_CONFIG_CONTENT. See docs/agents-opencode.md.
import type { ResolvedAgent } from '../../../layout/index.js';
import { ENV } from '../../../project/env.js';
import type { AgentKind, HookReader } from '../types.js';
import { eventOf, scopeDecision } from './hook.js';
import { lastLineFromHook } from './last-line.js';
import { headlessArgv, operand, resumeArgs } from './args.js';
import { CONFIG_CONTENT_VAR, configContent } from './config.js';
import { isOpenCodeSessionId } from './ids.js';
import { installPlugin, PLUGIN_FILE } from './plugin.js';
import { OPENCODE_CHROME, OPENCODE_QUESTION, OPENCODE_SCREEN, opencodeStatus } from './status.js';
import { emptyFacts, lastLineOf, readEvent, settle, summary } from './stream.js';

export { eventOf, handleOpenCodeHook, scopeDecision, writeTargets } from './hook.js';
export { OPENCODE_QUESTION, OPENCODE_SCREEN, screenStatus } from './status.js';
export { settle, type OpenCodeRunFacts, type TokenCounts } from './stream.js';
export { lastLineFromHook } from './last-line.js';
export { PLUGIN_FILE } from './plugin.js';

const hook: HookReader = {
  eventOf: (payload, now) => {
    const event = eventOf(payload, now);
    // what the agent said when its turn ended (eventOf keeps its last line): the last line
    const said = lastLineFromHook(event);
    if (said) event.text = said;
    return event;
  },
  respond: (payload, env) => {
    const decision = scopeDecision(payload, env);
    if (!decision) return null;
    // the plugin throws this at OpenCode: the tool fails with the reason, the model reads it
    return { stdout: decision.deny ? JSON.stringify({ deny: true, reason: decision.reason }) : '', note: decision.reason };
  },
  // a resumed TUI makes no session: its first turn's end says which it is
  sessionOf: (event) => (event.event === 'session.created' || event.event === 'session.idle' ? event.sessionId : undefined),
};

export const opencode: AgentKind = {
  name: 'opencode',
  installHint: () => 'npm install -g opencode-ai',
  operand,
  resumeArgs,
  // the TUI ignores --prompt when it resumes: the conversation comes back, waiting for the user
  interactiveArgv: (program, args, task, resume) => [program, ...args, ...(resumeArgs(resume) ?? (task.trim() ? operand(task) : []))],
  isSessionId: isOpenCodeSessionId,
  interactiveSession: (record) => [record?.session, record?.claudeSession].find(isOpenCodeSessionId),
  headlessSession: (record) => [record?.run?.sessionId, record?.session, record?.claudeSession].find(isOpenCodeSessionId),
  headlessArgv,
  events: { empty: emptyFacts, read: readEvent, summary, lastLine: lastLineOf, settle },
  // OpenCode reads AGENTS.md (CLAUDE.md without one), never CLAUDE.local.md: windowEnv adds it to its
  // instructions through OPENCODE_CONFIG_CONTENT
  instructionsFile: 'CLAUDE.local.md',
  hook,
  screen: { waiting: OPENCODE_QUESTION, busy: [OPENCODE_SCREEN.busy] },
  writtenFiles: [`/${PLUGIN_FILE}`],
  prepare: (worktree, hookArgv) => installPlugin(worktree, hookArgv.slice(0, -3)),
  windowEnv: (spec: ResolvedAgent) => {
    const env: Record<string, string> = { [ENV.scope]: JSON.stringify({ scope: spec.scope, avoid: spec.avoid, mode: spec.scopeMode }) };
    const content = configContent(process.env[CONFIG_CONTENT_VAR]);
    if (content !== undefined) env[CONFIG_CONTENT_VAR] = content;
    return env;
  },
  statusFromHook: opencodeStatus,
  // its TUI draws with cursor moves, no newlines: its log has no readable line
  lastLineFromLog: false,
  lastLineFromTranscript: false,
  screenChrome: OPENCODE_CHROME,
  startWarning: () => null,
};
