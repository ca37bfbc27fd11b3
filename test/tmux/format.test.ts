// Unit tests (no tmux): format strings and the parsing of their output come from one field list.
import { describe, expect, it } from 'vitest';
import { CREATED_FIELDS, formatOf, PANE_FIELDS, parseRows, SEP, SESSION_FIELDS } from '../../src/tmux/format.js';

describe('formatOf', () => {
  it('joins #{field} with the unit separator', () => {
    expect(formatOf(['a', 'b_c', '@treemux-agent'] as const)).toBe(`#{a}${SEP}#{b_c}${SEP}#{@treemux-agent}`);
    expect(formatOf(['only'] as const)).toBe('#{only}');
    expect(SEP).toBe('\x1f');
  });

  it('covers every field of the lists the client uses', () => {
    for (const fields of [SESSION_FIELDS, CREATED_FIELDS, PANE_FIELDS]) {
      expect(formatOf(fields).split(SEP)).toEqual(fields.map((f) => `#{${f}}`));
    }
  });
});

describe('parseRows', () => {
  const FIELDS = ['id', 'name', 'extra'] as const;

  /** What tmux prints for `-F formatOf(FIELDS)`: each value in place of its #{field}. */
  const render = (rows: Record<(typeof FIELDS)[number], string>[]) =>
    rows.map((r) => formatOf(FIELDS).replace(/#\{(\w+)\}/g, (_, f: (typeof FIELDS)[number]) => r[f])).join('\n');

  it('round-trips rows rendered from formatOf, including empty fields', () => {
    const rows = [
      { id: '$0', name: 'app', extra: 'x y' },
      { id: '$1', name: '', extra: '' },
      { id: '', name: 'with;semi #{not} "q"', extra: '' },
    ];
    expect(parseRows(FIELDS, render(rows))).toEqual(rows);
    expect(parseRows(FIELDS, `${render(rows)}\n`)).toEqual(rows);
  });

  it('gives "" for a missing trailing field', () => {
    expect(parseRows(FIELDS, `$0${SEP}app`)).toEqual([{ id: '$0', name: 'app', extra: '' }]);
    expect(parseRows(FIELDS, '$0')).toEqual([{ id: '$0', name: '', extra: '' }]);
  });

  it('skips empty lines and gives no rows for empty output', () => {
    expect(parseRows(FIELDS, '')).toEqual([]);
    expect(parseRows(FIELDS, '\n\n')).toEqual([]);
    expect(parseRows(FIELDS, `a${SEP}b${SEP}c\n\nd${SEP}e${SEP}f`)).toEqual([
      { id: 'a', name: 'b', extra: 'c' },
      { id: 'd', name: 'e', extra: 'f' },
    ]);
  });

  it('parses the pane fields, user options included', () => {
    const values = PANE_FIELDS.map((f) => (f === '@treemux-agent' ? 'agent-1' : f === '@treemux-role' ? '' : `v-${f}`));
    const [row] = parseRows(PANE_FIELDS, values.join(SEP));
    expect(row?.['@treemux-agent']).toBe('agent-1');
    expect(row?.['@treemux-role']).toBe('');
    expect(row?.pane_id).toBe('v-pane_id');
  });
});
