import { describe, expect, it } from 'vitest';
import { quoteArg } from '../../src/tmux/control.js';

describe('quoteArg', () => {
  it('leaves ids and plain words, single-quotes the rest', () => {
    expect(quoteArg('%12')).toBe('%12');
    expect(quoteArg('$3')).toBe('$3');
    expect(quoteArg('list-panes')).toBe('list-panes');
    expect(quoteArg('#{pane_id}')).toBe("'#{pane_id}'");
    expect(quoteArg("it's")).toBe("'it'\\''s'");
  });
});
