// The preview's text, pure: the bottom of an agent's screen fitted to the preview (every line cut to
// its width in terminal cells, never wrapped; control characters made harmless) and its frame's top.
import { charWidth, clean, textWidth } from './sidebarText.js';

/** TEXT cut to WIDTH cells, as a screen is cut at its edge (no ellipsis); a wide character that would straddle the edge is left out. */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > width) break;
    out += ch;
    used += w;
  }
  return out;
}

/** What the preview shows of a screen's LINES: the bottom HEIGHT of them, each cut to WIDTH cells. */
export function previewRows(lines: readonly string[], width: number, height: number): string[] {
  if (height <= 0) return [];
  return lines.slice(-height).map((line) => clip(clean(line), width).replace(/\s+$/, ''));
}

/**
 * The frame's top line, WIDTH cells, in three parts: `╭─ `, the title (cut when it does not fit), and
 * ` ────╮`. Joined: `╭─ TITLE ────╮`.
 */
export function frameTop(title: string, width: number): [string, string, string] {
  if (width < 2) return ['─'.repeat(Math.max(0, width)), '', ''];
  const room = width - 2; // the corners
  const name = room >= 5 ? clip(clean(title), room - 3) : '';
  if (!name) return ['╭', '', `${'─'.repeat(room)}╮`];
  return ['╭─ ', name, ` ${'─'.repeat(Math.max(0, room - 3 - textWidth(name)))}╮`];
}
