// Agent statuses, and reading a screen's last meaningful line. The rules that decide a status are in rules.ts.

export const STATUSES = ['queued', 'starting', 'busy', 'waiting', 'idle', 'exited', 'stopped', 'unreachable'] as const;
export type Status = (typeof STATUSES)[number];

/** Output within this many seconds counts as working. */
export const BUSY_WINDOW_S = 3;

const NOISE = /^[\s─━│┃┌┐└┘├┤┬┴┼╭╮╯╰═║╔╗╚╝•·⠁-⣿✻✶✳✢*>❯$#%-]*$/u;

/**
 * The last meaningful line of a screen: skips blanks, box drawing, spinners and bare prompts, and the
 * client's own chrome (CHROME: its footer and hints, per kind: AgentKind.screenChrome).
 */
export function lastMeaningfulLine(screen: string, chrome: readonly RegExp[] = []): string {
  const lines = screen.split('\n').map((l) => l.replace(/[│┃║]/gu, ' ').trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.length > 0 && !NOISE.test(line) && !/^Pane is dead/.test(line) && !chrome.some((c) => c.test(line))) return line.slice(0, 200);
  }
  return '';
}
