// The real Claude Code client (pinned, see test/helpers/claude.ts) in a tmux pane, offline against
// a scripted fake Anthropic API. First the harness itself: what the client shows and which hooks it
// runs, independent of treemux (test/fixtures/fake-claude.mjs imitates exactly this). Then treemux
// driving it: `up`, `ls --json` statuses, `send`.
//
// Only `npm run test:claude` (vitest.claude.config.ts sets TREEMUX_CLAUDE_TESTS=1) runs it: the
// default suite collects this file too, and skips it without installing anything.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  claudeHome,
  claudeWorldEachTest,
  expectedPermissionBox,
  isBusyScreen,
  isIdleScreen,
  permissionBox,
  readRecordedEvents,
  recordingHooks,
  type RecordedEvent,
} from '../helpers/claude.js';
import { FAKE_API_KEY, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { BIN, type World } from '../helpers/world.js';

const enabled = process.env.TREEMUX_CLAUDE_TESTS === '1';

/** Whether the built treemux has its Claude hook command (`treemux hook`, reading the event on stdin). */
function treemuxHasHook(): boolean {
  try {
    execFileSync(process.execPath, [BIN, 'hook'], { input: '{}', stdio: ['pipe', 'ignore', 'ignore'], env: { PATH: process.env.PATH ?? '' } });
    return true;
  } catch {
    return false;
  }
}

const QUESTION = 'Do you want to proceed?';
const names = (events: RecordedEvent[]) => events.map((e) => e.event);
const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!enabled)('real Claude Code', () => {
  let claude: string;
  let w: World;
  let api: FakeAnthropic;
  claudeWorldEachTest((c) => ({ claude, w, api } = c));

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
      await tick();
    }
  }

  async function until<T>(fn: () => T | undefined | false, what: string, dump: () => string, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw:\n${dump()}`);
      await tick();
    }
  }

  /**
   * Presses `keys` until the permission question closes. The client drops keys that arrive as the
   * question is drawn (seen: a "1" sent the moment the question showed was ignored, the next one
   * ~270 ms later was taken), so a press that changed nothing within 2 s is repeated.
   */
  async function answerQuestion(target: string, press: () => Promise<void> | void): Promise<number> {
    // first the question must be drawn: a press before it would be lost and "no question" misread
    await untilScreen(target, (s) => s.includes(QUESTION), 'the permission question');
    for (let attempt = 1; ; attempt++) {
      await press();
      const end = Date.now() + 2_000;
      while (Date.now() < end) {
        // gone in two captures in a row: a single capture can fall in the middle of a redraw
        if (!w.screen(target).includes(QUESTION)) {
          await tick(150);
          if (!w.screen(target).includes(QUESTION)) return attempt;
        }
        await tick();
      }
      if (attempt >= 5) throw new Error(`the permission question did not close after ${attempt} presses:\n${w.screen(target)}`);
    }
  }

  /** Starts the client in its own session `h`, in the main checkout, with hooks recording to a file. */
  function startHarness(prompt: string): { target: string; events: string; dump: () => string } {
    const events = join(w.dir, 'events.log');
    claudeHome(w.env.HOME!, [w.repo], FAKE_API_KEY);
    w.write('.claude/settings.local.json', recordingHooks(events));
    const target = 'h:0';
    w.tmux(['new-session', '-d', '-s', 'h', '-x', '120', '-y', '40', '-c', w.repo, claude, '--permission-mode', 'default', prompt]);
    w.tmux(['set-option', '-t', 'h', 'remain-on-exit', 'on']);
    return { target, events, dump: () => `events: ${names(readRecordedEvents(events)).join(' ')}\nscreen:\n${w.screen(target)}` };
  }

  describe('the client in tmux (harness)', () => {
    it('answers, asks permission for Bash, runs it once approved; hooks fire in order', async () => {
      api.script([
        { text: 'Hello from the fake API.' },
        { toolUse: { name: 'Bash', input: { command: 'touch approved.txt', description: 'Create approved.txt' } }, delayMs: 1500 },
        { text: 'All done: approved.txt exists.', delayMs: 1500 },
      ]);
      const { target, events, dump } = startHarness('Say hello');

      // 1. the first prompt (the command-line argument) is answered with the fake API's text
      const answered = await untilScreen(target, (s) => s.includes('● Hello from the fake API.') && isIdleScreen(s), 'the first answer, idle');
      expect(answered).toContain('❯ Say hello');
      expect(answered).toMatch(/^❯[^\S\n]*$/mu); // the empty input line
      await until(() => names(readRecordedEvents(events)).includes('Stop'), 'the first Stop', dump);
      expect(names(readRecordedEvents(events))).toEqual(['SessionStart', 'UserPromptSubmit', 'Stop']);
      const [start, submit, stop] = readRecordedEvents(events);
      const sessionId = String(start!.data.session_id);
      expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(start!.data).toMatchObject({ hook_event_name: 'SessionStart', source: 'startup', cwd: w.repo });
      expect(start!.data.transcript_path).toBe(join(w.env.HOME!, '.claude', 'projects', w.repo.replace(/[^A-Za-z0-9]/g, '-'), `${sessionId}.jsonl`));
      expect(submit!.data).toMatchObject({ prompt: 'Say hello', session_id: sessionId, permission_mode: 'default', cwd: w.repo });
      expect(stop!.data).toMatchObject({ stop_hook_active: false, last_assistant_message: 'Hello from the fake API.' });

      // 2. a Bash tool_use: busy while the reply streams, then the permission question
      const beforeAsk = readRecordedEvents(events).length;
      w.tmux(['send-keys', '-t', target, '-l', 'Create approved.txt']);
      w.tmux(['send-keys', '-t', target, 'Enter']);
      const sentAt = Date.now();
      const busy = await untilScreen(target, isBusyScreen, 'the busy spinner');
      const spinner = busy.split('\n').find((l) => /^\S \S+…/u.test(l.trim()))?.trim();
      const footer = busy.split('\n').find((l) => isBusyScreen(l))?.trim();
      const asking = await untilScreen(target, (s) => s.includes(QUESTION) && s.includes('Esc to cancel'), 'the permission question');
      const askedAt = Date.now();
      console.log(`while busy: spinner ${JSON.stringify(spinner)}, footer ${JSON.stringify(footer)}\nthe question:\n${permissionBox(asking).join('\n')}`);
      expect(permissionBox(asking)).toEqual(expectedPermissionBox('Create approved.txt', 'touch approved.txt', w.repo));
      expect(isIdleScreen(asking) || isBusyScreen(asking)).toBe(false); // the question replaces the input box and its footer

      // Notification (permission_prompt) comes only once the question has waited a while
      const note = await until(() => readRecordedEvents(events).find((e) => e.event === 'Notification'), 'the Notification hook', dump);
      const asked = readRecordedEvents(events).slice(beforeAsk);
      expect(names(asked)).toEqual(['UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'Notification']);
      expect(asked[1]!.data).toMatchObject({ tool_name: 'Bash', tool_input: { command: 'touch approved.txt', description: 'Create approved.txt' } });
      expect(asked[1]!.data.tool_use_id).toMatch(/^toolu_/);
      expect(asked[2]!.data).toMatchObject({ tool_name: 'Bash', tool_input: { command: 'touch approved.txt' } });
      expect(note.data).toMatchObject({ message: 'Claude needs your permission', notification_type: 'permission_prompt' });
      expect(note.at - askedAt).toBeGreaterThan(3_000);
      console.log(
        `after Enter: PreToolUse +${asked[1]!.at - sentAt} ms, PermissionRequest +${asked[2]!.at - sentAt} ms, ` +
          `question seen +${askedAt - sentAt} ms, Notification +${note.at - sentAt} ms`,
      );
      expect(existsSync(join(w.repo, 'approved.txt'))).toBe(false);

      // 3. approve with "1": the tool runs, busy again, the final answer shows, Stop fires
      const beforeApprove = readRecordedEvents(events).length;
      await answerQuestion(target, () => void w.tmux(['send-keys', '-t', target, '-l', '1']));
      const working = await untilScreen(target, (s) => isBusyScreen(s) || s.includes('● All done'), 'busy again (or done)');
      expect(isBusyScreen(working)).toBe(true);
      const done = await untilScreen(target, (s) => s.includes('● All done: approved.txt exists.') && isIdleScreen(s), 'the final answer');
      expect(done).toContain('Ran 1 shell command');
      expect(existsSync(join(w.repo, 'approved.txt'))).toBe(true);
      await until(() => names(readRecordedEvents(events).slice(beforeApprove)).includes('Stop'), 'the final Stop', dump);
      const approved = readRecordedEvents(events).slice(beforeApprove);
      expect(names(approved)).toEqual(['PostToolUse', 'Stop']);
      expect(approved[0]!.data).toMatchObject({ tool_name: 'Bash', tool_response: { interrupted: false } });
      expect(api.mainRequests()).toHaveLength(3);

      // the transcript: user and assistant lines, the tool call as a tool_use block
      const transcript = readFileSync(String(start!.data.transcript_path), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; message?: { content: unknown } });
      const turns = transcript.filter((l) => l.type === 'user' || l.type === 'assistant').map((l) => [l.type, JSON.stringify(l.message?.content)]);
      expect(turns).toContainEqual(['user', '"Say hello"']);
      expect(turns).toContainEqual(['assistant', JSON.stringify([{ type: 'text', text: 'Hello from the fake API.' }])]);
      expect(turns.some(([t, c]) => t === 'assistant' && c!.includes('"type":"tool_use"') && c!.includes('touch approved.txt'))).toBe(true);
      expect(turns.some(([t, c]) => t === 'user' && c!.includes('"type":"tool_result"'))).toBe(true);
    });

    it('refusing the permission ("4. No") ends the turn without a Stop hook', async () => {
      api.script([
        { toolUse: { name: 'Bash', input: { command: 'touch refused.txt', description: 'Create refused.txt' } } },
        { text: 'Bye.' },
      ]);
      const { target, events, dump } = startHarness('Create refused.txt');
      await untilScreen(target, (s) => s.includes(QUESTION), 'the permission question');
      await until(() => names(readRecordedEvents(events)).includes('PermissionRequest'), 'PermissionRequest', dump);
      await answerQuestion(target, () => void w.tmux(['send-keys', '-t', target, '-l', '4']));
      const refused = await untilScreen(target, (s) => s.includes('Interrupted · What should Claude do instead?') && isIdleScreen(s), 'the refusal, idle');
      expect(refused).toContain('Did not run 1 call');
      expect(existsSync(join(w.repo, 'refused.txt'))).toBe(false);
      // the next prompt's events show that nothing fired in between: no Stop, no PostToolUse
      w.tmux(['send-keys', '-t', target, '-l', 'Say bye']);
      w.tmux(['send-keys', '-t', target, 'Enter']);
      await untilScreen(target, (s) => s.includes('● Bye.') && isIdleScreen(s), 'the next answer');
      await until(() => names(readRecordedEvents(events)).filter((e) => e === 'Stop').length === 1, 'the Stop of the next turn', dump);
      expect(names(readRecordedEvents(events))).toEqual(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'UserPromptSubmit', 'Stop']);
    });

    it('ignores a pasted "4" at the question; the Enter after it takes the highlighted "1. Yes"', async () => {
      // what `treemux send AGENT 4` does today: paste-buffer -p (a bracketed paste), then Enter
      api.script([
        { toolUse: { name: 'Bash', input: { command: 'touch pasted.txt', description: 'Create pasted.txt' } } },
        { text: 'Made it.' },
      ]);
      const { target, events, dump } = startHarness('Create pasted.txt');
      await untilScreen(target, (s) => s.includes(QUESTION), 'the permission question');
      // past the moment keys are dropped: the Notification comes once the question has waited ~6 s
      await until(() => names(readRecordedEvents(events)).includes('Notification'), 'the Notification', dump);
      w.tmux(['set-buffer', '-b', 'p', '--', '4']);
      w.tmux(['paste-buffer', '-p', '-d', '-b', 'p', '-t', target]);
      w.tmux(['send-keys', '-t', target, 'Enter']);
      const done = await untilScreen(target, (s) => (s.includes('● Made it.') || s.includes('Interrupted')) && isIdleScreen(s), 'the question answered');
      expect(done).toContain('Ran 1 shell command');
      expect(done).not.toContain('Interrupted');
      expect(existsSync(join(w.repo, 'pasted.txt'))).toBe(true);
    });
  });

  interface LsAgent {
    name: string;
    status: string;
    lastLine: string;
    worktree: string;
  }

  describe('treemux driving the client', () => {
    const layout = (extra = '') =>
      [
        'version: 1',
        'project: app',
        'agent:',
        `  command: ${JSON.stringify(claude)}`,
        '  args: ["--permission-mode", "default"]',
        '  kind: claude',
        extra,
        'agents:',
        '  - { name: auth, task: "Say hello" }',
        '',
      ].join('\n');

    async function agent(): Promise<LsAgent | undefined> {
      const t = Date.now();
      const r = await w.tm(['ls', '--json']);
      if (process.env.TREEMUX_CLAUDE_TRACE) console.log(`ls --json: ${Date.now() - t} ms, exit ${r.code} ${r.stderr.trim()}`);
      if (r.code !== 0) return undefined;
      return (JSON.parse(r.stdout) as { agents: LsAgent[] }).agents.find((a) => a.name === 'auth');
    }

    /** Polls `ls --json` until the agent's status is `want`; each status seen on the way is added to `seen`. */
    async function untilStatus(want: string, seen: string[], timeoutMs = 20_000): Promise<LsAgent> {
      const end = Date.now() + timeoutMs;
      let last: LsAgent | undefined;
      for (;;) {
        last = await agent();
        if (last && seen[seen.length - 1] !== last.status) seen.push(last.status);
        if (last?.status === want) return last;
        if (Date.now() > end) {
          throw new Error(`timed out after ${timeoutMs} ms waiting for status ${want}; seen: ${seen.join(' → ')}; last: ${JSON.stringify(last)}\nscreen:\n${w.screen('app:auth')}`);
        }
        await tick(100);
      }
    }

    async function upWithClaude(extraLayout = ''): Promise<string> {
      const wt = join(w.dir, 'app-auth'); // the default worktree: ../{project}-{agent}
      claudeHome(w.env.HOME!, [wt], FAKE_API_KEY);
      w.write('treemux.yaml', layout(extraLayout));
      const up = await w.tm(['up', '--no-attach']);
      expect(up.code, up.stderr).toBe(0);
      return wt;
    }

    async function send(text: string): Promise<void> {
      const r = await w.tm(['send', 'auth', text]);
      expect(r.code, r.stderr).toBe(0);
    }

    it('idle after the answer, waiting on the permission question, busy then idle after `send auth 1`', async () => {
      api.script([
        { text: 'Hello from the fake API.', delayMs: 1500 },
        { toolUse: { name: 'Bash', input: { command: 'touch approved.txt', description: 'Create approved.txt' } }, delayMs: 3000 },
        { text: 'All done: approved.txt exists.', delayMs: 4000 },
      ]);
      const t0 = Date.now();
      const ms = () => `${Date.now() - t0} ms`;
      const wt = await upWithClaude();
      const upAt = ms();

      // the task is the first prompt: answered, then idle
      const first: string[] = [];
      await untilScreen('app:auth', (s) => s.includes('● Hello from the fake API.') && isIdleScreen(s), 'the first answer, idle');
      const answeredAt = ms();
      await untilStatus('idle', first);
      const idleAt = ms();
      expect(first).not.toContain('waiting');

      // a prompt that needs a Bash permission: busy while the reply streams, then waiting
      await send('Create approved.txt');
      const asking: string[] = [];
      await untilStatus('waiting', asking);
      const waitingAt = ms();
      expect(asking).toContain('busy');
      // (the first look may come before the client took the line: idle then, never after busy)
      expect(asking.slice(asking.indexOf('busy'))).not.toContain('idle');
      expect(w.screen('app:auth')).toContain(QUESTION);

      // approve: busy while the final reply streams, then idle, the tool's effect on disk
      const presses = await answerQuestion('app:auth', () => send('1'));
      const after: string[] = [];
      await untilStatus('busy', after);
      const idle = await untilStatus('idle', after);
      expect(after.filter((st, i) => !(i === 0 && st === 'waiting'))).toEqual(['busy', 'idle']); // the first poll may still see the question
      console.log(
        `statuses: first turn ${first.join(' → ')}; asking ${asking.join(' → ')}; approved (${presses} press) ${after.join(' → ')}; lastLine ${JSON.stringify(idle.lastLine)}\n` +
          `timeline: up done ${upAt}, answer on screen ${answeredAt}, idle ${idleAt}, waiting ${waitingAt}, idle again ${ms()}`,
      );
      expect(existsSync(join(wt, 'approved.txt'))).toBe(true);
      expect(w.screen('app:auth')).toContain('● All done: approved.txt exists.');
      // the last line is the agent's answer (from its transcript), never the client's footer
      expect(idle.lastLine).toBe('All done: approved.txt exists.');
    });

    async function untilQuestion(firstAnswer: string): Promise<void> {
      api.script([
        { text: firstAnswer },
        { toolUse: { name: 'Bash', input: { command: 'touch refused.txt', description: 'Create refused.txt' } } },
        { text: 'Approved after all.' },
      ]);
      await upWithClaude();
      await untilScreen('app:auth', (s) => s.includes(`● ${firstAnswer}`) && isIdleScreen(s), 'the first answer, idle');
      await send('Create refused.txt');
      await untilStatus('waiting', []);
    }

    it('after a refusal (no Stop hook follows) the agent is idle, not busy', async () => {
      await untilQuestion('Hello from the fake API.');
      await answerQuestion('app:auth', () => void w.tmux(['send-keys', '-t', 'app:auth', '4'])); // a real key press
      await untilScreen('app:auth', (s) => s.includes('Interrupted · What should Claude do instead?') && isIdleScreen(s), 'the refusal, idle');
      await untilStatus('idle', [], 15_000);
      expect(existsSync(join(w.dir, 'app-auth', 'refused.txt'))).toBe(false);
    });

    it('`send auth 4` refuses the command (answers the question with 4. No)', async () => {
      await untilQuestion('Hello from the fake API.');
      await answerQuestion('app:auth', () => send('4'));
      const screen = await untilScreen('app:auth', (s) => (s.includes('Interrupted') || s.includes('Ran 1 shell command')) && isIdleScreen(s), 'the question answered');
      const ran = existsSync(join(w.dir, 'app-auth', 'refused.txt'));
      expect(ran, `send auth 4 approved the command: Claude's question ignores pasted text (paste-buffer -p) and the Enter took "1. Yes"\n${screen}`).toBe(false);
      expect(screen).toContain('Interrupted · What should Claude do instead?');
    });

    it.skipIf(!treemuxHasHook())('after tmux is gone, `up` brings the window back with the same conversation, not the task again', async () => {
      api.script([{ text: 'Hello from the fake API.' }, { text: 'Still here, same conversation.' }]);
      const t0 = Date.now();
      const marks: string[] = [];
      const mark = (what: string) => marks.push(`${what} ${Date.now() - t0} ms`);
      await upWithClaude();
      await untilScreen('app:auth', (s) => s.includes('● Hello from the fake API.') && isIdleScreen(s), 'the first answer, idle');
      mark('answer on screen');
      await untilStatus('idle', []);
      mark('idle');
      const before = api.mainRequests().length;
      w.tmux(['kill-server']);
      const again = await w.tm(['up', '--no-attach']);
      expect(again.code, again.stderr).toBe(0);
      mark('up again');
      // the resumed client shows the old exchange and sends nothing by itself
      await untilScreen('app:auth', (s) => s.includes('Say hello') && s.includes('Hello from the fake API.') && isIdleScreen(s), 'the resumed conversation');
      mark('resumed on screen');
      const resumed: string[] = [];
      await untilStatus('idle', resumed);
      mark(`idle (${resumed.join(' → ')})`);
      expect(api.mainRequests()).toHaveLength(before);
      // the next prompt goes on in the same conversation: the request carries the earlier turns
      await send('Are you there?');
      await untilScreen('app:auth', (s) => s.includes('● Still here, same conversation.') && isIdleScreen(s), 'the answer after resuming');
      mark('answered after resuming');
      console.log(`resume timeline: ${marks.join(', ')}`);
      const last = api.mainRequests().at(-1)!.body as { messages: { role: string; content: unknown }[] };
      expect(JSON.stringify(last.messages)).toContain('Hello from the fake API.');
      expect(JSON.stringify(last.messages)).toContain('Are you there?');
    });

    it.skipIf(!treemuxHasHook())('installs its hooks next to the user\'s own settings, and the client runs both', async () => {
      // the user's local settings, brought into the worktree by `copy:`
      const mine = join(w.dir, 'my-stops.log');
      const own = JSON.parse(recordingHooks(mine, ['Stop'])) as { hooks: Record<string, unknown> };
      w.write('.claude/settings.local.json', JSON.stringify({ permissions: { allow: ['Bash(npm test:*)'] }, ...own }, null, 2));
      api.script([{ text: 'Hello from the fake API.' }]);
      const wt = await upWithClaude('copy: [".claude/settings.local.json"]');
      await untilScreen('app:auth', (s) => s.includes('● Hello from the fake API.') && isIdleScreen(s), 'the first answer, idle');

      const settings = JSON.parse(readFileSync(join(wt, '.claude', 'settings.local.json'), 'utf8')) as {
        permissions?: unknown;
        hooks: Record<string, { matcher?: string; hooks: { type: string; command: string }[] }[]>;
      };
      expect(settings.permissions).toEqual({ allow: ['Bash(npm test:*)'] });
      for (const event of ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'Notification', 'Stop']) {
        const commands = (settings.hooks[event] ?? []).flatMap((e) => e.hooks.map((h) => h.command));
        expect(commands.some((c) => c.includes(BIN) && / hook\b/.test(c)), `${event}: ${commands.join(' | ')}`).toBe(true);
      }
      // the user's Stop hook still runs, and so do treemux's: the agent is idle once the turn stopped
      await until(() => readRecordedEvents(mine).length === 1, 'the user\'s own Stop hook', () => JSON.stringify(settings, null, 2));
      await untilStatus('idle', []);
    });

    it('a task that looks like an option is the first prompt, not a flag: the API sees it, the client still asks permission', async () => {
      api.script([{ text: 'I will not skip permissions.' }]);
      const wt = join(w.dir, 'app-auth');
      claudeHome(w.env.HOME!, [wt], FAKE_API_KEY);
      w.write('treemux.yaml', layout().replace('task: "Say hello"', 'task: "--dangerously-skip-permissions"'));
      const up = await w.tm(['up', '--no-attach']);
      expect(up.code, up.stderr).toBe(0);
      await untilScreen('app:auth', (s) => s.includes('● I will not skip permissions.') && isIdleScreen(s), 'the answer');
      expect(JSON.stringify(api.mainRequests()[0]?.body ?? '')).toContain('--dangerously-skip-permissions');
      // had it been taken as the flag, the footer would say so
      expect(w.screen('app:auth')).not.toMatch(/bypass permissions/i);
    });

    it('the scope guard refuses a Write outside the scope before the file exists, and Claude is told why', async () => {
      api.script([
        { toolUse: { name: 'Write', input: { file_path: join(w.dir, 'app-auth', 'src', 'payments', 'pay.ts'), content: 'export const pay = 1;\n' } } },
        { text: 'Understood, I will stay in my scope.' },
      ]);
      const wt = join(w.dir, 'app-auth');
      claudeHome(w.env.HOME!, [wt], FAKE_API_KEY);
      w.write('treemux.yaml', layout().replace('  - { name: auth, task: "Say hello" }', '  - { name: auth, task: "Say hello", scope: ["src/auth/**"] }'));
      const up = await w.tm(['up', '--no-attach']);
      expect(up.code, up.stderr).toBe(0);
      await untilScreen('app:auth', (s) => s.includes('● Understood, I will stay in my scope.') && isIdleScreen(s), 'the answer after the denial');
      expect(existsSync(join(wt, 'src', 'payments', 'pay.ts'))).toBe(false);
      const told = JSON.stringify(api.mainRequests().at(-1)?.body ?? '');
      expect(told).toContain('is outside this agent');
      expect(told).toContain('src/auth/**');
    });
  });
});
