// Claude Code as an agent kind: the task after `--`, print mode with stream-json for headless runs,
// `--resume ID` to continue, status hooks in .claude/settings.local.json, the transcript for the last
// line, the scope guard in its PreToolUse hook.
import { CLAUDE_CHROME, CLAUDE_SCREEN } from './status.js';
import type { ResolvedAgent } from '../../../layout/index.js';
import { ENV } from '../../../project/env.js';
import type { AgentKind } from '../types.js';
import { printModeArgs, resumeArgs } from './args.js';
import { isSessionId } from './ids.js';
import { claudeHook } from './hook.js';
import { headlessPermissionWarning, hookCommand, installHooks, mergeHooks, SETTINGS_FILE } from './settings.js';
import { claudeStatus } from './status.js';
import { emptyFacts, lastLineOf, readEvent, summaryLine } from './stream.js';

export const claude: AgentKind = {
  name: 'claude',
  installHint: () => 'npm install -g @anthropic-ai/claude-code',
  // its parser takes what follows `--` as the prompt, whatever it starts with
  operand: (text) => ['--', text],
  resumeArgs,
  interactiveArgv: (program, args, task, resume) => [program, ...args, ...(resumeArgs(resume) ?? (task.trim() ? ['--', task] : []))],
  isSessionId,
  interactiveSession: (record) => [record?.session, record?.claudeSession].find(isSessionId),
  headlessSession: (record) => [record?.run?.sessionId, record?.session, record?.claudeSession].find(isSessionId),
  // Claude Code reads CLAUDE.local.md beside CLAUDE.md: a file of its own for what is not committed
  instructionsFile: 'CLAUDE.local.md',
  hook: claudeHook,
  screen: CLAUDE_SCREEN,
  headlessArgv: (program, args, prompt, resume) => [
    program,
    ...printModeArgs(args),
    ...(resumeArgs(resume) ?? []),
    ...(prompt.trim().length > 0 ? ['--', prompt] : []),
  ],
  events: { empty: emptyFacts, read: readEvent, summary: summaryLine, lastLine: lastLineOf },
  writtenFiles: [`/${SETTINGS_FILE}`],
  prepare: installHooks,
  remoteSettings: { file: SETTINGS_FILE, merge: (text, hook) => mergeHooks(text, hookCommand(hook)) },
  // the scope guard's rules, for its hooks (with none it still keeps the agent out of the project's other checkouts)
  windowEnv: (spec: ResolvedAgent) => ({ [ENV.scope]: JSON.stringify({ scope: spec.scope, avoid: spec.avoid, mode: spec.scopeMode }) }),
  statusFromHook: claudeStatus,
  lastLineFromLog: true,
  lastLineFromTranscript: true,
  screenChrome: CLAUDE_CHROME,
  startWarning: headlessPermissionWarning,
};
