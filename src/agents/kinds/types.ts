// Seam 1: what differs between agent CLIs. Everything kind-specific goes through an AgentKind: how the
// program starts (interactive, headless, resumed), the files it reads and treemux writes for it, the
// events it emits and what they mean for status, its last line, its cost. Claude Code is the first
// implementation (kinds/claude/), any terminal program the second (kinds/other.ts).
import type { ResolvedAgent } from '../../layout/index.js';
import type { HookEvent } from '../status/rules.js';
import type { Status } from '../status/status.js';
import type { RunFacts } from './facts.js';
import type { KindName } from './names.js';

/** The client's own event stream in headless mode, read line by line into the run's facts. */
export interface EventReader {
  empty(): RunFacts;
  read(facts: RunFacts, line: string): { facts: RunFacts; shown: string[]; changed: boolean };
  /** The window's last line when the program ended. */
  summary(facts: RunFacts, exit: { code: number | null; signal: string | null }): string;
  lastLine(facts: RunFacts): string;
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
  /** The conversation an interactive window coming back continues, from what was recorded. */
  interactiveSession(record: { claudeSession?: string } | undefined): string | undefined;
  /** The conversation an interrupted or continued headless run resumes. */
  headlessSession(record: { claudeSession?: string; run?: { sessionId?: string } } | undefined): string | undefined;
  /** The headless command line: program, its args made machine-readable, resume, prompt. */
  headlessArgv(program: string, args: readonly string[], prompt: string, resume: string | undefined): string[];
  /** The client's event stream in headless mode; null: plain output, the outcome is its exit status. */
  readonly events: EventReader | null;
  /** Files treemux writes in a worktree for this kind, as info/exclude patterns. */
  readonly writtenFiles: readonly string[];
  /** Make the worktree ready (status hooks in the client's local settings). */
  prepare(worktree: string): Promise<void>;
  /** Variables for the agent's window (the scope guard's rules for its hooks). */
  windowEnv(spec: ResolvedAgent): Record<string, string>;
  /** Status from the client's own last event; undefined: the screen and output decide. */
  statusFromHook(s: HookSignals): Status | undefined;
  /** Whether the last line comes from the transcript the client's events name. */
  readonly lastLineFromTranscript: boolean;
  /** One warning about these agents of this kind before they start, or null. */
  startWarning(ctx: { repo: { root: string } }, specs: readonly ResolvedAgent[]): string | null;
}
