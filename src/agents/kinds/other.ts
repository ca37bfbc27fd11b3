// Any terminal program as an agent kind: the task as its last argument (after `--` only when it
// starts with `-`, so `bash`, `cat` and scripts see just the task), no events (status from its pane,
// output and screen), no resume; headless, its output as it is and its exit status as the outcome.
import type { AgentKind } from './types.js';

export const other: AgentKind = {
  name: 'other',
  installHint: (command) => `install ${command} or fix agent.command`,
  // most parsers stop reading options at `--`; one that does not start with `-` needs none
  operand: (text) => (text.startsWith('-') ? ['--', text] : [text]),
  resumeArgs: () => undefined,
  interactiveArgv: (program, args, task) => [program, ...args, ...(task.trim() ? other.operand(task) : [])],
  isSessionId: (value: unknown): value is string => false,
  interactiveSession: () => undefined,
  headlessSession: () => undefined,
  headlessArgv: (program, args, prompt) => [program, ...args, ...(prompt.trim().length > 0 ? other.operand(prompt) : [])],
  events: null,
  // read by nothing in particular: where the instructions were before there were other kinds
  instructionsFile: 'CLAUDE.local.md',
  hook: null,
  screen: { waiting: [], busy: [] },
  writtenFiles: [],
  prepare: async () => undefined,
  windowEnv: () => ({}),
  statusFromHook: () => undefined,
  lastLineFromLog: true,
  lastLineFromTranscript: false,
  screenChrome: [],
  startWarning: () => null,
};
