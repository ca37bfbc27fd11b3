import { describe, expect, it } from 'vitest';
import { STATUSES } from '../../src/agents/status/status.js';
import { duration, GAP, headerText, MARKER_WIDTH, planColumns, portsText, sortRows, STATUS_STYLE, statusText, visibleRange, wrapText } from '../../src/ui/format.js';
import { row } from './helpers.js';

describe('format', () => {
  it('duration: to the minute (under one: <1m), then hours, days', () => {
    expect(duration(0)).toBe('<1m');
    expect(duration(-5000)).toBe('<1m');
    expect(duration(12_400)).toBe('<1m');
    expect(duration(59_999)).toBe('<1m');
    expect(duration(60_000)).toBe('1m');
    expect(duration(119_999)).toBe('1m');
    expect(duration(4 * 60_000 + 59_000)).toBe('4m');
    expect(duration(2 * 3600_000 + 10)).toBe('2h');
    expect(duration(47 * 3600_000)).toBe('47h');
    expect(duration(3 * 86_400_000)).toBe('3d');
  });

  it('portsText: name:port in layout order', () => {
    expect(portsText({ web: 3001, api: 4001 })).toBe('web:3001 api:4001');
    expect(portsText({})).toBe('');
  });

  it('statusText: a symbol for every status, the exit code for exited', () => {
    for (const s of STATUSES) expect(STATUS_STYLE[s].symbol).toBeTruthy();
    expect(new Set(STATUSES.map((s) => STATUS_STYLE[s].symbol)).size).toBe(STATUSES.length);
    expect(statusText({ status: 'waiting', exitCode: null })).toBe('! waiting');
    expect(statusText({ status: 'exited', exitCode: 137 })).toBe('✗ exited 137');
    expect(statusText({ status: 'exited', exitCode: null })).toBe('✗ exited');
    expect(STATUS_STYLE.waiting).toMatchObject({ color: 'yellow', bold: true });
    expect(STATUS_STYLE.exited.color).toBe('red');
  });

  it('sortRows: waiting first, then by index', () => {
    const rows = [row('c', 3), row('a', 1, { status: 'waiting' }), row('b', 2), row('d', 4, { status: 'waiting' })];
    expect(sortRows(rows).map((r) => r.name)).toEqual(['a', 'd', 'b', 'c']);
    expect(rows.map((r) => r.name)).toEqual(['c', 'a', 'b', 'd']); // not mutated
  });

  it('headerText: total, who needs you, then counts by status', () => {
    const rows = [row('a', 1, { status: 'waiting' }), row('b', 2, { status: 'waiting' }), row('c', 3, { status: 'busy' }), row('d', 4), row('e', 5, { status: 'idle' })];
    expect(headerText('shop', rows)).toBe('shop — 5 agents · 2 need you · 1 busy · 2 idle');
    expect(headerText('shop', [row('a', 1, { status: 'waiting' })])).toBe('shop — 1 agent · 1 needs you');
    expect(headerText('shop', [])).toBe('shop — 0 agents');
  });

  it('wrapText: words to width, at most n lines, an ellipsis when cut', () => {
    expect(wrapText('the quick brown fox', 10, 3)).toEqual(['the quick', 'brown fox']);
    expect(wrapText('the quick brown fox jumps over', 10, 2)).toEqual(['the quick', 'brown fox…']);
    expect(wrapText('abcdefghijkl', 5, 3)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapText('  spaced\n\nout  ', 20, 2)).toEqual(['spaced out']);
    expect(wrapText('', 10, 2)).toEqual([]);
    for (const line of wrapText('x'.repeat(100), 7, 3)) expect(line.length).toBeLessThanOrEqual(7);
  });

  it('visibleRange keeps the selected row visible', () => {
    expect(visibleRange(5, 4, Infinity)).toEqual([0, 5]);
    expect(visibleRange(5, 0, 3)).toEqual([0, 3]);
    expect(visibleRange(5, 4, 3)).toEqual([2, 5]);
    expect(visibleRange(10, 5, 3)).toEqual([3, 6]);
    expect(visibleRange(10, -1, 3)).toEqual([0, 3]);
  });
});

describe('planColumns', () => {
  const rows = [
    row('auth', 1, { ports: { web: 3001, api: 4001 }, database: 'shop_dev_auth', branch: 'feature/auth' }),
    row('cart', 2, { ports: { web: 3002, api: 4002 }, database: 'shop_dev_cart', branch: 'feature/cart' }),
  ];
  const ids = (width: number) => planColumns(rows, width, Date.now()).map((c) => c.id);
  const total = (width: number) => {
    const cols = planColumns(rows, width, Date.now());
    return MARKER_WIDTH + cols.reduce((s, c) => s + c.width, 0) + GAP * (cols.length - 1);
  };

  it('shows every column when there is room, widths from the content, the last line taking the rest', () => {
    const cols = planColumns(rows, 120, Date.now());
    expect(cols.map((c) => c.id)).toEqual(['index', 'name', 'status', 'branch', 'ports', 'database', 'time', 'last']);
    expect(cols.find((c) => c.id === 'name')!.width).toBe('AGENT'.length);
    expect(cols.find((c) => c.id === 'ports')!.width).toBe('web:3001 api:4001'.length);
    expect(total(120)).toBe(120);
  });

  it('drops the database, then the ports, then the branch, then the time, and only then the last line', () => {
    const seen: string[][] = [];
    for (let w = 120; w >= 20; w--) {
      const got = ids(w);
      if (seen.length === 0 || seen.at(-1)!.join() !== got.join()) seen.push(got);
      expect(total(w)).toBeLessThanOrEqual(Math.max(w, total(w))); // never wider than asked once columns are dropped
      expect(got).toEqual(expect.arrayContaining(['index', 'name', 'status']));
    }
    expect(seen).toEqual([
      ['index', 'name', 'status', 'branch', 'ports', 'database', 'time', 'last'],
      ['index', 'name', 'status', 'branch', 'ports', 'time', 'last'],
      ['index', 'name', 'status', 'branch', 'time', 'last'],
      ['index', 'name', 'status', 'time', 'last'],
      ['index', 'name', 'status', 'last'],
      ['index', 'name', 'status'],
    ]);
    for (let w = 120; w >= 40; w--) expect(total(w)).toBeLessThanOrEqual(w);
  });

  it('leaves out the ports and database columns when no agent has any', () => {
    const bare = [row('a', 1, { ports: {}, database: null })];
    expect(planColumns(bare, 120, Date.now()).map((c) => c.id)).toEqual(['index', 'name', 'status', 'branch', 'time', 'last']);
  });
});
