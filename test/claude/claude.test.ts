// The real Claude Code client (pinned, see test/helpers/claude.ts) in a tmux pane, offline against
// a scripted fake Anthropic API. First the harness itself: what the client shows and which hooks it
// runs, independent of treemux (test/fixtures/fake-claude.mjs imitates exactly this). Then treemux
// driving it: `up`, `ls --json` statuses, `send`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claudeHome, ensureClaude, readRecordedEvents, recordingHooks, type RecordedEvent } from '../helpers/claude.js';
import { FAKE_API_KEY, startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { processAlive } from '../helpers/tmux.js';
import { BIN, makeAppRepo, makeWorld, type World } from '../helpers/world.js';

let claude: string;
beforeAll(async () => {
  claude = await ensureClaude();
});

let w: World;
let api: FakeAnthropic;
beforeEach(async () => {
  w = makeWorld();
  makeAppRepo(w);
  api = await startFakeAnthropic();
  Object.assign(w.env, api.env(FAKE_API_KEY));
});
afterEach(async () => {
  // The client writes into HOME while it shuts down: end every pane's process before removing it.
  let pids: number[] = [];
  try {
    pids = w.tmux(['list-panes', '-a', '-F', '#{pane_pid}']).split('\n').filter(Boolean).map(Number);
  } catch {
    // no server
  }
  try {
    w.tmux(['kill-server']);
  } catch {
    // gone already
  }
  await until(() => pids.every((p) => !processAlive(p)), 'the panes\' processes to end', () => pids.join(' '), 10_000).catch(() => undefined);
  await api.close();
  await until(
    () => {
      try {
        w.cleanup();
        return true;
      } catch {
        return false; // ENOTEMPTY: something was still writing
      }
    },
    'the world to be removed',
    () => w.dir,
    10_000,
  );
});

/** Polls until `check(screen)` holds; fails with the screen and the fake API's traffic. */
async function untilScreen(target: string, check: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const screen = w.screen(target);
    if (check(screen)) return screen;
    if (Date.now() > end) {
      const traffic = api.requests.map((r) => `${r.method} ${r.path} (${r.role})`).join('\n');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen of ${target}:\n${screen}\nAPI requests:\n${traffic}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function until<T>(fn: () => T | undefined | false, what: string, dump: () => string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw:\n${dump()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The permission question as lines: from "Bash command" to "Esc to cancel", right-trimmed, with the
 * width-dependent dashed rules shortened to three dashes.
 */
function permissionBox(screen: string): string[] {
  const lines = screen.split('\n').map((l) => l.trimEnd().replace(/╌+/gu, '╌╌╌'));
  const start = lines.findIndex((l) => l.trim() === 'Bash command');
  const end = lines.findIndex((l, i) => i > start && l.includes('Esc to cancel'));
  return start >= 0 && end > start ? lines.slice(start, end + 1).filter((l) => l.trim() !== '') : [];
}

/**
 * The input line `❯` between two rules is on screen all the time, busy or not. Busy: a spinner line
 * above it (`✢ Lollygagging…`) and `esc to interrupt` in the footer; idle: `? for shortcuts` there.
 */
const isBusy = (s: string) => /esc to interrupt/i.test(s);
const isIdle = (s: string) => /\? for shortcuts/.test(s) && !isBusy(s);

const names = (events: RecordedEvent[]) => events.map((e) => e.event);

describe('the real client in tmux (harness)', () => {
  it('answers, asks permission for Bash, runs it once approved; hooks fire in order', async () => {
    const events = join(w.dir, 'events.log');
    claudeHome(w.env.HOME!, [w.repo], FAKE_API_KEY);
    w.write('.claude/settings.local.json', recordingHooks(events));
    api.script([
      { text: 'Hello from the fake API.' },
      { toolUse: { name: 'Bash', input: { command: 'touch approved.txt', description: 'Create approved.txt' } }, delayMs: 1500 },
      { text: 'All done: approved.txt exists.', delayMs: 1500 },
    ]);
    const target = 'h:0';
    w.tmux(['new-session', '-d', '-s', 'h', '-x', '120', '-y', '40', '-c', w.repo, claude, '--permission-mode', 'default', 'Say hello']);
    w.tmux(['set-option', '-t', 'h', 'remain-on-exit', 'on']);
    const dump = () => `events: ${names(readRecordedEvents(events)).join(' ')}\nscreen:\n${w.screen(target)}`;

    // 1. the first prompt (the command-line argument) is answered with the fake API's text
    const answered = await untilScreen(target, (s) => s.includes('● Hello from the fake API.') && isIdle(s), 'the first answer, idle');
    expect(answered).toContain('❯ Say hello');
    expect(answered).toMatch(/^❯[^\S\n]*$/mu); // the empty input line
    await until(() => names(readRecordedEvents(events)).includes('Stop'), 'the first Stop', dump);
    expect(names(readRecordedEvents(events))).toEqual(['SessionStart', 'UserPromptSubmit', 'Stop']);
    const [start, submit, stop] = readRecordedEvents(events);
    expect(start!.data).toMatchObject({ hook_event_name: 'SessionStart', source: 'startup', cwd: w.repo });
    expect(start!.data.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(start!.data.transcript_path).toBe(join(w.env.HOME!, '.claude', 'projects', w.repo.replace(/[^A-Za-z0-9]/g, '-'), `${String(start!.data.session_id)}.jsonl`));
    expect(submit!.data).toMatchObject({ prompt: 'Say hello', session_id: start!.data.session_id, permission_mode: 'default' });
    expect(stop!.data).toMatchObject({ stop_hook_active: false, last_assistant_message: 'Hello from the fake API.' });

    // 2. a Bash tool_use: busy while the reply streams, then the permission question
    const beforeAsk = readRecordedEvents(events).length;
    w.tmux(['send-keys', '-t', target, '-l', 'Create approved.txt']);
    w.tmux(['send-keys', '-t', target, 'Enter']);
    const sentAt = Date.now();
    const busy = await untilScreen(target, isBusy, 'the busy spinner');
    const spinnerLine = busy.split('\n').find((l) => /…/.test(l) && !l.startsWith('❯'))?.trim();
    const footerLine = busy.split('\n').find((l) => isBusy(l))?.trim();
    const asking = await untilScreen(target, (s) => s.includes('Do you want to proceed?') && s.includes('Esc to cancel'), 'the permission question');
    const askedAt = Date.now();
    const box = permissionBox(asking);
    console.log(`while busy: spinner ${JSON.stringify(spinnerLine)}, footer ${JSON.stringify(footerLine)}\npermission question:\n${box.join('\n')}`);
    expect(box).toEqual([
      ' Bash command',
      ' Tip: auto mode handles these prompts for you — choose "switch to auto mode" below',
      ' Create approved.txt',
      '╌╌╌',
      ' touch approved.txt',
      '╌╌╌',
      ' Do you want to proceed?',
      ' ❯ 1. Yes',
      `   2. Yes, and always allow access to ${w.repo} from this project`,
      '   3. Yes, and switch to auto mode · auto mode handles these prompts for you',
      '   4. No',
      ' Esc to cancel · Tab to amend',
    ]);
    // Notification (permission_prompt) comes after the question is on screen: how late?
    const note = await until(() => readRecordedEvents(events).find((e) => e.event === 'Notification'), 'the Notification hook', dump);
    const asked = readRecordedEvents(events).slice(beforeAsk);
    expect(names(asked)).toEqual(['UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'Notification']);
    expect(asked[1]!.data).toMatchObject({ tool_name: 'Bash', tool_input: { command: 'touch approved.txt', description: 'Create approved.txt' } });
    expect(asked[2]!.data).toMatchObject({ tool_name: 'Bash', tool_input: { command: 'touch approved.txt' } });
    expect(note.data).toMatchObject({ message: 'Claude needs your permission', notification_type: 'permission_prompt' });
    console.log(
      `after Enter: PreToolUse +${asked[1]!.at - sentAt} ms, PermissionRequest +${asked[2]!.at - sentAt} ms, ` +
        `question on screen +${askedAt - sentAt} ms (poll), Notification +${note.at - sentAt} ms`,
    );
    expect(existsSync(join(w.repo, 'approved.txt'))).toBe(false);

    // 3. approve with "1": the tool runs, the final answer shows, Stop fires
    const beforeApprove = readRecordedEvents(events).length;
    w.tmux(['send-keys', '-t', target, '-l', '1']);
    await untilScreen(target, (s) => !s.includes('Do you want to proceed?'), 'the question to close');
    const working = await untilScreen(target, (s) => isBusy(s) || s.includes('● All done'), 'busy again (or done)');
    expect(isBusy(working)).toBe(true);
    const done = await untilScreen(target, (s) => s.includes('● All done: approved.txt exists.') && isIdle(s), 'the final answer');
    expect(done).toMatch(/Ran 1 shell command|touch approved\.txt/);
    expect(existsSync(join(w.repo, 'approved.txt'))).toBe(true);
    await until(() => names(readRecordedEvents(events).slice(beforeApprove)).includes('Stop'), 'the final Stop', dump);
    expect(names(readRecordedEvents(events).slice(beforeApprove))).toEqual(['PostToolUse', 'Stop']);
    expect(api.mainRequests()).toHaveLength(3);
    console.log(`final screen:\n${done}`);
  });
});

interface LsAgent {
  name: string;
  status: string;
  lastLine: string;
  worktree: string;
}

describe('treemux with the real client', () => {
  const layout = (claudeBin: string) =>
    [
      'version: 1',
      'project: app',
      'agent:',
      `  command: ${JSON.stringify(claudeBin)}`,
      '  args: ["--permission-mode", "default"]',
      '  kind: claude',
      'agents:',
      '  - { name: auth, task: "Say hello" }',
      '',
    ].join('\n');

  async function agent(): Promise<LsAgent | undefined> {
    const r = await w.tm(['ls', '--json']);
    if (r.code !== 0) return undefined;
    return (JSON.parse(r.stdout) as { agents: LsAgent[] }).agents.find((a) => a.name === 'auth');
  }

  /** Polls `ls --json` until the agent's status is `want`; every status seen on the way is kept in `seen`. */
  async function untilStatus(want: string, seen: string[], timeoutMs = 20_000): Promise<LsAgent> {
    const end = Date.now() + timeoutMs;
    let last: LsAgent | undefined;
    for (;;) {
      last = await agent();
      if (last && seen[seen.length - 1] !== last.status) seen.push(last.status);
      if (last?.status === want) return last;
      if (Date.now() > end) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for status ${want}; statuses seen: ${seen.join(' → ')}; last: ${JSON.stringify(last)}\nscreen:\n${w.screen('app:auth')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('up: idle after the answer, waiting on the permission question, busy then idle after `send auth 1`', async () => {
    const wt = join(w.dir, 'app-auth');
    claudeHome(w.env.HOME!, [wt], FAKE_API_KEY);
    w.write('treemux.yaml', layout(claude));
    api.script([
      { text: 'Hello from the fake API.', delayMs: 1500 },
      { toolUse: { name: 'Bash', input: { command: 'touch approved.txt', description: 'Create approved.txt' } }, delayMs: 3000 },
      { text: 'All done: approved.txt exists.', delayMs: 4000 },
    ]);
    const up = await w.tm(['up', '--no-attach']);
    expect(up.code, up.stderr).toBe(0);
    const seen: string[] = [];

    // the task is the first prompt: answered, then idle
    await untilScreen('app:auth', (s) => s.includes('● Hello from the fake API.') && isIdle(s), 'the first answer, idle');
    await untilStatus('idle', seen);
    expect(seen).not.toContain('waiting');

    // a prompt that needs a Bash permission: busy while the reply streams, then waiting
    const sent = await w.tm(['send', 'auth', 'Create approved.txt']);
    expect(sent.code, sent.stderr).toBe(0);
    const asking: string[] = [];
    await untilStatus('waiting', asking);
    expect(asking).toContain('busy');
    expect(w.screen('app:auth')).toContain('Do you want to proceed?');

    // approve: busy while the final reply streams, then idle with the tool's effect on disk
    const approved = await w.tm(['send', 'auth', '1']);
    expect(approved.code, approved.stderr).toBe(0);
    const after: string[] = [];
    await untilStatus('busy', after);
    const idle = await untilStatus('idle', after);
    // the first poll may still see the question
    expect(after.filter((st, i) => !(i === 0 && st === 'waiting'))).toEqual(['busy', 'idle']);
    console.log(`statuses: first turn ${seen.join(' → ')}; asking ${asking.join(' → ')}; approved ${after.join(' → ')}; lastLine ${JSON.stringify(idle.lastLine)}`);
    expect(existsSync(join(wt, 'approved.txt'))).toBe(true);
    expect(w.screen('app:auth')).toContain('● All done: approved.txt exists.');
  });
});
