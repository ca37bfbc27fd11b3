// Exact agent status and last line from the signals treemux has: the pane (alive, dead), Claude
// Code's hook events, the growth of the pane's log, and the screen when it was read. Pure.
import { isDead } from './alive.js';
import { kindOf, type KindName } from '../kinds/index.js';
import { stripVTControlCharacters } from 'node:util';
import type { PaneRow } from '../../tmux/index.js';
import { BUSY_WINDOW_S, lastMeaningfulLine, type Status } from './status.js';

export interface HookEvent {
  /** ms since the epoch */
  at: number;
  event: string;
  sessionId?: string;
  transcriptPath?: string;
  message?: string;
  tool?: string;
  /** what the agent said at this event (a turn's last answer, as the client's event carries it): its last line */
  text?: string;
}

export interface Signals {
  pane: PaneRow | undefined;
  kind: KindName;
  /** ms when the pane's log last grew (undefined: never seen growing) */
  logGrewAt?: number;
  /** the last hook event (Claude agents) */
  hook?: HookEvent;
  /** the visible screen, when it was read */
  screen?: string;
  /** a headless agent's run, as its runner records it (its events say what it does) */
  run?: { phase: 'starting' | 'busy' | 'done' };
  now: number;
}

const QUESTION = [
  /Do you want to (proceed|make this edit|create|run|allow)/i,
  /❯\s*1\.\s*Yes/,
  // a numbered choice list with a selection cursor on one choice (AskUserQuestion and friends); a
  // plain numbered list (an agent's plan) is not a question
  /^\s*[›❯]\s*\d\.\s.+\n\s*[›❯]?\s*\d\.\s/m,
  /^\s*[›❯]?\s*\d\.\s.+\n\s*[›❯]\s*\d\.\s/m,
  /\(y\/n\)\s*$/im,
  /\[y\/N\]\s*$/im,
];

const bottom = (screen: string) => screen.replace(/\s+$/, '').split('\n').slice(-16).join('\n');

/** A question for the user on the bottom of the screen (any client's, and the kind's own). */
export function showsQuestion(screen: string, own: readonly RegExp[] = []): boolean {
  const tail = bottom(screen);
  return QUESTION.some((re) => re.test(tail)) || own.some((re) => re.test(tail));
}

export function exactStatus(s: Signals): Status {
  if (!s.pane) return 'stopped';
  if (isDead(s.pane)) return 'exited';
  if (s.run) return s.run.phase === 'done' ? 'exited' : s.run.phase;
  const kind = kindOf(s.kind);
  if (s.screen !== undefined && showsQuestion(s.screen, kind.screen.waiting)) return 'waiting';
  const recent = s.logGrewAt !== undefined && s.now - s.logGrewAt <= BUSY_WINDOW_S * 1000;
  const byEvent = s.hook ? kind.statusFromHook({ hook: s.hook, screen: s.screen, recent }) : undefined;
  if (byEvent) return byEvent;
  if (recent) return 'busy';
  // the client's own busy sign (a spinner that draws in place may not grow the log for a while)
  if (s.screen !== undefined && kind.screen.busy.some((re) => re.test(bottom(s.screen!)))) return 'busy';
  if (s.logGrewAt === undefined) return 'starting';
  return 'idle';
}

/** The last meaningful line of a log's tail: ANSI stripped, carriage-return overwrites applied. */
export function lastLogLine(tail: string, chrome: readonly RegExp[] = []): string {
  const lines = stripVTControlCharacters(tail)
    .split('\n')
    .map((l) => {
      const parts = l.split('\r').filter((p) => p.trim().length > 0);
      return parts[parts.length - 1] ?? '';
    });
  return lastMeaningfulLine(lines.join('\n'), chrome);
}

/** The last hook event in the tail of an events file (JSON lines; the first may be cut by the tail). */
export function lastHookEvent(tail: string): HookEvent | undefined {
  const lines = tail.split('\n').filter((l) => l.trim().startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]!) as HookEvent;
    } catch {
      // a line cut by the tail: try the one before
    }
  }
  return undefined;
}

interface TranscriptLine {
  type?: string;
  message?: { content?: string | { type?: string; text?: string; name?: string; input?: Record<string, unknown> }[] };
}

/** The last assistant text or tool call of a Claude Code transcript's tail (JSON lines). */
export function lastTranscriptLine(tail: string): string {
  const lines = tail.split('\n').filter((l) => l.trim().startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    let entry: TranscriptLine;
    try {
      entry = JSON.parse(lines[i]!) as TranscriptLine;
    } catch {
      continue; // a line cut by the tail (or not JSON): try the one before
    }
    if (entry.type !== 'assistant') continue;
    const content = entry.message?.content;
    if (typeof content === 'string' && content.trim()) return lastLineOfText(content);
    if (!Array.isArray(content)) continue;
    for (let j = content.length - 1; j >= 0; j--) {
      const part = content[j]!;
      if (part.type === 'text' && part.text?.trim()) return lastLineOfText(part.text);
      if (part.type === 'tool_use' && part.name) return lastLineOfText(`${part.name}: ${describeInput(part.input)}`);
    }
  }
  return '';
}

function describeInput(input: Record<string, unknown> | undefined): string {
  if (!input) return '';
  const key = ['command', 'file_path', 'path', 'pattern', 'url', 'description'].find((k) => typeof input[k] === 'string');
  return key ? String(input[key]) : '';
}

/** The last non-empty line of a text, trimmed and cut at 200 characters (a result may span lines). */
export function lastLineOfText(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines[lines.length - 1] ?? '').slice(0, 200);
}
