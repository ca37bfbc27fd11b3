// Pure text helpers for the dashboard and the sidebar: status symbols and colours, durations, ports,
// the order of the rows, the header counts, text wrapping and the table's column plan.
import type { Status } from '../agents/status/status.js';
import type { AgentRow } from './model.js';

export interface StatusStyle {
  symbol: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

export const STATUS_STYLE: Readonly<Record<Status, StatusStyle>> = {
  waiting: { symbol: '!', color: 'yellow', bold: true },
  busy: { symbol: '●', color: 'green' },
  idle: { symbol: '○' },
  starting: { symbol: '…', color: 'cyan' },
  queued: { symbol: '⧗', dim: true },
  exited: { symbol: '✗', color: 'red' },
  stopped: { symbol: '■', dim: true },
  unreachable: { symbol: '⌁', color: 'magenta' },
};

type StatusFields = Pick<AgentRow, 'status' | 'exitCode'> & Partial<Pick<AgentRow, 'ok' | 'costUsd' | 'created'>>;

/** The status's style; an agent that exited having done its work well shows ✓ instead of ✗. */
export function statusStyle(row: StatusFields): StatusStyle {
  if (row.created === false) return { symbol: '·', dim: true };
  if (row.status === 'exited' && row.ok === true) return { symbol: '✓', color: 'green' };
  return STATUS_STYLE[row.status];
}

/** `$0.0125`, `$1.37` */
export function costText(usd: number): string {
  return `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

/** `! waiting`, `✗ exited 1`, `✓ exited $0.0125` (a finished headless run shows its cost) */
export function statusText(row: StatusFields): string {
  if (row.created === false) return `${statusStyle(row).symbol} not created`;
  let text = `${statusStyle(row).symbol} ${row.status}`;
  if (row.status === 'exited' && row.exitCode !== null && row.exitCode !== 0) text += ` ${row.exitCode}`;
  if (row.status === 'exited' && row.costUsd !== null && row.costUsd !== undefined) text += ` ${costText(row.costUsd)}`;
  return text;
}

/** What the agents' headless runs cost in all (Claude Code's own figures), or null when none reported any. */
export function totalCost(rows: readonly Pick<AgentRow, 'costUsd'>[]): number | null {
  const known = rows.map((r) => r.costUsd).filter((c): c is number => c !== null && c !== undefined);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

/**
 * An age to the minute: `<1m`, `4m`, `2h`, `3d`. Minutes, not seconds, so that the dashboard draws
 * again once a minute, not every second (docs/dashboard.md).
 */
export function duration(ms: number): string {
  const m = Math.max(0, Math.floor(ms / 60_000));
  if (m < 1) return '<1m';
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** `web:3001 api:4001` */
export function portsText(ports: Record<string, number>): string {
  return Object.entries(ports)
    .map(([name, port]) => `${name}:${port}`)
    .join(' ');
}

/** Agents that wait for the user first, then layout order. */
export function sortRows(rows: readonly AgentRow[]): AgentRow[] {
  const rank = (r: AgentRow) => (r.status === 'waiting' ? 0 : 1);
  return [...rows].sort((a, b) => rank(a) - rank(b) || a.index - b.index || a.name.localeCompare(b.name));
}

const COUNT_ORDER: readonly Status[] = ['busy', 'starting', 'idle', 'queued', 'exited', 'stopped'];

export interface HeaderPart {
  text: string;
  tone: 'project' | 'alert' | 'plain';
}

/** `shop — 5 agents · 2 need you · 1 busy` as styled parts (the first is the project). */
export function headerParts(project: string, rows: readonly AgentRow[]): HeaderPart[] {
  const count = (s: Status) => rows.filter((r) => r.status === s && r.created !== false).length;
  const parts: HeaderPart[] = [
    { text: project, tone: 'project' },
    { text: `${rows.length} agent${rows.length === 1 ? '' : 's'}`, tone: 'plain' },
  ];
  const waiting = count('waiting');
  if (waiting > 0) parts.push({ text: `${waiting} need${waiting === 1 ? 's' : ''} you`, tone: 'alert' });
  for (const s of COUNT_ORDER) {
    const n = count(s);
    if (n > 0) parts.push({ text: `${n} ${s}`, tone: 'plain' });
  }
  const notMade = rows.filter((r) => r.created === false).length;
  if (notMade > 0) parts.push({ text: `${notMade} not created`, tone: 'plain' });
  const cost = totalCost(rows);
  if (cost !== null) parts.push({ text: `${costText(cost)} spent`, tone: 'plain' });
  return parts;
}

export function headerText(project: string, rows: readonly AgentRow[]): string {
  const [first, ...rest] = headerParts(project, rows);
  return `${first!.text} — ${rest.map((p) => p.text).join(' · ')}`;
}

/** Greedy word wrap to at most `maxLines` lines; the last kept line ends with `…` when text was cut. */
export function wrapText(text: string, width: number, maxLines: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  const push = () => {
    lines.push(line);
    line = '';
  };
  for (let word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if (!word) continue;
    while (word.length > w) {
      if (line) push();
      lines.push(word.slice(0, w));
      word = word.slice(w);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= w) line += ` ${word}`;
    else {
      push();
      line = word;
    }
  }
  if (line) push();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = `${last.length >= w ? last.slice(0, w - 1) : last}…`;
  return kept;
}

/** The rows [start, end) to show so that position `pos` stays visible in `max` lines. */
export function visibleRange(count: number, pos: number, max: number): [number, number] {
  if (!Number.isFinite(max) || count <= max) return [0, count];
  const size = Math.max(1, max);
  const start = Math.min(Math.max(0, pos - size + 1), count - size);
  return [Math.max(0, start), Math.max(0, start) + size];
}

// ---- the table's columns -----------------------------------------------------------------------

export type ColumnId = 'index' | 'name' | 'host' | 'status' | 'branch' | 'ports' | 'database' | 'time' | 'last';

export interface Column {
  id: ColumnId;
  title: string;
  width: number;
}

const TITLES: Record<ColumnId, string> = {
  index: '#', name: 'AGENT', host: 'HOST', status: 'STATUS', branch: 'BRANCH', ports: 'PORTS', database: 'DATABASE', time: 'TIME', last: 'LAST LINE',
};
const CAPS: Partial<Record<ColumnId, number>> = { name: 20, host: 16, branch: 28, ports: 26, database: 22 };
/** the width of the selection marker at the start of each row */
export const MARKER_WIDTH = 2;
export const GAP = 2;
const MIN_LAST = 16;
const MIN_LAST_KEPT = 8;
/** what goes first when the terminal is narrow (the last line goes only after all of these) */
const DROP_ORDER: readonly ColumnId[] = ['database', 'ports', 'branch', 'time', 'host'];

/** After the name: ⚠ scope violations, ⇄ predicted merge conflicts. */
export function markers(row: AgentRow): string {
  return `${row.violations?.length ? ' ⚠' : ''}${row.conflicts?.length ? ' ⇄' : ''}`;
}

export function cellText(id: ColumnId, row: AgentRow, now: number): string {
  switch (id) {
    case 'index': return String(row.index);
    case 'name': return `${row.name}${markers(row)}`;
    case 'host': return row.host ?? 'local';
    case 'status': return statusText(row);
    case 'branch': return row.branch;
    case 'ports': return portsText(row.ports) || '-';
    case 'database': return row.database ?? '-';
    case 'time': return row.created === false ? '-' : duration(now - row.since);
    case 'last': return row.lastLine;
  }
}

/** Which columns fit in `width`, and how wide each is: widths follow the content; the last line takes the rest. */
export function planColumns(rows: readonly AgentRow[], width: number, now: number): Column[] {
  const present = (id: ColumnId) =>
    id === 'ports' ? rows.some((r) => Object.keys(r.ports).length > 0)
      : id === 'database' ? rows.some((r) => r.database !== null)
      : id === 'host' ? rows.some((r) => r.host !== undefined) // once an agent runs on another host
      : true;
  const natural = (id: ColumnId) =>
    Math.min(CAPS[id] ?? Infinity, Math.max(TITLES[id].length, ...rows.map((r) => cellText(id, r, now).length)));
  let ids: ColumnId[] = (['index', 'name', 'host', 'status', 'branch', 'ports', 'database', 'time'] as const).filter(present);
  const fixed = () => MARKER_WIDTH + ids.reduce((sum, id) => sum + natural(id) + GAP, 0);
  for (const drop of DROP_ORDER) {
    if (width - fixed() >= MIN_LAST) break;
    ids = ids.filter((id) => id !== drop);
  }
  const columns: Column[] = ids.map((id) => ({ id, title: TITLES[id], width: natural(id) }));
  const rest = width - fixed();
  if (rest >= MIN_LAST_KEPT) columns.push({ id: 'last', title: TITLES.last, width: rest });
  return columns;
}
