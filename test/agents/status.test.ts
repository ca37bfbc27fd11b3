import { describe, expect, it } from 'vitest';
import { lastMeaningfulLine } from '../../src/agents/status/status.js';


describe('lastMeaningfulLine', () => {
  it('skips blanks, box drawing, spinners and bare prompts', () => {
    expect(lastMeaningfulLine('hello\nEditing src/a.ts\n╭────╮\n│ >  │\n╰────╯\n\n   \n')).toBe('Editing src/a.ts');
    expect(lastMeaningfulLine('one\n> \n')).toBe('one');
    expect(lastMeaningfulLine('')).toBe('');
  });
  it('skips tmux\'s dead-pane notice', () => {
    expect(lastMeaningfulLine('bye\n\nPane is dead (status 3, Tue Nov 24 14:56:51 2026)\n')).toBe('bye');
  });
});
