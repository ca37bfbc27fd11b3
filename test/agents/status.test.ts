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

describe("a client's own chrome is never the last line", () => {
  it("skips Claude Code's footer and hints, and only for Claude Code", async () => {
    const { kindOf } = await import('../../src/agents/kinds/index.js');
    // Claude Code 2.1.x idle after an answer, as captured from its pane (footer under the prompt box)
    const screen = [
      '> Create approved.txt',
      '',
      '● All done: approved.txt exists.',
      '',
      '╭──────────────────────────────────────────────╮',
      '│ >                                            │',
      '╰──────────────────────────────────────────────╯',
      '  ? for shortcuts',
      '',
    ].join('\n');
    expect(lastMeaningfulLine(screen, kindOf('claude').screenChrome)).toBe('● All done: approved.txt exists.');
    expect(lastMeaningfulLine('● Working…\n  ⏵⏵ accept edits on (shift+tab to cycle)\n', kindOf('claude').screenChrome)).toBe('● Working…');
    expect(lastMeaningfulLine(screen, kindOf('other').screenChrome)).toBe('? for shortcuts');
  });
});
