// An agent's status from what tmux reports about its window: a pure function, unit-tested.
import type { PaneRow } from '../tmux/index.js';

export const STATUSES = ['queued', 'starting', 'busy', 'waiting', 'idle', 'exited', 'stopped'] as const;
export type Status = (typeof STATUSES)[number];

/** Output within this many seconds counts as working. */
export const BUSY_WINDOW_S = 3;

const QUESTION = [/Do you want to (proceed|make this edit|create|run)/i, /❯\s*1\.\s*Yes/, /\(y\/n\)\s*$/im, /\[y\/N\]\s*$/im];

export interface StatusInput {
  pane: PaneRow | undefined;
  nowS: number;
  /** the visible screen, when it was read */
  screen?: string;
}

export function statusOf({ pane, nowS, screen }: StatusInput): Status {
  if (!pane) return 'stopped';
  if (pane.pane_dead === '1') return 'exited';
  if (screen && QUESTION.some((re) => re.test(lastLines(screen, 12)))) return 'waiting';
  const activity = Number(pane.window_activity);
  if (Number.isFinite(activity) && nowS - activity <= BUSY_WINDOW_S) return 'busy';
  return 'idle';
}

function lastLines(screen: string, n: number): string {
  return screen.replace(/\s+$/, '').split('\n').slice(-n).join('\n');
}

const NOISE = /^[\s─━│┃┌┐└┘├┤┬┴┼╭╮╯╰═║╔╗╚╝•·⠁-⣿✻✶✳✢*>❯$#%-]*$/u;

/** The last meaningful line of a screen: skips blanks, box drawing, spinners and bare prompts. */
export function lastMeaningfulLine(screen: string): string {
  const lines = screen.split('\n').map((l) => l.replace(/[│┃║]/gu, ' ').trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.length > 0 && !NOISE.test(line) && !/^Pane is dead/.test(line)) return line.slice(0, 200);
  }
  return '';
}
