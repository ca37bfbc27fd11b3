// test/fixtures/fake-claude.mjs, the stand-in for Claude Code that the status tests run: it must
// draw what the real client draws (the same helpers read both; test/claude/claude.test.ts checks them
// against the real one) and run hooks as the real one does. Needs no real client: runs in both suites.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  expectedPermissionBox,
  FAKE_CLAUDE,
  isBusyScreen,
  isIdleScreen,
  permissionBox,
  readRecordedEvents,
  recordingHooks,
  type RecordedEvent,
} from '../helpers/claude.js';
import { makeAppRepo, makeWorld, type World } from '../helpers/world.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
  makeAppRepo(w);
});
afterEach(() => w.cleanup());

const T = 'f:0';
const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms));
const names = (events: RecordedEvent[]) => events.map((e) => e.event);

async function untilScreen(check: (screen: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const screen = w.screen(T);
    if (check(screen)) return screen;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${screen}`);
    await tick();
  }
}

async function until<V>(fn: () => V | undefined | false, what: string, dump: () => string, timeoutMs = 10_000): Promise<V> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw:\n${dump()}`);
    await tick();
  }
}

/** Runs the stand-in through its shebang in session `f`, in the main checkout. */
function start(args: string[], env: Record<string, string> = {}): void {
  const e = Object.entries({ FAKE_CLAUDE_BUSY_MS: '400', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  w.tmux(['new-session', '-d', '-s', 'f', '-x', '100', '-y', '40', '-c', w.repo, ...e, FAKE_CLAUDE, ...args]);
  w.tmux(['set-option', '-t', 'f', 'remain-on-exit', 'on']);
}

/** As treemux's `send` does it: a bracketed paste of the text, then Enter. */
function paste(text: string, enter = true): void {
  w.tmux(['set-buffer', '-b', 'fk', '--', text]);
  w.tmux(['paste-buffer', '-p', '-d', '-b', 'fk', '-t', T]);
  if (enter) w.tmux(['send-keys', '-t', T, 'Enter']);
}

const quiet = (s: string) => s.split('\n').map((l) => l.trimEnd()).filter(Boolean).join('\n');

describe('fake-claude', () => {
  it('works on its task first, then answers typed and pasted lines at its prompt', async () => {
    const task = 'Fix the "login" bug; $(touch pwned) `id` \'quoted\'';
    start(['--permission-mode', 'default', task], { FAKE_CLAUDE_BUSY_MS: '1500' }); // long enough to watch the spinner turn
    const busy = await untilScreen(isBusyScreen, 'the spinner');
    expect(busy).toContain('✻ Welcome to Claude Code!');
    expect(busy).toContain(`❯ ${task}`); // verbatim
    const glyph = (s: string) => /^(\S) Thinking… \(esc to interrupt\)/mu.exec(s)?.[1];
    const first = glyph(busy);
    expect(first).toBeDefined();
    await untilScreen((s) => isBusyScreen(s) && glyph(s) !== first, 'the spinner to turn');
    const idle = await untilScreen(isIdleScreen, 'the prompt');
    expect(idle).toContain(`● Done: ${task}`);
    expect(quiet(idle).split('\n').slice(-4)).toEqual(['─'.repeat(99), '❯', '─'.repeat(99), '  ⏸ manual mode on · ? for shortcuts']);
    expect(existsSync(join(w.repo, 'pwned'))).toBe(false);

    paste('hello there');
    await untilScreen(isBusyScreen, 'busy on the pasted line');
    const answered = await untilScreen((s) => s.includes('● hello there') && isIdleScreen(s), 'the pasted line answered');
    expect(answered).toContain('❯ hello there');

    w.tmux(['send-keys', '-t', T, '-l', 'busy 1']);
    w.tmux(['send-keys', '-t', T, 'Enter']);
    const from = Date.now();
    await untilScreen(isBusyScreen, 'busy 1');
    await untilScreen((s) => s.includes('● Done: busy 1') && isIdleScreen(s), 'busy 1 done');
    expect(Date.now() - from).toBeGreaterThanOrEqual(900);

    w.tmux(['send-keys', '-t', T, '-l', 'exit 3']);
    w.tmux(['send-keys', '-t', T, 'Enter']);
    const paneState = () => w.tmux(['display-message', '-p', '-t', T, '#{pane_dead} #{pane_dead_status}']).trim();
    await until(
      () => {
        // tmux 3.3a sometimes misses a pane's SIGCHLD until another child exits (see helpers/tmux.ts nudgeServer)
        w.tmux(['run-shell', 'true']);
        return paneState() === '1 3';
      },
      'exit 3',
      () => `pane: ${paneState()}\n${w.screen(T)}`,
    );
  });

  it('asks permission exactly as Claude Code does: keys answer, a pasted choice is ignored, Enter takes "1. Yes"', async () => {
    start([]);
    const idle = await untilScreen(isIdleScreen, 'the prompt (no task: idle at once)');
    expect(idle).not.toContain('Done');

    paste('ask touch made.txt');
    const asking = await untilScreen((s) => s.includes('Do you want to proceed?'), 'the question');
    expect(permissionBox(asking)).toEqual(expectedPermissionBox('Run touch made.txt', 'touch made.txt', w.repo));
    expect(isIdleScreen(asking) || isBusyScreen(asking)).toBe(false);
    // as treemux's send: a pasted "4" is not a key, the Enter after it picks the highlighted 1. Yes
    paste('4');
    const done = await untilScreen((s) => s.includes('● Done: touch made.txt') && isIdleScreen(s), 'approved by the Enter');
    expect(done).toContain('Ran 1 shell command');
    expect(done).not.toContain('Do you want to proceed?');

    paste('ask rm -rf build');
    await untilScreen((s) => s.includes('Do you want to proceed?'), 'the second question');
    w.tmux(['send-keys', '-t', T, '4']);
    const refused = await untilScreen((s) => s.includes('Interrupted · What should Claude do instead?') && isIdleScreen(s), 'refused by the key 4');
    expect(refused).toContain('Did not run 1 call');
    expect(refused).not.toContain('Done: rm -rf build');

    paste('ask');
    await untilScreen((s) => s.includes(' npm test') && s.includes('Do you want to proceed?'), 'the default command');
    w.tmux(['send-keys', '-t', T, '2']);
    await untilScreen((s) => s.includes('● Done: npm test') && isIdleScreen(s), 'approved by the key 2');
  });

  it('runs the hooks of .claude/settings.local.json as Claude Code does, and writes its transcript', async () => {
    const log = join(w.dir, 'events.log');
    w.write('.claude/settings.local.json', recordingHooks(log));
    start(['--permission-mode', 'default', 'Say hello'], { FAKE_CLAUDE_HOOKS: '1', FAKE_CLAUDE_NOTIFY_MS: '300' });
    const dump = () => `${names(readRecordedEvents(log)).join(' ')}\n${w.screen(T)}`;
    await untilScreen((s) => s.includes('● Done: Say hello') && isIdleScreen(s), 'the task done');
    await until(() => names(readRecordedEvents(log)).includes('Stop'), 'Stop', dump);
    const [startEv, submit, stop] = readRecordedEvents(log);
    expect(names(readRecordedEvents(log))).toEqual(['SessionStart', 'UserPromptSubmit', 'Stop']);
    const sessionId = String(startEv!.data.session_id);
    const transcriptPath = join(w.env.HOME!, '.claude', 'projects', w.repo.replace(/[^A-Za-z0-9]/g, '-'), `${sessionId}.jsonl`);
    expect(startEv!.data).toEqual({ session_id: sessionId, transcript_path: transcriptPath, cwd: w.repo, permission_mode: 'default', hook_event_name: 'SessionStart', source: 'startup' });
    expect(submit!.data).toMatchObject({ hook_event_name: 'UserPromptSubmit', prompt: 'Say hello', session_id: sessionId });
    expect(stop!.data).toMatchObject({ hook_event_name: 'Stop', stop_hook_active: false, last_assistant_message: 'Done: Say hello' });

    // unanswered question: PreToolUse, PermissionRequest, then (FAKE_CLAUDE_NOTIFY_MS later) Notification
    paste('ask touch x.txt');
    await untilScreen((s) => s.includes('Do you want to proceed?'), 'the question');
    const note = await until(() => readRecordedEvents(log).find((e) => e.event === 'Notification'), 'Notification', dump);
    expect(note.data).toMatchObject({ message: 'Claude needs your permission', notification_type: 'permission_prompt' });
    w.tmux(['send-keys', '-t', T, '1']);
    await untilScreen((s) => s.includes('● Done: touch x.txt') && isIdleScreen(s), 'approved');
    await until(() => names(readRecordedEvents(log)).filter((e) => e === 'Stop').length === 2, 'the second Stop', dump);
    const ask = readRecordedEvents(log).slice(3);
    expect(names(ask)).toEqual(['UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'Notification', 'PostToolUse', 'Stop']);
    expect(ask[1]!.data).toMatchObject({ tool_name: 'Bash', tool_input: { command: 'touch x.txt', description: 'Run touch x.txt' } });
    expect(ask[1]!.data.tool_use_id).toMatch(/^toolu_/);
    expect(ask[4]!.data).toMatchObject({ tool_name: 'Bash', tool_use_id: ask[1]!.data.tool_use_id, tool_response: { interrupted: false } });

    // answered before the Notification is due: none; refused: no PostToolUse, no Stop
    paste('ask rm -rf build');
    await untilScreen((s) => s.includes(' rm -rf build') && s.includes('Do you want to proceed?'), 'the second question');
    await until(() => names(readRecordedEvents(log)).filter((e) => e === 'PermissionRequest').length === 2, 'the second PermissionRequest', dump);
    w.tmux(['send-keys', '-t', T, 'Escape']);
    await untilScreen((s) => s.includes('Interrupted') && isIdleScreen(s), 'refused by Esc');
    w.tmux(['send-keys', '-t', T, '-l', 'exit']);
    w.tmux(['send-keys', '-t', T, 'Enter']);
    await until(() => names(readRecordedEvents(log)).includes('SessionEnd'), 'SessionEnd', dump);
    const tail = names(readRecordedEvents(log).slice(9));
    expect(tail[0]).toBe('UserPromptSubmit');
    expect(tail.slice(1, 3)).toEqual(['PreToolUse', 'PermissionRequest']);
    expect(tail.filter((e) => e !== 'Notification').slice(3)).toEqual(['SessionEnd']); // a late Notification may slip in
    expect(readRecordedEvents(log).find((e) => e.event === 'SessionEnd')!.data).toMatchObject({ reason: 'prompt_input_exit' });

    // the transcript: Claude's JSON lines, user and assistant turns with content arrays
    const lines = readFileSync(transcriptPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; sessionId: string; message: { content: unknown } });
    expect(lines.every((l) => l.sessionId === sessionId)).toBe(true);
    const turns = lines.map((l) => [l.type, JSON.stringify(l.message.content)]);
    expect(turns[0]).toEqual(['user', '"Say hello"']);
    expect(turns[1]).toEqual(['assistant', JSON.stringify([{ type: 'text', text: 'Done: Say hello' }])]);
    expect(turns.some(([t, c]) => t === 'assistant' && c!.includes('"type":"tool_use"') && c!.includes('touch x.txt'))).toBe(true);
    expect(turns.some(([t, c]) => t === 'user' && c!.includes('"type":"tool_result"'))).toBe(true);
  });

  it('runs no hooks and writes no transcript without FAKE_CLAUDE_HOOKS=1; --resume keeps the session id', async () => {
    const log = join(w.dir, 'events.log');
    w.write('.claude/settings.local.json', recordingHooks(log));
    start(['--resume', '0b7e4a52-3f1c-4c47-9a51-6d2f0c1e9b11', 'again']);
    await untilScreen((s) => s.includes('● Done: again') && isIdleScreen(s), 'the task done');
    expect(existsSync(log)).toBe(false);
    expect(existsSync(join(w.env.HOME!, '.claude'))).toBe(false);
    // again in the same pane, with hooks
    w.tmux(['respawn-pane', '-k', '-t', T, '-e', 'FAKE_CLAUDE_HOOKS=1', FAKE_CLAUDE, '--resume', '0b7e4a52-3f1c-4c47-9a51-6d2f0c1e9b11', 'again']);
    await until(() => readRecordedEvents(log).find((e) => e.event === 'Stop'), 'Stop', () => w.screen(T));
    expect(readRecordedEvents(log)[0]!.data).toMatchObject({ hook_event_name: 'SessionStart', source: 'resume', session_id: '0b7e4a52-3f1c-4c47-9a51-6d2f0c1e9b11' });
  });
});
