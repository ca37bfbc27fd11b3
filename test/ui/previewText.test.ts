import { describe, expect, it } from 'vitest';
import { clip, frameTop, previewRows } from '../../src/ui/previewText.js';
import { textWidth } from '../../src/ui/sidebarText.js';

describe('preview text', () => {
  it('clip cuts at a width in cells, never splitting a wide character, with no ellipsis', () => {
    expect(clip('hello world', 5)).toBe('hello');
    expect(clip('hi', 5)).toBe('hi');
    expect(clip('日本語', 5)).toBe('日本'); // 4 cells: the third would straddle the edge
    expect(clip('anything', 0)).toBe('');
  });

  it('previewRows: the bottom of the screen, each line cut to the width, controls made harmless', () => {
    const screen = ['one', 'two', `three ${'x'.repeat(100)}`, 'bell\x07here\x1b[2J', 'last   '];
    const rows = previewRows(screen, 20, 3);
    expect(rows).toEqual(['three xxxxxxxxxxxxxx', 'bell here [2J', 'last']);
    for (const r of rows) expect(textWidth(r)).toBeLessThanOrEqual(20);
    expect(previewRows(screen, 20, 0)).toEqual([]);
  });

  it('frameTop: corners, the title, and a rule to the width', () => {
    expect(frameTop('3 auth', 20).join('')).toBe('╭─ 3 auth ─────────╮');
    for (const w of [2, 3, 6, 7, 10, 40]) expect(textWidth(frameTop('a-long-agent-name', w).join('')), String(w)).toBe(w);
    expect(frameTop('a-long-agent-name', 12)[1]).toBe('a-long-');
  });
});
