// The real OpenAI Codex CLI (pinned, see test/helpers/codex.ts) alone in a tmux pane, offline against
// the scripted fake Responses API: what it shows, which of its events fire, with which payloads, and
// how it runs headless and resumes. treemux's Codex kind (src/agents/kinds/codex) is built on what
// these tests show; its screen rules and event reader are checked here on the live client too.
//
// Only with TREEMUX_CLIENT_TESTS=1 (`TREEMUX_CLIENT_TESTS=1 npx vitest run test/clients/codex`): the
// default suite collects this file and skips it without installing anything. With
// TREEMUX_RECORD_FIXTURES=1 it also rewrites the recorded screens and events in test/fixtures/.
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { showsQuestion } from '../../../src/agents/status/rules.js';
import { lastMeaningfulLine } from '../../../src/agents/status/status.js';
import { headlessArgv, operand } from '../../../src/agents/kinds/codex/args.js';
import { eventOf } from '../../../src/agents/kinds/codex/hook.js';
import { HOOK_EVENTS, hookConfigArgs, hookTrustHash, hookTrustKey } from '../../../src/agents/kinds/codex/hooks.js';
import { launchArgs } from '../../../src/agents/kinds/codex/index.js';
import { CODEX_BUSY_SCREEN, CODEX_CHROME, CODEX_SPLASH_SCREEN, CODEX_WAITING_SCREEN, codexScreenState, codexStatus } from '../../../src/agents/kinds/codex/status.js';
import { emptyFacts, readEvent, type CodexFacts, type CodexResult } from '../../../src/agents/kinds/codex/stream.js';
import { lastRolloutLine } from '../../../src/agents/kinds/codex/transcript.js';
import { CODEX_VERSION, codexWorldEachTest, readRecordedEvents, recordingCommand, recordingNotifyArgs, type RecordedEvent } from '../../helpers/codex.js';
import { callOutputs, SIDE_TITLE, userTexts, type FakeResponses, type Reply, type Usage } from '../../helpers/fake-openai-responses.js';
import { ROOT, type World } from '../../helpers/world.js';

const enabled = process.env.TREEMUX_CLIENT_TESTS === '1';
const RECORD = process.env.TREEMUX_RECORD_FIXTURES === '1';
const FIXTURES = join(ROOT, 'test', 'fixtures');
const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms));
const names = (events: RecordedEvent[]) => events.map((e) => e.event);
const usage = (input: number, output: number, cached = 0): Usage => ({
  input_tokens: input,
  input_tokens_details: { cached_tokens: cached },
  output_tokens: output,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: input + output,
});
/** An exec_command call that asks to leave the sandbox: the approval question (interactive), a refusal (exec). */
const escalated = (cmd: string, why: string): Reply => ({ call: { args: { cmd, sandbox_permissions: 'require_escalated', justification: why } } });

describe.skipIf(!enabled)(`real Codex CLI ${CODEX_VERSION}`, () => {
  let codex: string;
  let w: World;
  let api: FakeResponses;
  let home: string;
  codexWorldEachTest((c) => ({ codex, w, api, home } = c));

  const started = Date.now();
  const took = (what: string, since: number) => console.log(`${what}: ${Date.now() - since} ms (suite at ${Date.now() - started} ms)`);

  /** A recorded file, with the world's temp path made stable (same length: the screen's layout stays). */
  function record(rel: string, content: string): void {
    if (!RECORD) return;
    const file = join(FIXTURES, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    const stable = content.replaceAll(w.dir, w.dir.replace(/[^/]+$/, (m) => 'X'.repeat(m.length)));
    writeFileSync(file, stable.endsWith('\n') ? stable : `${stable}\n`);
  }

  function dump(target = 'h:0', events?: string): string {
    const ev = events ? `\nevents: ${names(readRecordedEvents(events)).join(' ')}` : '';
    return `screen of ${target}:\n${w.screen(target)}${ev}\nAPI traffic:\n${api.traffic()}`;
  }

  /** Polls until `check(screen)` holds; fails with the screen, the events and the API traffic. */
  async function untilScreen(check: (screen: string) => boolean, what: string, opts: { target?: string; events?: string; timeoutMs?: number } = {}): Promise<string> {
    const { target = 'h:0', timeoutMs = 20_000 } = opts;
    const end = Date.now() + timeoutMs;
    for (;;) {
      const screen = w.screen(target);
      if (check(screen)) return screen;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${dump(target, opts.events)}`);
      await tick();
    }
  }

  async function until<T>(fn: () => T | undefined | false, what: string, more: () => string, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw:\n${more()}`);
      await tick();
    }
  }

  /** The client in its own tmux session `h`, in the repository, 120x40. */
  function start(args: readonly string[], session = 'h'): string {
    w.tmux(['new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', w.repo, codex, ...args]);
    w.tmux(['set-option', '-t', session, 'remain-on-exit', 'on']);
    return `${session}:0`;
  }

  /**
   * The tmux server killed (its panes' programs with it), and gone: a new-session sent while the old
   * server still exits fails with "server exited unexpectedly".
   */
  async function killServer(): Promise<void> {
    w.tmux(['kill-server']);
    await until(() => {
      try {
        w.tmux(['list-sessions']);
        return false;
      } catch {
        return true;
      }
    }, 'the tmux server to be gone', () => w.screen('h:0'), 10_000);
    await tick(200);
  }

  /** What `treemux send` does: the text as a bracketed paste, then Enter. */
  function send(text: string, target = 'h:0'): void {
    w.tmux(['set-buffer', '-b', 'p', '--', text]);
    w.tmux(['paste-buffer', '-p', '-d', '-b', 'p', '-t', target]);
    w.tmux(['send-keys', '-t', target, 'Enter']);
  }

  const isIdle = (s: string) => codexScreenState(s) === 'idle';
  const hasAnswer = (text: string) => (s: string) => s.includes(`• ${text}`) && isIdle(s);

  /** Presses KEY until the approval question closes (a key sent as it is drawn may be dropped). */
  async function answerQuestion(key: string, target = 'h:0'): Promise<number> {
    await untilScreen((s) => CODEX_WAITING_SCREEN.test(s), 'the approval question', { target });
    for (let attempt = 1; ; attempt++) {
      w.tmux(['send-keys', '-t', target, key]);
      const end = Date.now() + 2_000;
      while (Date.now() < end) {
        if (!CODEX_WAITING_SCREEN.test(w.screen(target))) {
          await tick(150);
          if (!CODEX_WAITING_SCREEN.test(w.screen(target))) return attempt;
        }
        await tick();
      }
      if (attempt >= 5) throw new Error(`the approval question did not close after ${attempt} presses of ${key}:\n${w.screen(target)}`);
    }
  }

  /** Hooks recording to a file and notify recording to another, as -c overrides; the TUI without the daemon. */
  function eventArgs(): { args: string[]; events: string; notify: string } {
    const events = join(w.dir, 'hooks.log');
    const notify = join(w.dir, 'notify.log');
    return { args: [...launchArgs('interactive', recordingCommand(events)), ...recordingNotifyArgs(notify)], events, notify };
  }

  /** Each hook event read the kind's way, with the status it gives when no screen was read. */
  const statusesOf = (events: RecordedEvent[]) => events.map((e) => codexStatus({ hook: eventOf(e.data), screen: undefined, recent: false }));

  /** The lines of a JSONL file of events, paths made stable, for the fixtures. */
  const jsonl = (events: RecordedEvent[]) => events.map((e) => JSON.stringify(e.data)).join('\n');

  /** Runs `codex exec --json` the way treemux's runner does (stdin closed, stdout read line by line). */
  async function exec(prompt: string, resume?: string, launch: string[] = []): Promise<{ code: number; lines: string[]; stderr: string; facts: CodexFacts; shown: string[] }> {
    const argv = headlessArgv(codex, [], prompt, resume, launch);
    const r = await execa(argv[0]!, argv.slice(1), { cwd: w.repo, env: w.env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
    const lines = String(r.stdout).split('\n').filter(Boolean);
    let facts: CodexFacts = emptyFacts();
    const shown: string[] = [];
    for (const line of lines) {
      const read = readEvent(facts, line);
      facts = read.facts;
      shown.push(...read.shown);
    }
    return { code: r.exitCode ?? -1, lines, stderr: String(r.stderr), facts, shown };
  }

  it('a: answers the task given as its first prompt, busy meanwhile, then idle with the answer on screen', { timeout: 60_000 }, async () => {
    const t0 = Date.now();
    api.script([{ text: 'Hello from the fake API.', delayMs: 2000, usage: usage(1200, 30) }]);
    const { args, events, notify } = eventArgs();
    start([...args, ...operand('Say hello')]);

    // its first screen: the logo and the input, while it starts (best effort: it may pass in < 50 ms)
    const first = await untilScreen((s) => CODEX_SPLASH_SCREEN.test(s) || CODEX_BUSY_SCREEN.test(s), 'its first screen');
    if (CODEX_SPLASH_SCREEN.test(first) && first.includes('⣿')) record('screens/codex-splash.txt', first);
    const busy = await untilScreen((s) => CODEX_BUSY_SCREEN.test(s), 'the working line', { events });
    record('screens/codex-busy.txt', busy);
    expect(codexScreenState(busy)).toBe('busy');
    expect(busy).toContain('› Say hello');
    const idle = await untilScreen(hasAnswer('Hello from the fake API.'), 'the answer, idle', { events });
    took('a: the answer on screen', t0);
    record('screens/codex-idle.txt', idle);
    expect(showsQuestion(idle)).toBe(false);
    // the last meaningful line is the answer, never the input line or the footer
    expect(lastMeaningfulLine(idle, CODEX_CHROME)).toBe('• Hello from the fake API.');

    // the request: the task as the user's text, the fake model, the key from the provider's env_key
    const [req] = api.mainRequests();
    expect(userTexts(req).at(-1)).toBe('Say hello');
    expect((req!.body as { model: string }).model).toBe('gpt-fake');
    expect(req!.headers.authorization).toMatch(/^Bearer sk-treemux-fake/);
    // beside it the TUI asks for the thread's title: answered apart, it shows in the footer
    expect(api.requests.filter((r) => r.role === 'side').length).toBeGreaterThanOrEqual(1);
    expect(idle).toContain(SIDE_TITLE);

    // its hooks: the session, the prompt, the turn's end with the answer
    await until(() => names(readRecordedEvents(events)).includes('Stop'), 'the Stop hook', () => dump('h:0', events));
    const hooks = readRecordedEvents(events);
    expect(names(hooks)).toEqual(['SessionStart', 'UserPromptSubmit', 'Stop']);
    expect(statusesOf(hooks)).toEqual(['busy', 'busy', 'idle']);
    const [start0, submit, stop] = hooks;
    expect(start0!.data).toMatchObject({ hook_event_name: 'SessionStart', source: 'startup', cwd: w.repo, model: 'gpt-fake', permission_mode: 'default' });
    expect(String(start0!.data.session_id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/); // a UUID v7: the thread id
    expect(submit!.data).toMatchObject({ prompt: 'Say hello', session_id: start0!.data.session_id });
    expect(stop!.data).toMatchObject({ stop_hook_active: false, last_assistant_message: 'Hello from the fake API.' });
    expect(eventOf(stop!.data).message).toBe('Hello from the fake API.');
    // the transcript the hooks name: its last line is the answer
    const transcript = String(start0!.data.transcript_path);
    expect(transcript.startsWith(join(home, 'sessions'))).toBe(true);
    expect(lastRolloutLine(readFileSync(transcript, 'utf8'))).toBe('Hello from the fake API.');

    // notify: once per turn end, for the title's own thread too (another thread id)
    const notes = await until(() => (readRecordedEvents(notify).length >= 2 ? readRecordedEvents(notify) : undefined), 'two notifications', () => readFileSync(notify, 'utf8'));
    const main = notes.find((n) => n.data['thread-id'] === start0!.data.session_id);
    const title = notes.find((n) => n.data['thread-id'] !== start0!.data.session_id);
    expect(main?.data).toMatchObject({ type: 'agent-turn-complete', client: 'codex-tui', cwd: w.repo, 'input-messages': ['Say hello'], 'last-assistant-message': 'Hello from the fake API.' });
    expect(String((title?.data['input-messages'] as string[])[0])).toMatch(/^Generate a concise, single-line task title/);
    record('events/codex-notify.json', JSON.stringify(main!.data, null, 2));
    console.log(`hooks after the start: ${hooks.map((h) => `${h.event} +${h.at - t0} ms`).join(', ')}; notify +${main!.at - t0} ms`);
  });

  it('b: asks before an escalated command; approved with y it runs, then idle; refused with esc, the turn is interrupted', { timeout: 90_000 }, async () => {
    const t0 = Date.now();
    api.script([
      { ...escalated('touch approved.txt', 'Create approved.txt'), delayMs: 1500 },
      { text: 'All done: approved.txt exists.', delayMs: 1500 },
      escalated('touch refused.txt', 'Create refused.txt'),
      { text: 'never asked for' },
    ]);
    const { args, events } = eventArgs();
    start([...args, ...operand('Create approved.txt')]);

    const waiting = await untilScreen((s) => CODEX_WAITING_SCREEN.test(s) && s.includes('$ touch approved.txt'), 'the approval question', { events });
    const askedAt = Date.now();
    record('screens/codex-waiting.txt', waiting);
    expect(codexScreenState(waiting)).toBe('waiting');
    expect(showsQuestion(waiting)).toBe(true); // status/rules.ts's own question rule sees it too
    expect(waiting).toContain('Would you like to run the following command?');
    expect(waiting).toContain('Reason: Create approved.txt');
    expect(waiting).toMatch(/› 1\. Yes, proceed \(y\)/);
    expect(waiting).toContain('3. No, and tell Codex what to do differently (esc)');
    expect(existsSync(join(w.repo, 'approved.txt'))).toBe(false);
    await until(() => names(readRecordedEvents(events)).includes('PermissionRequest'), 'PermissionRequest', () => dump('h:0', events));

    const presses = await answerQuestion('y');
    const done = await untilScreen(hasAnswer('All done: approved.txt exists.'), 'the final answer', { events });
    expect(done).toContain('✔ You approved codex to run touch approved.txt this time');
    expect(done).toContain('• Ran touch approved.txt');
    expect(existsSync(join(w.repo, 'approved.txt'))).toBe(true);
    await until(() => names(readRecordedEvents(events)).filter((e) => e === 'Stop').length === 1, 'the Stop', () => dump('h:0', events));
    const approved = readRecordedEvents(events);
    expect(names(approved)).toEqual(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop']);
    expect(statusesOf(approved)).toEqual(['busy', 'busy', 'busy', 'waiting', 'busy', 'idle']);
    expect(approved[2]!.data).toMatchObject({ tool_name: 'Bash', tool_input: { command: 'touch approved.txt' } });
    expect(approved[3]!.data).toMatchObject({ tool_name: 'Bash', tool_input: { command: 'touch approved.txt', description: 'Create approved.txt' } });
    expect(approved[4]!.data).toMatchObject({ tool_name: 'Bash', tool_use_id: approved[2]!.data.tool_use_id });
    const permissionAt = approved[3]!.at;

    // refused: esc at the question interrupts the turn; an Interrupt hook, no Stop
    send('Create refused.txt');
    await untilScreen((s) => CODEX_WAITING_SCREEN.test(s) && s.includes('$ touch refused.txt'), 'the second question', { events });
    await answerQuestion('Escape');
    const refused = await untilScreen((s) => s.includes('Conversation interrupted') && isIdle(s), 'the interruption, idle', { events });
    record('screens/codex-interrupted.txt', refused);
    expect(refused).toContain('✗ You canceled the request to run touch refused.txt');
    expect(existsSync(join(w.repo, 'refused.txt'))).toBe(false);
    await until(() => names(readRecordedEvents(events)).includes('Interrupt'), 'the Interrupt hook', () => dump('h:0', events));
    const all = readRecordedEvents(events);
    expect(names(all.slice(approved.length))).toEqual(['UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'Interrupt']);
    expect(statusesOf(all.slice(approved.length))).toEqual(['busy', 'busy', 'waiting', 'idle']);
    expect(api.mainRequests()).toHaveLength(3); // the refusal sent nothing more
    record('events/codex-hooks.jsonl', jsonl(all));
    console.log(`question seen +${askedAt - t0} ms (PermissionRequest hook +${permissionAt - t0} ms), approved after ${presses} press(es); events ${names(all).join(' ')}`);
    took('b', t0);
  });

  it('b2: a pasted choice at the question is ignored and the Enter after it approves (what `treemux send AGENT 3` does)', { timeout: 60_000 }, async () => {
    api.script([escalated('touch pasted.txt', 'Create pasted.txt'), { text: 'Made it.' }]);
    start(['--no-daemon', ...operand('Create pasted.txt')]);
    await untilScreen((s) => CODEX_WAITING_SCREEN.test(s), 'the approval question');
    await tick(1000); // past the moment a key can be dropped
    send('3'); // "3. No …" as a paste, then Enter
    const screen = await untilScreen((s) => (s.includes('• Made it.') || s.includes('Conversation interrupted')) && isIdle(s), 'the question answered');
    expect(existsSync(join(w.repo, 'pasted.txt')), `a pasted 3 + Enter did not approve:\n${screen}`).toBe(true);
    expect(screen).toContain('✔ You approved codex to run touch pasted.txt this time');
  });

  it('c: headless `exec --json` runs to its end: the thread id, the agent message, turn.completed usage; a failure is turn.failed', { timeout: 60_000 }, async () => {
    const t0 = Date.now();
    api.script([
      { call: { args: { cmd: 'echo made > made.txt; echo done' } }, text: 'I will make made.txt.', usage: usage(1000, 20, 100) },
      { text: 'Made made.txt.\nIt says made.', usage: usage(1500, 30, 200) },
    ]);
    const events = join(w.dir, 'hooks.log');
    const run = await exec('Make made.txt', undefined, hookConfigArgs(recordingCommand(events)));
    took('c: exec', t0);
    expect(run.code, `${run.stderr}\n${run.lines.join('\n')}`).toBe(0);
    record('events/codex-exec.jsonl', run.lines.join('\n'));
    const types = run.lines.map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types[0]).toBe('thread.started');
    expect(types.at(-1)).toBe('turn.completed');
    expect(types).toContain('turn.started');
    const first = JSON.parse(run.lines[0]!) as { thread_id: string };
    expect(existsSync(join(w.repo, 'made.txt'))).toBe(true);
    const last = JSON.parse(run.lines.at(-1)!) as { usage: Record<string, number> };
    console.log(`turn.completed usage: ${JSON.stringify(last.usage)}`);
    // the turn's usage is the sum of its two model responses
    expect(last.usage).toMatchObject({ input_tokens: 2500, cached_input_tokens: 300, output_tokens: 50, reasoning_output_tokens: 0 });

    // the kind's reader: thread id, outcome, turns, tokens, no cost, the last message as the last line
    const { facts } = run;
    expect(facts.sessionId).toBe(first.thread_id);
    expect(facts.phase).toBe('done');
    expect(facts.toolCalls).toBe(1);
    const result = facts.result as CodexResult;
    expect(result).toMatchObject({ ok: true, subtype: 'success', text: 'Made made.txt.\nIt says made.', turns: 1, costUsd: null, runCostUsd: null });
    expect(result.tokens).toEqual({ input: 2500, cachedInput: 300, output: 50, reasoningOutput: 0 });
    expect(facts.lastText).toBe('It says made.');
    expect(run.shown).toEqual(expect.arrayContaining(['I will make made.txt.', '⚙ $ echo made > made.txt; echo done', 'Made made.txt.', 'It says made.']));
    // its hooks run headless too (the scope guard's PreToolUse among them)
    const hooks = readRecordedEvents(events);
    expect(names(hooks)).toEqual(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop', 'SessionEnd']);
    expect(hooks[0]!.data).toMatchObject({ session_id: first.thread_id, permission_mode: 'bypassPermissions' });

    // an API failure: `error`, then turn.failed, exit 1
    api.script([{ error: { status: 500, message: 'boom' } }]);
    const failed = await exec('Fail please');
    record('events/codex-exec-failed.jsonl', failed.lines.join('\n'));
    expect(failed.code).toBe(1);
    expect(failed.lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['thread.started', 'turn.started', 'error', 'turn.failed']);
    expect(failed.facts.result).toMatchObject({ ok: false, subtype: 'error', turns: 1 });
    expect(failed.facts.result!.errors).toHaveLength(1);

    // a command that asks to leave the sandbox: exec never asks; refused, on stderr only
    api.script([escalated('touch escalated.txt', 'Create escalated.txt'), { text: 'Could not.' }]);
    const refused = await exec('Escalate');
    expect(refused.code).toBe(0);
    expect(existsSync(join(w.repo, 'escalated.txt'))).toBe(false);
    expect(refused.stderr).toMatch(/approval policy is Never; reject command/);
    expect(refused.lines.join('\n')).not.toMatch(/approval policy/);
    took('c', t0);
  });

  it('d: `exec resume ID` continues the thread with a follow-up (even one that starts with -); the TUI resumes it, also after its tmux server was killed', { timeout: 120_000 }, async () => {
    const t0 = Date.now();
    api.script([
      { text: 'First answer.', usage: usage(1000, 10) },
      { text: 'Second answer.', usage: usage(2000, 20) },
    ]);
    const firstRun = await exec('First question');
    const id = firstRun.facts.sessionId!;
    expect(id).toBeTruthy();
    const resumed = await exec('--second-question', id);
    record('events/codex-exec-resume.jsonl', resumed.lines.join('\n'));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.facts.sessionId).toBe(id); // thread.started names the same thread
    expect(resumed.facts.result).toMatchObject({ ok: true, text: 'Second answer.' });
    // the usage is the thread's totals so far (both runs' requests), not this run's
    expect((resumed.facts.result as CodexResult).tokens).toEqual({ input: 3000, cachedInput: 0, output: 30, reasoningOutput: 0 });
    const req = api.mainRequests().at(-1);
    expect(userTexts(req).slice(-2)).toEqual(['First question', '--second-question']);
    expect(JSON.stringify(req!.body)).toContain('First answer.');
    took('d: exec and exec resume', t0);

    // the TUI resumes the thread exec made: the exchange on screen, nothing sent by itself
    const { args, events } = eventArgs();
    const before = api.mainRequests().length;
    start([...args, 'resume', id]);
    const shown = await untilScreen((s) => s.includes('Second answer.') && isIdle(s), 'the resumed thread', { events });
    expect(shown).toContain('--second-question');
    expect(api.mainRequests()).toHaveLength(before);
    api.push({ text: 'Third answer.' });
    await tick(500);
    // no hook yet: SessionStart comes with the first turn, not when the program starts
    expect(readRecordedEvents(events)).toEqual([]);
    send('Third question');
    await untilScreen(hasAnswer('Third answer.'), 'the answer after resuming', { events });
    await until(() => names(readRecordedEvents(events)).includes('Stop'), 'the Stop', () => dump('h:0', events));
    expect(names(readRecordedEvents(events))).toEqual(['SessionStart', 'UserPromptSubmit', 'Stop']);
    expect(readRecordedEvents(events)[0]!.data).toMatchObject({ source: 'resume', session_id: id });
    took('d: TUI resume', t0);

    // what `up` does after tmux is gone: the window comes back with `resume ID`
    await killServer();
    api.push({ text: 'Fourth answer.' });
    start([...args, 'resume', id]);
    const again = await untilScreen((s) => s.includes('Third answer.') && isIdle(s), 'the thread resumed again', { events });
    expect(again).not.toMatch(/open in another app/);
    send('Fourth question');
    await untilScreen(hasAnswer('Fourth answer.'), 'the answer after the second resume', { events });
    const last = api.mainRequests().at(-1);
    expect(userTexts(last).slice(-4)).toEqual(['First question', '--second-question', 'Third question', 'Fourth question']);
    took('d', t0);
  });

  it('e: hooks and notify given as -c overrides run, trusted by their hash, with nothing written in the repository or CODEX_HOME; a wrong hash is not trusted', { timeout: 90_000 }, async () => {
    const t0 = Date.now();
    const config = readFileSync(join(home, 'config.toml'), 'utf8');
    api.script([{ text: 'Hello.' }]);
    const { args, events } = eventArgs();
    start([...args, ...operand('Say hello')]);
    const idle = await untilScreen(hasAnswer('Hello.'), 'the answer', { events });
    expect(idle).not.toContain('Hooks need review');
    await until(() => names(readRecordedEvents(events)).includes('Stop'), 'the Stop hook', () => dump('h:0', events));
    expect(w.git(['status', '--porcelain']).trim()).toBe('');
    expect(readFileSync(join(home, 'config.toml'), 'utf8')).toBe(config);
    expect(existsSync(join(home, 'hooks.json'))).toBe(false);
    await killServer();

    // a hash that is not Codex's: the hook stays untrusted, and the TUI opens its review dialog first
    const wrong = join(w.dir, 'wrong.log');
    const command = recordingCommand(wrong);
    const stop = HOOK_EVENTS.find((e) => e.name === 'Stop')!;
    const badHash = hookTrustHash(stop.label, command, stop.timeout + 1);
    api.script([{ text: 'Hello again.' }]);
    start([
      '--no-daemon',
      '-c',
      `hooks.Stop=[{hooks=[{type="command",command=${JSON.stringify(command)},timeout=${stop.timeout}}]}]`,
      '-c',
      `hooks.state={${JSON.stringify(hookTrustKey(stop.label))}={trusted_hash=${JSON.stringify(badHash)}}}`,
      ...operand('Say hello'),
    ]);
    const review = await untilScreen((s) => s.includes('Hooks need review'), 'the hooks review dialog');
    record('screens/codex-hooks-review.txt', review);
    expect(review).toMatch(/hooks? (is|are) new or changed/);
    // continue without trusting: the turn runs, the hook does not. A number picks its choice at once; a
    // key that comes while the TUI starts is lost: pressed again (at most 5 times) until the dialog goes
    for (let i = 0; i < 5 && w.screen('h:0').includes('Hooks need review'); i++) {
      w.tmux(['send-keys', '-t', 'h:0', '3']);
      const gone = Date.now() + 2000;
      while (Date.now() < gone && w.screen('h:0').includes('Hooks need review')) await tick();
    }
    await untilScreen(hasAnswer('Hello again.'), 'the answer without the hook');
    await tick(500);
    expect(readRecordedEvents(wrong)).toEqual([]);
    took('e', t0);
  });

  it('f: treemux\'s own hook handler under the real client: the instructions as context, a patch outside the scope denied before it is applied, events and thread recorded', { timeout: 60_000 }, async (ctx) => {
    const built = join(ROOT, 'dist', 'agents', 'kinds', 'codex', 'hook.js');
    if (!existsSync(built)) ctx.skip(); // needs `npm run build`
    const stateDir = join(w.repo, '.git', 'treemux');
    mkdirSync(stateDir, { recursive: true });
    const handler = join(w.dir, 'codex-hook.mjs');
    writeFileSync(
      handler,
      [
        `import { handleHook } from ${JSON.stringify(built)};`,
        `import { readAgentEnv } from ${JSON.stringify(join(ROOT, 'dist', 'project', 'env.js'))};`,
        'let input = "";',
        'for await (const c of process.stdin) input += c;',
        'process.stdout.write(await handleHook(input, readAgentEnv()));',
        '',
      ].join('\n'),
    );
    w.write('CLAUDE.local.md', '# Instructions for agent `auth`\n\nINSTRUCTIONS-MARKER: change only src/auth.\n');
    Object.assign(w.env, {
      TREEMUX_AGENT: 'auth',
      TREEMUX_STATE_DIR: stateDir,
      TREEMUX_WORKTREE: w.repo,
      TREEMUX_SCOPE: JSON.stringify({ scope: ['src/auth/**'], avoid: [], mode: 'deny' }),
    });
    api.script([
      { custom: { input: '*** Begin Patch\n*** Add File: src/payments/pay.ts\n+export const pay = 1;\n*** End Patch\n' } },
      { text: 'Understood, I will stay in my scope.' },
    ]);
    const run = await exec('Add a payment', undefined, hookConfigArgs(`${JSON.stringify(process.execPath)} ${JSON.stringify(handler)}`));
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(w.repo, 'src', 'payments', 'pay.ts'))).toBe(false);
    expect(run.stderr).toMatch(/Command blocked by PreToolUse hook: treemux: src\/payments\/pay.ts may not be changed/);
    const [firstReq, secondReq] = api.mainRequests();
    // the instructions, as a developer message of the first request
    expect(JSON.stringify(firstReq!.body)).toContain('INSTRUCTIONS-MARKER');
    // the model is told why
    expect(Object.values(callOutputs(secondReq)).join('\n')).toContain("is outside this agent's scope (src/auth/**)");
    const recorded = readFileSync(join(stateDir, 'events', 'auth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; tool?: string; message?: string; sessionId?: string });
    expect(recorded.map((e) => e.event)).toEqual(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'Stop', 'SessionEnd']);
    expect(recorded[2]).toMatchObject({ tool: 'apply_patch' });
    expect(recorded[2]!.message).toMatch(/may not be changed/);
    expect(recorded[0]!.sessionId).toBe(run.facts.sessionId);
  });

  it('h: an API error ends the turn without a Stop hook (the screen says it is idle); /quit runs SessionEnd and prints how to resume', { timeout: 60_000 }, async () => {
    api.script([{ error: { status: 500, message: 'boom' } }]);
    const { args, events } = eventArgs();
    start([...args, ...operand('Fail please')]);
    const failed = await untilScreen((s) => s.includes('■ ') && isIdle(s), 'the error, idle', { events });
    record('screens/codex-error.txt', failed);
    await tick(1000);
    const hooks = readRecordedEvents(events);
    expect(names(hooks)).toEqual(['SessionStart', 'UserPromptSubmit']);
    // the last event says busy; the screen read without output growing says otherwise
    const last = eventOf(hooks.at(-1)!.data);
    expect(codexStatus({ hook: last, screen: undefined, recent: false })).toBe('busy');
    expect(codexStatus({ hook: last, screen: failed, recent: false })).toBe('idle');
    expect(lastMeaningfulLine(failed, CODEX_CHROME)).toMatch(/^■ /);

    send('/quit');
    await until(() => w.tmux(['display-message', '-p', '-t', 'h:0', '#{pane_dead}']).trim() === '1', 'the program to exit', () => dump('h:0', events));
    const id = String(hooks[0]!.data.session_id);
    expect(w.screen('h:0')).toContain(`codex resume ${id}`);
    await until(() => names(readRecordedEvents(events)).includes('SessionEnd'), 'SessionEnd', () => dump('h:0', events));
    expect(readRecordedEvents(events).at(-1)!.data).toMatchObject({ hook_event_name: 'SessionEnd', session_id: id });
  });

  // Without `-c disable_paste_burst=true` Codex takes keys followed at once by Enter for a paste and
  // leaves the line in its input (0 of 3 by hand; docs/agents-codex.md); whether it does depends on
  // how fast the keys come, so only the kind's way is tested here.
  it('i: a line typed as keys and Enter at once (how `treemux send` types one line) is sent with the kind\'s args', { timeout: 60_000 }, async () => {
    const typeLine = (text: string, target: string) => {
      w.tmux(['send-keys', '-t', target, '-l', '--', text]);
      w.tmux(['send-keys', '-t', target, 'Enter']);
    };
    api.script([{ text: 'First.' }, { text: 'Typed one sent.' }]);
    start([...launchArgs('interactive', 'true'), ...operand('Say hello')], 'q');
    await untilScreen(hasAnswer('First.'), 'the first answer', { target: 'q:0' });
    typeLine('Typed line one', 'q:0');
    await untilScreen(hasAnswer('Typed one sent.'), 'the typed line answered', { target: 'q:0' });
  });

  it('g: a task that looks like an option (--yolo) is the first prompt, not a flag: the API sees it and the client still asks', { timeout: 60_000 }, async () => {
    api.script([escalated('touch yolo.txt', 'Create yolo.txt')]);
    start(['--no-daemon', ...operand('--yolo')]);
    const waiting = await untilScreen((s) => CODEX_WAITING_SCREEN.test(s), 'the approval question (had --yolo been taken as the flag, none would come)');
    expect(waiting).toContain('› --yolo');
    expect(userTexts(api.mainRequests()[0]).at(-1)).toBe('--yolo');
    expect(existsSync(join(w.repo, 'yolo.txt'))).toBe(false);
  });
});
