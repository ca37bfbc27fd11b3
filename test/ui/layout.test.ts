import { describe, expect, it } from 'vitest';
import { dashLayout, PANEL_LINES, PREVIEW_MIN_LINES, SIDE_COLUMNS, SIDE_GAP, tableLines, type DashLayout, type LayoutInput } from '../../src/ui/layout.js';

const input = (over: Partial<LayoutInput> = {}): LayoutInput => ({ columns: 200, height: 50, agents: 5, panelLines: () => PANEL_LINES, preview: true, ...over });

/** Every line the dashboard draws with this layout: header, table, panel, preview, message, help bar. */
function drawn(l: DashLayout, agents: number): number {
  const table = tableLines(agents, l.maxRows);
  const panel = l.panel === null ? 0 : 1 + l.panel;
  const left = table + panel;
  const body = l.preview?.side ? Math.max(left, l.preview.height) : left + (l.preview ? 1 + l.preview.height : 0);
  return 1 + body + 2;
}

describe('dashLayout', () => {
  it('puts the preview beside the table from 160 columns, as high as the body', () => {
    const l = dashLayout(input());
    expect(l.preview?.side).toBe(true);
    expect(l.preview!.width + SIDE_GAP + l.tableWidth).toBe(200);
    expect(l.preview!.height).toBe(50 - 4);
    expect(l.preview!.lines).toBe(l.preview!.height - 2);
    expect(l.preview!.columns).toBe(l.preview!.width - 4);
    expect(dashLayout(input({ columns: SIDE_COLUMNS })).preview?.side).toBe(true);
    expect(dashLayout(input({ columns: SIDE_COLUMNS - 1 })).preview?.side).toBe(false);
  });

  it('puts it under the table below 160 columns, in what the table and the details leave', () => {
    const l = dashLayout(input({ columns: 120, height: 40 }));
    expect(l.preview).toMatchObject({ side: false, width: 120 });
    expect(l.tableWidth).toBe(120);
    expect(l.maxRows).toBeGreaterThanOrEqual(5); // every agent shown
    expect(drawn(l, 5)).toBe(39);
  });

  it('never draws more lines than the terminal has, less one (Ink clears the screen for a full one)', () => {
    for (const columns of [80, 120, 159, 160, 200, 300]) {
      for (const height of [20, 24, 30, 40, 50, 80]) {
        for (const agents of [0, 1, 5, 12, 30]) {
          for (const preview of [true, false]) {
            for (const panelLines of [1, PANEL_LINES, 7, 12]) {
              const l = dashLayout(input({ columns, height, agents, preview, panelLines: () => panelLines }));
              expect(drawn(l, agents), JSON.stringify({ columns, height, agents, preview, panelLines })).toBeLessThanOrEqual(height - 1);
              if (l.preview) expect(l.preview.lines).toBeGreaterThanOrEqual(PREVIEW_MIN_LINES);
            }
          }
        }
      }
    }
  });

  it('under the table, keeps 8 agent rows before the preview takes room, and leaves the preview out when it has none', () => {
    const many = dashLayout(input({ columns: 120, height: 40, agents: 30 }));
    expect(many.maxRows).toBeGreaterThanOrEqual(8);
    expect(many.preview?.lines).toBe(PREVIEW_MIN_LINES);
    // 80x24 with details of 7 lines: 5 agents leave the preview 3 lines; 10 agents leave it none
    const small = dashLayout(input({ columns: 80, height: 24, agents: 5, panelLines: () => 7 }));
    expect(small.preview?.lines).toBe(3);
    expect(small.maxRows).toBeGreaterThanOrEqual(5);
    const full = dashLayout(input({ columns: 80, height: 24, agents: 10, panelLines: () => 7 }));
    expect(full.preview).toBeNull(); // the table and the details first
    expect(full.maxRows).toBe(10);
  });

  it('p off: no preview, the table as wide as the terminal', () => {
    const l = dashLayout(input({ preview: false }));
    expect(l.preview).toBeNull();
    expect(l.tableWidth).toBe(200);
  });

  it('a short terminal: no details; the preview only beside the table', () => {
    expect(dashLayout(input({ columns: 120, height: 15 }))).toMatchObject({ panel: null, preview: null });
    expect(dashLayout(input({ columns: 200, height: 15 })).preview).toMatchObject({ side: true, height: 11 });
  });

  it('an unknown height (not a terminal): every row, a preview of 10 lines', () => {
    expect(dashLayout(input({ height: undefined })).preview).toMatchObject({ side: true, lines: 10 });
    expect(dashLayout(input({ columns: 100, height: undefined }))).toMatchObject({ maxRows: Infinity, preview: { side: false, lines: 10 } });
  });

  it('reserves the lines the details need at the table width', () => {
    const widths: number[] = [];
    const l = dashLayout(input({ panelLines: (w) => (widths.push(w), 11) }));
    expect(l.panel).toBe(11);
    expect(widths).toEqual([l.tableWidth]);
  });
});
