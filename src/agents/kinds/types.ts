// Seam 1: what differs between agent CLIs. Everything kind-specific goes through an AgentKind: how the
// program starts (interactive, headless, resumed), the files it reads and treemux writes for it, the
// events it emits and what they mean for status, its last line, its cost. Claude Code is the first
// implementation (kinds/claude/), any terminal program the second (kinds/other.ts).
import type { ResolvedAgent } from '../../layout/index.js';
import type { HookEvent } from '../status/rules.js';
import type { Status } from '../status/status.js';
import type { RunFacts } from './facts.js';
import type { KindName } from './names.js';
import type { AgentEnv } from '../../project/env.js';

/** What a kind reads of an agent's record to continue its conversation. */
export interface SessionRecord {
  /** the client's conversation id, as its events told it */
  session?: string;
  /** the same, as treemux before 0.2 recorded it for Claude Code */
  claudeSession?: string;
  run?: { sessionId?: string };
}

/** The client's own event stream in headless mode, read line by line into the run's facts. */
export interface EventReader {
  empty(): RunFacts;
  read(facts: RunFacts, line: string): { facts: RunFacts; shown: string[]; changed: boolean };
  /** The window's last line when the program ended. */
  summary(facts: RunFacts, exit: { code: number | null; signal: string | null }): string;
  lastLine(facts: RunFacts): string;
  /** The facts when the program ended without a result event (a client whose stream has no closing line): what its exit says. */
  settle?(facts: RunFacts, exit: { code: number | null; signal: string | null }): RunFacts;
}

/**
 * What the client's own event mechanism (hooks, a notify program, a plugin) hands `treemux hook --kind
 * K`: the payload as the client wrote it (JSON on stdin or as the last argument), read by the kind.
 */
export interface HookReader {
  /** The event as treemux keeps it, every value checked (the input comes from a program treemux does not control); null: not one treemux keeps. */
  eventOf(payload: Record<string, unknown>, now: number): HookEvent | null;
  /**
   * What to print for the client to read (a scope guard's denial before a tool runs, context when a
   * session starts), and the note to keep with the event (the guard's reason); null: nothing.
   */
  respond?(payload: Record<string, unknown>, env: AgentEnv): Promise<{ stdout: string; note?: string } | null> | { stdout: string; note?: string } | null;
  /** The conversation id this event tells (recorded for resuming; asked only of events that start or end a turn, each costs a state write). */
  sessionOf?(event: HookEvent): string | undefined;
}

/** Screen rules for when the client's events say nothing (kept per kind, each with a recorded screen in test/fixtures/screens/). */
export interface ScreenRules {
  /** a question for the user (permission, choice) */
  waiting: readonly RegExp[];
  /** working (a spinner, "esc to interrupt") */
  busy: readonly RegExp[];
}

/** What the status rules know of an agent besides its kind (see status/rules.ts). */
export interface HookSignals {
  hook: HookEvent;
  /** the screen, when it was read */
  screen: string | undefined;
  /** its output grew within the busy window */
  recent: boolean;
}

export interface AgentKind {
  readonly name: KindName;
  /** What to tell a user whose PATH lacks the program. */
  installHint(command: string): string;
  /**
   * The task (or a prompt) as the program's last arguments, never an option: what the client's parser
   * takes as the prompt.
   */
  operand(text: string): string[];
  /** Arguments to continue a recorded conversation instead of starting one (undefined: cannot). */
  resumeArgs(sessionId: string | undefined): string[] | undefined;
  /**
   * The interactive command line: program, the layout's args, and either the resume arguments or the
   * task as the first prompt (never as an option); `hook` is treemux's hook command for clients that
   * take their event program on the command line.
   */
  interactiveArgv(program: string, args: readonly string[], task: string, resume: string | undefined, hook: readonly string[]): string[];
  /** Whether a value recorded as this client's conversation id is one (checked before it reaches a command line). */
  isSessionId(value: unknown): value is string;
  /** The conversation an interactive window coming back continues, from what was recorded. */
  interactiveSession(record: SessionRecord | undefined): string | undefined;
  /** The conversation an interrupted or continued headless run resumes. */
  headlessSession(record: SessionRecord | undefined): string | undefined;
  /** The file this client reads its instructions from, written by treemux in the worktree (never over a tracked file). */
  readonly instructionsFile: string;
  /** The headless command line: program, its args made machine-readable, resume, prompt. */
  headlessArgv(program: string, args: readonly string[], prompt: string, resume: string | undefined): string[];
  /** The client's event stream in headless mode; null: plain output, the outcome is its exit status. */
  readonly events: EventReader | null;
  /** Files treemux writes in a worktree for this kind, as info/exclude patterns. */
  readonly writtenFiles: readonly string[];
  /** Make the worktree ready (status hooks in the client's local settings; `hook` is treemux's hook command). */
  prepare(worktree: string, hook: readonly string[]): Promise<void>;
  /**
   * Its hooks on another host, where treemux is not (agents/hosts/up.ts): the settings file in the
   * worktree and how to merge the hook command (HOOK, an argument array) into its text (null: none
   * yet). Absent: a client whose hooks are on its command line (HOOK argv of interactiveArgv) or that
   * has none there.
   */
  remoteSettings?: { file: string; merge(text: string | null, hook: readonly string[]): string };
  /** Variables for the agent's window (the scope guard's rules for its hooks). */
  windowEnv(spec: ResolvedAgent): Record<string, string>;
  /** What the client's event mechanism hands treemux (null: it has none; status from the screen). */
  readonly hook: HookReader | null;
  /** Status from the screen where the events say nothing. */
  readonly screen: ScreenRules;
  /** Status from the client's own last event; undefined: the screen and output decide. */
  statusFromHook(s: HookSignals): Status | undefined;
  /** Whether the pane's log has readable lines (a client that draws with cursor moves only has none: its last line comes from its events, else its screen). */
  readonly lastLineFromLog: boolean;
  /** Whether the last line comes from the transcript the client's events name. */
  readonly lastLineFromTranscript: boolean;
  /** The last line of the tail of that transcript (default: Claude Code's format). */
  transcriptLastLine?(tail: string): string;
  /** Lines of the client's own screen (footer, hints) that are never an agent's last line. */
  readonly screenChrome: readonly RegExp[];
  /** One warning about these agents of this kind before they start, or null. */
  startWarning(ctx: { repo: { root: string } }, specs: readonly ResolvedAgent[]): string | null;
}
