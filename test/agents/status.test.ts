import { describe, expect, it } from 'vitest';
import { lastMeaningfulLine, statusOf } from '../../src/agents/status.js';
import type { PaneRow } from '../../src/tmux/index.js';

const pane = (over: Partial<PaneRow>): PaneRow =>
  ({ pane_dead: '0', pane_dead_status: '', window_activity: '1000', pane_id: '%1', ...over }) as PaneRow;

describe('statusOf', () => {
  it('no window is stopped', () => expect(statusOf({ pane: undefined, nowS: 1000 })).toBe('stopped'));
  it('a dead pane is exited', () => expect(statusOf({ pane: pane({ pane_dead: '1' }), nowS: 1000 })).toBe('exited'));
  it('recent output is busy, quiet is idle', () => {
    expect(statusOf({ pane: pane({ window_activity: '998' }), nowS: 1000 })).toBe('busy');
    expect(statusOf({ pane: pane({ window_activity: '900' }), nowS: 1000 })).toBe('idle');
  });
  it('a permission question on screen is waiting', () => {
    const screen = 'Bash command\n  rm -rf build\nDo you want to proceed?\n❯ 1. Yes\n  2. No\n';
    expect(statusOf({ pane: pane({ window_activity: '900' }), nowS: 1000, screen })).toBe('waiting');
  });
});

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
