// The sidebar's text (src/ui/sidebarText.ts): what fits in a pane of a given size, and the bytes
// that paint it.
import { describe, expect, it } from 'vitest';
import { charWidth, clean, cutLine, paintBytes, plain, sidebarLines, sidebarScreen, textWidth, type Line } from '../../src/ui/sidebarText.js';
import type { AgentRow } from '../../src/ui/model.js';
import { row } from './helpers.js';

const agents = (n: number, over: (i: number) => Partial<AgentRow> = () => ({})) =>
  Array.from({ length: n }, (_, i) => row(`a${i + 1}`, i + 1, { ports: { web: 3001 + i }, ...over(i + 1) }));
const text = (input: Parameters<typeof sidebarLines>[0]) => sidebarLines(input).map(plain);

describe('sidebar text', () => {
  it('lists every agent with its number, dot, name and port; its own agent expanded with branch, database and last line', () => {
    const lines = text({ project: 'shop', rows: agents(3), own: 'a2', width: 32, height: 12 });
    expect(lines[0]).toBe('shop 3 agents');
    // 12 lines are room for the others' last lines too
    expect(lines.slice(1)).toEqual([
      ' 1 ○ a1 :3001',
      '     a1 last line',
      '▸2 ○ a2 :3002'.padEnd(32),
      '     feature/a2',
      '     db shop_dev_a2',
      '     a2 last line',
      ' 3 ○ a3 :3003',
      '     a3 last line',
    ]);
    // 8 lines are not: one line each but its own agent's
    expect(text({ project: 'shop', rows: agents(3), own: 'a2', width: 32, height: 8 }).slice(1)).toEqual([
      ' 1 ○ a1 :3001',
      '▸2 ○ a2 :3002'.padEnd(32),
      '     feature/a2',
      '     db shop_dev_a2',
      '     a2 last line',
      ' 3 ○ a3 :3003',
    ]);
  });

  it('30 agents in 50 rows: one line each, the own agent expanded, nothing cut', () => {
    const lines = text({ project: 'app', rows: agents(30), own: 'a17', width: 32, height: 50 });
    expect(lines).toHaveLength(1 + 30 + 3);
    for (let i = 1; i <= 30; i++) expect(lines.some((l) => l.includes(` a${i} :${3000 + i}`))).toBe(true);
    const own = lines.findIndex((l) => l.startsWith('▸17'));
    expect(lines.slice(own + 1, own + 4).map((l) => l.trim())).toEqual(['feature/a17', 'db shop_dev_a17', 'a17 last line']);
    expect(lines.filter((l) => l.includes('last line'))).toHaveLength(1);
  });

  it('too many for the pane: the agents around its own one, with how many are left out above and below', () => {
    const lines = text({ project: 'app', rows: agents(40), own: 'a20', width: 32, height: 12 });
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe('app 40 agents');
    expect(lines[1]).toMatch(/^↑ \d+ more$/);
    expect(lines[11]).toMatch(/^↓ \d+ more$/);
    expect(lines.some((l) => l.startsWith('▸20'))).toBe(true);
    expect(lines.map((l) => l.trim())).toContain('feature/a20');
    const above = Number(/↑ (\d+)/.exec(lines[1]!)![1]);
    const below = Number(/↓ (\d+)/.exec(lines[11]!)![1]);
    const shown = lines.filter((l) => /^[ ▸]\d/.test(l)).length;
    expect(above + shown + below).toBe(40);
  });

  it('the own agent near the top or the bottom: no mark on that side', () => {
    const top = text({ project: 'app', rows: agents(40), own: 'a1', width: 32, height: 10 });
    expect(top[1]!.startsWith('▸ 1')).toBe(true);
    expect(top[top.length - 1]).toMatch(/^↓ \d+ more$/);
    const bottom = text({ project: 'app', rows: agents(40), own: 'a40', width: 32, height: 10 });
    expect(bottom[1]).toMatch(/^↑ \d+ more$/);
    expect(bottom.some((l) => l.startsWith('▸40'))).toBe(true);
    expect(bottom).toHaveLength(10);
  });

  it('a tiny pane still shows the own agent; an empty project says so', () => {
    expect(text({ project: 'app', rows: agents(40), own: 'a7', width: 20, height: 1 })).toEqual(['▸ 7 ○ a7 :3007'.padEnd(20)]);
    expect(text({ project: 'app', rows: [], own: null, width: 20, height: 5 })).toEqual(['app 0 agents', 'no agents']);
    expect(text({ project: 'app', rows: agents(3), own: 'a1', width: 0, height: 5 })).toEqual([]);
  });

  it('cuts every line to the width with …, never more cells, never wrapped', () => {
    const long = agents(5, (i) => ({ name: `agent-with-a-long-name-${i}`, branch: `feature/${'x'.repeat(60)}`, lastLine: '日本語のテキスト '.repeat(10) }));
    for (const width of [8, 13, 20, 32]) {
      const lines = text({ project: 'a-project-with-a-long-name', rows: long, own: 'agent-with-a-long-name-3', width, height: 40 });
      for (const l of lines) expect(textWidth(l), `${width}: ${l}`).toBeLessThanOrEqual(width);
      expect(lines.some((l) => l.endsWith('…'))).toBe(true);
    }
  });

  it('the same status dots and colours as the dashboard; waiting agents counted and in yellow', () => {
    const rows = agents(4, (i) => ({ status: (['waiting', 'busy', 'exited', 'idle'] as const)[i - 1], exitCode: i === 3 ? 1 : null }));
    const lines = sidebarLines({ project: 'app', rows, own: 'a4', width: 32, height: 20 });
    expect(plain(lines[0]!)).toBe('app 1 needs you');
    const dot = (i: number) => lines.find((l) => plain(l).includes(` a${i} `))![1]!;
    expect(dot(1)).toEqual({ text: '!', style: { color: 'yellow', bold: true, dim: undefined } });
    expect(dot(2)).toMatchObject({ text: '●', style: { color: 'green' } });
    expect(dot(3)).toMatchObject({ text: '✗', style: { color: 'red' } });
    expect(dot(4)).toMatchObject({ text: '○', style: { inverse: true } }); // its own: the bar
  });

  it('control characters in what agents print never reach the terminal', () => {
    expect(clean('a\x1b[31mb\x07c\u202ed')).toBe('a [31mb c d');
    const rows = agents(1, () => ({ lastLine: 'evil \x1b]0;title\x07 \x1b[2J done', branch: 'b\x1bc' }));
    const bytes = sidebarScreen({ project: 'app', rows, own: 'a1', width: 40, height: 10 });
    const withoutOurs = bytes.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(withoutOurs).not.toMatch(/[\x00-\x1f\x7f]/);
    expect(bytes).not.toContain('\x1b]0;');
  });

  it('character widths: wide CJK and emoji take 2 cells, combining marks none', () => {
    expect(charWidth('a')).toBe(1);
    expect(charWidth('●')).toBe(1);
    expect(charWidth('日')).toBe(2);
    expect(charWidth('🚀')).toBe(2);
    expect(charWidth('\u0301')).toBe(0);
    expect(textWidth('日本 ok')).toBe(7);
    const cut = cutLine([{ text: '日本語' }], 4);
    expect(plain(cut)).toBe('日…');
  });

  it('paint bytes: cursor hidden, no wrap, each row placed and erased, the rest of the pane erased', () => {
    const lines: Line[] = [[{ text: 'one' }], [{ text: 'two', style: { bold: true, color: 'green' } }]];
    const bytes = paintBytes(lines, 5);
    expect(bytes.startsWith('\x1b[?25l\x1b[?7l')).toBe(true);
    expect(bytes).toContain('\x1b[1;1H\x1b[0m\x1b[2K\x1b[0mone\x1b[0m');
    expect(bytes).toContain('\x1b[2;1H\x1b[0m\x1b[2K\x1b[0;1;32mtwo\x1b[0m');
    expect(bytes.endsWith('\x1b[3;1H\x1b[0m\x1b[J')).toBe(true);
    expect(bytes).not.toContain('\n');
    expect(paintBytes(lines, 2).endsWith('two\x1b[0m')).toBe(true);
  });
});
