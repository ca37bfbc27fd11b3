// The sidebar's text, pure: every agent of the project, a line each (its window number, status dot,
// name, ports), the pane's own agent highlighted and expanded (branch, database, last line), all cut
// to the pane's width (never wrapped) and scrolled around the own agent when the pane is too short.
// With room to spare the other agents get their last line too. And the bytes that paint the lines
// into a terminal (sidebars.ts writes them to the pane's tty).
import { costText, markers, statusStyle } from './format.js';
import type { AgentRow } from './model.js';

export interface Style {
  color?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export interface Span {
  text: string;
  style?: Style;
}

/** One screen line: styled spans, at most the width in cells. */
export type Line = Span[];

export interface SidebarInput {
  project: string;
  rows: readonly AgentRow[];
  /** the pane's own agent (its window's) */
  own: string | null;
  width: number;
  height: number;
}

// ---- cells ---------------------------------------------------------------------------------------

/** Control characters (C0, DEL, C1) and bidi overrides: never sent to a terminal from an agent's text. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text from an agent (its last line, a branch) made safe to show: controls become spaces. */
export function clean(text: string): string {
  return text.replace(UNSAFE, ' ');
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\u200b-\u200f\ufe00-\ufe0f]$/u;
/** East Asian wide and fullwidth ranges and the emoji blocks (what tmux draws two cells wide). */
const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b],
  [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e],
  [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f200, 0x1f251], [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f900, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

/** Cells a character takes on a terminal: 0, 1 or 2. */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x300) return 1; // ASCII and Latin: the common case, quickly
  if (ZERO_WIDTH.test(ch)) return 0;
  return WIDE.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1;
}

/** Cells a string takes on a terminal. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** The line cut to `width` cells, ending in `…` where it was cut; never more than `width` cells. */
export function cutLine(line: Line, width: number): Line {
  if (width <= 0) return [];
  if (line.reduce((w, s) => w + textWidth(s.text), 0) <= width) return line;
  const out: Line = [];
  let room = width - 1; // one cell for the ellipsis
  let lastStyle: Style | undefined;
  for (const span of line) {
    let text = '';
    for (const ch of span.text) {
      const w = charWidth(ch);
      if (w > room) break;
      text += ch;
      room -= w;
    }
    if (text) out.push({ text, style: span.style });
    lastStyle = span.style;
    if (text.length < span.text.length) break;
  }
  out.push({ text: '…', style: lastStyle });
  return out;
}

/** The line padded with spaces (in its last span's style) to `width` cells. */
function padLine(line: Line, width: number): Line {
  const used = line.reduce((w, s) => w + textWidth(s.text), 0);
  if (used >= width) return line;
  return [...line, { text: ' '.repeat(width - used), style: line[line.length - 1]?.style }];
}

/** The text of a line without its styles (what a person reads; for tests). */
export function plain(line: Line): string {
  return line.map((s) => s.text).join('');
}

// ---- the lines -----------------------------------------------------------------------------------

/** One agent's block: its line, then (own agent, or others when there is room) more lines. */
interface Block {
  row: AgentRow;
  head: Line;
  more: Line[];
}

function withStyle(line: Line, extra: Style): Line {
  return line.map((s) => ({ ...s, style: { ...s.style, ...extra } }));
}

/** `▸ 3 ● auth ⇄ :3001 :4001`: marker, window number, status dot, name, marks, ports. */
function headLine(row: AgentRow, own: boolean, numberWidth: number): Line {
  const style = statusStyle(row);
  const waiting = row.status === 'waiting';
  const line: Line = [
    { text: `${own ? '▸' : ' '}${String(row.index).padStart(numberWidth)} ` },
    { text: style.symbol, style: { color: style.color, dim: style.dim, bold: style.bold } },
    { text: ' ' },
    { text: clean(row.name), style: waiting ? { color: 'yellow', bold: true } : own ? { bold: true } : undefined },
  ];
  const marks = markers(row);
  if (marks) line.push({ text: marks, style: { color: 'yellow' } });
  if (row.status === 'exited' && row.costUsd !== null) line.push({ text: ` ${costText(row.costUsd)}`, style: { dim: true } });
  const ports = Object.values(row.ports).map((p) => `:${p}`).join(' ');
  if (ports) line.push({ text: ` ${ports}`, style: own ? undefined : { dim: true } });
  return own ? withStyle(line, { inverse: true }) : line;
}

/** The own agent's details, under its name: branch, database, last line. */
function ownLines(row: AgentRow, indent: string): Line[] {
  const lines: Line[] = [];
  if (row.branch) lines.push([{ text: indent }, { text: clean(row.branch) }, ...(row.host ? [{ text: ` @${clean(row.host)}`, style: { dim: true } }] : [])]);
  if (row.database) lines.push([{ text: indent }, { text: 'db ', style: { dim: true } }, { text: clean(row.database) }]);
  const last = clean(row.lastLine).trim();
  if (last) lines.push([{ text: indent }, { text: last, style: { dim: true } }]);
  return lines;
}

/** Another agent's last line, when there is room for it. */
function lastLine(row: AgentRow, indent: string): Line[] {
  const last = clean(row.lastLine).trim();
  return last ? [[{ text: indent }, { text: last, style: { dim: true } }]] : [];
}

function header(project: string, rows: readonly AgentRow[]): Line {
  const waiting = rows.filter((r) => r.status === 'waiting').length;
  const line: Line = [{ text: clean(project), style: { bold: true } }];
  if (waiting > 0) line.push({ text: ` ${waiting} need${waiting === 1 ? 's' : ''} you`, style: { color: 'yellow', bold: true } });
  else line.push({ text: ` ${rows.length} agent${rows.length === 1 ? '' : 's'}`, style: { dim: true } });
  return line;
}

/**
 * The sidebar's lines for a pane of `width` × `height`: at most `height` lines of at most `width`
 * cells. The project's name first (with how many agents need you); then every agent in window
 * order, the own one expanded; when they do not all fit, the ones around the own agent, with
 * `↑ N more` / `↓ N more` where some are left out.
 */
export function sidebarLines(input: SidebarInput): Line[] {
  const { width, height } = input;
  if (width <= 0 || height <= 0) return [];
  const rows = [...input.rows].sort((a, b) => a.index - b.index || a.name.localeCompare(b.name));
  const numberWidth = Math.max(1, ...rows.map((r) => String(r.index).length));
  const indent = ' '.repeat(numberWidth + 4); // under the name
  const blocks: Block[] = rows.map((row) => {
    const own = row.name === input.own;
    const head = headLine(row, own, numberWidth);
    // the own agent's line is a bar across the pane
    return { row, head: own ? padLine(cutLine(head, width), width) : head, more: own ? ownLines(row, indent) : [] };
  });
  const lines: Line[] = [];
  if (height >= 3 || rows.length === 0) lines.push(header(input.project, rows));
  if (rows.length === 0) {
    if (height >= 2) lines.push([{ text: 'no agents', style: { dim: true } }]);
    return lines.map((l) => cutLine(l, width));
  }
  const room = height - lines.length;
  const size = (b: Block) => 1 + b.more.length;
  const total = blocks.reduce((n, b) => n + size(b), 0);
  if (total <= room) {
    // room to spare: the others' last lines too, when all of them fit
    const others = blocks.filter((b) => b.row.name !== input.own).map((b) => ({ b, extra: lastLine(b.row, indent) }));
    if (total + others.reduce((n, o) => n + o.extra.length, 0) <= room) for (const o of others) o.b.more = o.extra;
    for (const b of blocks) lines.push(b.head, ...b.more);
  } else {
    lines.push(...scrolled(blocks, input.own, room, rows.length));
  }
  return lines.map((l) => cutLine(l, width));
}

/** Too many agents for `room` lines: a window of them around the own agent (the top without one). */
function scrolled(blocks: Block[], own: string | null, room: number, count: number): Line[] {
  const at = Math.max(0, blocks.findIndex((b) => b.row.name === own));
  const ownBlock = blocks[at]!;
  if (room < 3) return [ownBlock.head, ...ownBlock.more].slice(0, room);
  // the own agent's details give way first when even it does not fit with both marks
  ownBlock.more = ownBlock.more.slice(0, room - 3);
  const size = (b: Block) => 1 + b.more.length;
  const need = (start: number, end: number) => {
    let n = (start > 0 ? 1 : 0) + (end < count ? 1 : 0);
    for (let i = start; i < end; i++) n += size(blocks[i]!);
    return n;
  };
  let start = at;
  let end = at + 1;
  for (let grew = true; grew; ) {
    grew = false;
    if (end < count && need(start, end + 1) <= room) {
      end += 1;
      grew = true;
    }
    if (start > 0 && need(start - 1, end) <= room) {
      start -= 1;
      grew = true;
    }
  }
  const lines: Line[] = [];
  const more = (arrow: string, n: number): Line => [{ text: `${arrow} ${n} more`, style: { dim: true } }];
  if (start > 0) lines.push(more('↑', start));
  for (let i = start; i < end; i++) lines.push(blocks[i]!.head, ...blocks[i]!.more);
  if (end < count) lines.push(more('↓', count - end));
  return lines.slice(0, room);
}

// ---- the bytes -----------------------------------------------------------------------------------

const SGR: Record<string, number> = { black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90, grey: 90 };

function sgrOf(style: Style | undefined): string {
  const codes: number[] = [0];
  if (style?.bold) codes.push(1);
  if (style?.dim) codes.push(2);
  if (style?.inverse) codes.push(7);
  const color = style?.color ? SGR[style.color] : undefined;
  if (color !== undefined) codes.push(color);
  return `\x1b[${codes.join(';')}m`;
}

/**
 * What paints `lines` on a terminal of `height` rows: the cursor hidden, no automatic wrap; each
 * row is placed absolutely and erased before it is written (no full clear: nothing flickers), the
 * rows below the last line erased.
 */
export function paintBytes(lines: readonly Line[], height: number): string {
  let out = '\x1b[?25l\x1b[?7l';
  lines.slice(0, height).forEach((line, i) => {
    out += `\x1b[${i + 1};1H\x1b[0m\x1b[2K`;
    for (const span of line) out += sgrOf(span.style) + span.text;
    out += '\x1b[0m';
  });
  if (lines.length < height) out += `\x1b[${lines.length + 1};1H\x1b[0m\x1b[J`;
  return out;
}

/** The bytes that paint the sidebar of `input` on its pane. */
export function sidebarScreen(input: SidebarInput): string {
  return paintBytes(sidebarLines(input), input.height);
}
