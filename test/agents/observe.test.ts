import { describe, expect, it } from 'vitest';
import { exactStatus, lastLogLine, lastTranscriptLine, showsQuestion, type Signals } from '../../src/agents/status/rules.js';
import type { PaneRow } from '../../src/tmux/index.js';

const pane = (over: Partial<PaneRow> = {}): PaneRow => ({ pane_dead: '0', pane_dead_status: '', window_activity: '0', pane_id: '%1', ...over }) as PaneRow;
const now = 1_000_000;
const sig = (over: Partial<Signals>): Signals => ({ pane: pane(), kind: 'other', now, ...over });
const PERMISSION = ' Bash command\n   rm -rf build\n Do you want to proceed?\n ❯ 1. Yes\n   2. Yes, and don\'t ask again\n   3. No, and tell Claude what to do differently (esc)\n';

describe('exactStatus', () => {
  it('window gone: stopped; process ended: exited', () => {
    expect(exactStatus(sig({ pane: undefined }))).toBe('stopped');
    expect(exactStatus(sig({ pane: pane({ pane_dead: '1' }) }))).toBe('exited');
  });
  it('a permission question on screen is waiting, whatever the hooks say', () => {
    expect(exactStatus(sig({ screen: PERMISSION }))).toBe('waiting');
    expect(exactStatus(sig({ kind: 'claude', screen: PERMISSION, hook: { at: now, event: 'PreToolUse' } }))).toBe('waiting');
  });
  it('other agents: output in the last seconds is busy, quiet is idle, nothing yet is starting', () => {
    expect(exactStatus(sig({ logGrewAt: now - 1000, screen: '' }))).toBe('busy');
    expect(exactStatus(sig({ logGrewAt: now - 60_000, screen: '' }))).toBe('idle');
    expect(exactStatus(sig({}))).toBe('starting');
  });
  it('claude agents follow their hooks', () => {
    const claude = (event: string, message?: string, logGrewAt = now - 60_000) =>
      exactStatus(sig({ kind: 'claude', logGrewAt, screen: '> ', hook: { at: now, event, message } }));
    expect(claude('UserPromptSubmit', undefined, now)).toBe('busy');
    expect(claude('PreToolUse', undefined, now)).toBe('busy');
    // a refused tool fires no hook: a quiet screen without "esc to interrupt" is idle
    expect(claude('PreToolUse')).toBe('idle');
    expect(exactStatus(sig({ kind: 'claude', logGrewAt: now - 60_000, screen: '✶ Thinking… (esc to interrupt)', hook: { at: now, event: 'PreToolUse' } }))).toBe('busy');
    expect(claude('Stop', undefined, now)).toBe('idle'); // the spinner's last redraw does not make it busy
    expect(claude('SessionStart')).toBe('idle');
    expect(claude('Notification', 'Claude is waiting for your input')).toBe('idle');
  });
  it('after a permission request, a screen without the question is answered: busy with the busy sign or fresh output, else idle (a refusal ends the turn with no event)', () => {
    const asked = (screen: string | undefined, logGrewAt: number) => exactStatus(sig({ kind: 'claude', logGrewAt, screen, hook: { at: now, event: 'PermissionRequest', tool: 'Bash' } }));
    expect(asked(undefined, now)).toBe('waiting');
    expect(asked(PERMISSION, now - 60_000)).toBe('waiting');
    expect(asked('  ⎿  Interrupted · What should Claude do instead?\n❯ \n  ⏸ manual mode on · ? for shortcuts', now - 60_000)).toBe('idle');
    expect(asked('  ⎿  $ npm test\n  ⎿  Running…', now)).toBe('busy'); // the approved tool's output
    expect(asked('● Bash(touch a)\n✶ Running… (esc to interrupt)', now - 60_000)).toBe('busy');
  });
  it('a permission notification means waiting until the screen has been read', () => {
    expect(exactStatus(sig({ kind: 'claude', hook: { at: now, event: 'Notification', message: 'Claude needs your permission to use Bash' } }))).toBe('waiting');
  });
});

describe('showsQuestion', () => {
  it('finds Claude\'s permission question and numbered choices at the bottom', () => {
    expect(showsQuestion(PERMISSION)).toBe(true);
    expect(showsQuestion('Which one?\n › 1. Postgres\n   2. SQLite\n')).toBe(true);
    expect(showsQuestion('Which one?\n   1. Postgres\n ❯ 2. SQLite\n')).toBe(true);
    // an agent's plan is a numbered list with no cursor: not a question
    expect(showsQuestion('● Plan\n  1. keep a table of codes\n  2. apply them in total()\n  3. tests\n')).toBe(false);
    expect(showsQuestion('Continue? [y/N] ')).toBe(true);
    expect(showsQuestion('⏺ Done.\n╭──╮\n│ > │\n╰──╯\n')).toBe(false);
  });
});

describe('lastLogLine', () => {
  it('strips terminal codes and keeps what a carriage return left', () => {
    expect(lastLogLine('hello\r\n\x1b[32mworking on: x\x1b[0m\r\n\r\n')).toBe('working on: x');
    expect(lastLogLine('progress 10%\rprogress 90%\rdone\n')).toBe('done');
    expect(lastLogLine('text\n⠋\n╭──╮\n')).toBe('text');
  });
});

describe('lastTranscriptLine', () => {
  it('is the last assistant text or tool call', () => {
    const t = [
      JSON.stringify({ type: 'user', message: { content: 'do it' } }),
      JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: 'Looking.\nEditing src/auth/login.ts' }] } }),
      JSON.stringify({ type: 'assistant', message: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'npm test' } }] } }),
      '{"type":"assist', // a line cut by the tail
    ].join('\n');
    expect(lastTranscriptLine(t)).toBe('Bash: npm test');
    expect(lastTranscriptLine(t.split('\n').slice(0, 2).join('\n'))).toBe('Editing src/auth/login.ts');
    expect(lastTranscriptLine('')).toBe('');
  });
});
