import { describe, expect, it } from 'vitest';
import { atLeast } from '../../src/commands/doctor.js';
import { table } from '../../src/commands/ls.js';

describe('atLeast', () => {
  it('compares tmux and git versions', () => {
    expect(atLeast('3.3a', '3.2')).toBe(true);
    expect(atLeast('3.2', '3.2')).toBe(true);
    expect(atLeast('3.1c', '3.2')).toBe(false);
    expect(atLeast('2.39.5', '2.38')).toBe(true);
    expect(atLeast('2.37.1', '2.38')).toBe(false);
    expect(atLeast('next-3.4', '3.2')).toBe(true);
  });
});

describe('table', () => {
  it('pads columns but not the last', () => {
    expect(table([['A', 'BB', 'C'], ['aaa', 'b', 'last one']])).toBe('A    BB  C\naaa  b   last one');
  });
});
