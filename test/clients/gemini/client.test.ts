// The real Gemini CLI (pinned, see test/helpers/gemini.ts) alone in a tmux pane or run headless,
// offline against the scripted fake Gemini API (test/helpers/fake-gemini-api.ts): what it shows, which
// hooks it runs with what payloads, its stream-json events, resuming, how its parser takes a prompt,
// and how treemux's Gemini kind (src/agents/kinds/gemini) reads all that.
//
// Runs only with TREEMUX_CLIENT_TESTS=1 (the default suite collects this file and skips it without
// installing anything): `TREEMUX_CLIENT_TESTS=1 npx vitest run test/clients/gemini`. With
// TREEMUX_RECORD_FIXTURES=1 it also rewrites the recorded screens and events under test/fixtures/.
import { existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import {
  gemini as geminiKind,
  geminiScreenStatus,
  geminiStatus,
  denyOutput,
  eventOf,
  GEMINI_CHROME,
  lastTranscriptLine,
  mergeContextFiles,
  mergeHooks,
  readEvent,
  emptyFacts,
  showsGeminiBusy,
  showsGeminiIdle,
  showsGeminiQuestion,
  SUBMIT_DELAY_MS,
  type GeminiFacts,
} from '../../../src/agents/kinds/gemini/index.js';
import { lastLineOf } from '../../../src/agents/kinds/facts.js';
import { lastMeaningfulLine } from '../../../src/agents/status/status.js';
import { geminiHome, geminiWorldEachTest, readRecordedEvents, recordingCommand, recordingHooks, type RecordedEvent } from '../../helpers/gemini.js';
import type { FakeGeminiApi, GeminiRequest } from '../../helpers/fake-gemini-api.js';
import { ROOT, type World } from '../../helpers/world.js';

const enabled = process.env.TREEMUX_CLIENT_TESTS === '1';
const record = process.env.TREEMUX_RECORD_FIXTURES === '1';
const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms));
const names = (events: RecordedEvent[]) => events.map((e) => e.event);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Writes a fixture when recording. */
function fixture(rel: string, content: string): void {
  if (!record) return;
  const file = join(ROOT, 'test', 'fixtures', rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** The prompt a request sends: the last text part of its last content (a first one carries <session_context> before it). */
function promptOf(req: GeminiRequest | undefined): string {
  return lastUserTexts(req).at(-1) ?? '';
}

/** The text parts of a request's last content (the prompt or the tool's result it sends). */
function lastUserTexts(req: GeminiRequest | undefined): string[] {
  const contents = ((req?.body ?? {}) as { contents?: { role?: string; parts?: { text?: string }[] }[] }).contents ?? [];
  return (contents[contents.length - 1]?.parts ?? []).map((p) => p.text ?? '').filter(Boolean);
}

/** A request's conversation as role: first text, for failure messages and history checks. */
function conversation(req: GeminiRequest | undefined): string[] {
  const contents = ((req?.body ?? {}) as { contents?: { role?: string; parts?: Record<string, unknown>[] }[] }).contents ?? [];
  return contents.map((c) => {
    const p = c.parts ?? [];
    const text = p.map((x) => (typeof x.text === 'string' ? x.text : x.functionCall ? `[call ${(x.functionCall as { name: string }).name}]` : x.functionResponse ? '[result]' : '')).join(' | ');
    return `${c.role ?? '?'}: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`;
  });
}

describe.skipIf(!enabled)('real Gemini CLI', () => {
  let gemini: string;
  let w: World;
  let api: FakeGeminiApi;
  geminiWorldEachTest((c) => ({ gemini, w, api } = c));

  const events = () => join(w.dir, 'events.log');
  const screen = () => w.tmux(['capture-pane', '-p', '-t', 'h:0']);
  const dump = () =>
    `screen of h:0:\n${w.screen('h:0')}\nhook events: ${names(readRecordedEvents(events())).join(' ')}\nAPI requests:\n${api.traffic()}`;

  async function until<T>(fn: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw:\n${dump()}`);
      await tick();
    }
  }
  const untilScreen = (check: (s: string) => boolean, what: string, timeoutMs = 20_000) =>
    until(() => {
      const s = screen();
      return check(s) ? s : undefined;
    }, what, timeoutMs);

  /** The client in tmux session `h` (120×40), in `cwd`, the pane kept when it exits. */
  function startInteractive(args: string[], cwd = w.repo): void {
    w.tmux(['new-session', '-d', '-s', 'h', '-x', '120', '-y', '40', '-c', cwd, process.execPath, gemini, ...args]);
    w.tmux(['set-option', '-t', 'h', 'remain-on-exit', 'on']);
  }

  /** The worktree's .gemini/settings.json: treemux's merge of recording hooks into `existing`, excluded from git. */
  function workspaceHooks(existing: string | null, cwd = w.repo): string {
    const file = join(cwd, '.gemini', 'settings.json');
    mkdirSync(dirname(file), { recursive: true });
    const merged = mergeHooks(existing, recordingCommand(events()));
    writeFileSync(file, merged);
    appendFileSync(join(cwd, '.git', 'info', 'exclude'), '/.gemini/settings.json\n');
    return merged;
  }

  /** Types a prompt, waits past the client's fast-Enter window, submits it, and waits until it was taken. */
  async function submit(text: string): Promise<void> {
    const before = api.mainRequests().length;
    w.tmux(['send-keys', '-t', 'h:0', '-l', text]);
    await untilScreen((s) => s.includes(`> ${text}`), `"${text}" in the input line`);
    await tick(SUBMIT_DELAY_MS);
    w.tmux(['send-keys', '-t', 'h:0', 'Enter']);
    await until(() => api.mainRequests().length > before, `the request for "${text}"`);
  }

  /** Presses a key at the question until it closes (a key sent as the box is drawn may be lost). */
  async function answer(key: string): Promise<number> {
    await untilScreen(showsGeminiQuestion, 'the question');
    for (let attempt = 1; ; attempt++) {
      w.tmux(['send-keys', '-t', 'h:0', key]);
      const end = Date.now() + 2_000;
      while (Date.now() < end) {
        if (!showsGeminiQuestion(screen())) {
          await tick(150);
          if (!showsGeminiQuestion(screen())) return attempt;
        }
        await tick();
      }
      if (attempt >= 5) throw new Error(`the question did not close after ${attempt} presses of ${key}:\n${dump()}`);
    }
  }

  /** The client headless, to its end: `node <gemini> ...args` in `cwd` with the world's env and `extra`. */
  async function headless(args: string[], extra: Record<string, string> = {}, cwd = w.repo) {
    const r = await execa(process.execPath, [gemini, ...args], { cwd, env: { ...w.env, ...extra }, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
    const lines = String(r.stdout).split('\n').filter((l) => l.trim());
    return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), lines };
  }

  /** Stream-json lines read through the kind's reader. */
  function readAll(lines: string[]): { facts: GeminiFacts; shown: string[] } {
    let facts = emptyFacts();
    const shown: string[] = [];
    for (const line of lines) {
      const r = readEvent(facts, line);
      facts = r.facts;
      shown.push(...r.shown);
    }
    return { facts, shown };
  }

  it('interactive: the task as the first prompt is answered, then idle; the worktree\'s hooks run beside the user\'s', async () => {
    // the user's own hook (HOME) and one the worktree already had: both must still run beside treemux's
    const userLog = join(w.dir, 'user.log');
    const ownLog = join(w.dir, 'own.log');
    geminiHome(w.env.HOME!, { extra: { hooks: { SessionStart: [{ hooks: [{ type: 'command', name: 'user', command: recordingCommand(userLog) }] }] } } });
    const own = JSON.stringify({ ui: { hideTips: false }, hooks: { AfterAgent: [{ hooks: [{ type: 'command', name: 'own', command: recordingCommand(ownLog) }] }] } });
    const merged = workspaceHooks(own);
    expect(JSON.parse(merged).ui).toEqual({ hideTips: false });
    expect(w.git(['status', '--porcelain'])).toBe(''); // nothing tracked touched, nothing untracked shown

    api.script([{ text: 'Hello from the fake Gemini API.', delayMs: 5000 }, { text: 'Second answer.' }]);
    startInteractive(['--prompt-interactive=Say hello']);

    // busy: hooks running ("Executing Hooks: …", shown for ~2.5 s however short they are), then the
    // model awaited (a phrase: "Thinking...", or
    // a witty one), both with "(esc to cancel, 0s)"
    const busy = await untilScreen((s) => showsGeminiBusy(s) && !/Executing Hook/.test(s), 'the busy spinner');
    expect(geminiScreenStatus(busy)).toBe('busy');
    const spinner = busy.split('\n').find((l) => /\(esc to cancel, \d+s\)/.test(l));
    console.log(`the spinner line: ${JSON.stringify(spinner)}`);
    expect(spinner).toMatch(/^ \S .+ \(esc to cancel, \d+s\) +\? for shortcuts$/);
    fixture('screens/gemini-busy.txt', busy);
    const answered = await untilScreen((s) => s.includes('✦ Hello from the fake Gemini API.') && showsGeminiIdle(s), 'the answer, idle', 30_000);
    expect(geminiScreenStatus(answered)).toBe('idle');
    // the AfterAgent hooks run after the answer shows: "Executing Hooks: …" then, without "esc to cancel"
    const idle = await untilScreen((s) => showsGeminiIdle(s) && !/Executing Hook/.test(s), 'idle with no hook running');
    expect(idle).toContain('> Say hello');
    fixture('screens/gemini-idle.txt', idle);
    // the screen's last line is the answer: the footer, hints and input box are chrome
    expect(lastMeaningfulLine(idle, GEMINI_CHROME)).toBe('✦ Hello from the fake Gemini API.');
    // first sight of a folder's hooks: a warning on screen, then they run (and are remembered in HOME)
    const history = () => w.tmux(['capture-pane', '-p', '-S', '-200', '-t', 'h:0']);
    expect(history()).toMatch(/WARNING: The following project-level hooks have been detected in this workspace:\n\s*- treemux\n\s*- own\n/);

    await until(() => names(readRecordedEvents(events())).includes('AfterAgent'), 'AfterAgent');
    const seen = readRecordedEvents(events());
    expect(names(seen)).toEqual(['SessionStart', 'BeforeAgent', 'AfterAgent']);
    const [start, before, after] = seen;
    const sessionId = String(start!.data.session_id);
    expect(sessionId).toMatch(UUID);
    expect(start!.data).toMatchObject({ hook_event_name: 'SessionStart', source: 'startup', cwd: w.repo });
    expect(String(start!.data.transcript_path)).toMatch(new RegExp(`/\\.gemini/tmp/app/chats/session-[0-9T-]+-${sessionId.slice(0, 8)}\\.jsonl$`));
    expect(before!.data).toMatchObject({ prompt: 'Say hello', session_id: sessionId });
    // AfterAgent's prompt_response: the streamed pieces joined with spaces, some repeated — not the exact text
    expect(String(after!.data.prompt_response)).toContain('Hello from the fake Gemini API.');
    console.log(`AfterAgent prompt_response: ${JSON.stringify(after!.data.prompt_response)}`);
    // the transcript has it exact
    expect(lastTranscriptLine(readFileSync(String(start!.data.transcript_path), 'utf8'))).toBe('Hello from the fake Gemini API.');
    expect(eventOf(after!.data)).toMatchObject({ event: 'AfterAgent', sessionId, transcriptPath: start!.data.transcript_path });
    expect(geminiStatus({ hook: eventOf(after!.data), screen: idle, recent: false })).toBe('idle');
    // the user's and the worktree's own hooks ran too
    expect(names(readRecordedEvents(userLog))).toEqual(['SessionStart']);
    await until(() => names(readRecordedEvents(ownLog)).includes('AfterAgent'), 'the worktree\'s own AfterAgent');

    // Enter right after the text (one tmux command: within the client's 30 ms) is a newline, not a submission
    const requests = api.mainRequests().length;
    w.tmux(['send-keys', '-t', 'h:0', '-l', 'Second', ';', 'send-keys', '-t', 'h:0', 'Enter']);
    await untilScreen((s) => s.includes('> Second'), 'the typed text');
    await tick(1500);
    expect(api.mainRequests().length).toBe(requests);
    // an Enter after a pause submits (the text with the newline the fast Enter put in)
    w.tmux(['send-keys', '-t', 'h:0', 'Enter']);
    await until(() => api.mainRequests().length > requests, 'the second prompt\'s request');
    expect(promptOf(api.mainRequests().at(-1))).toMatch(/^Second\n?$/);
    await untilScreen((s) => s.includes('✦ Second answer.') && showsGeminiIdle(s), 'the second answer');
  }, 90_000);

  it('a permission question for a command: approved, it runs; an edit refused with Esc fires no event after the Notification', async () => {
    workspaceHooks(null);
    api.script([
      { functionCall: { name: 'run_shell_command', args: { command: 'touch approved.txt', description: 'Create approved.txt' } }, delayMs: 1000 },
      { text: 'All done: approved.txt exists.', delayMs: 1000 },
      { functionCall: { name: 'write_file', args: { file_path: 'notes.txt', content: 'hi\n' } } },
      { text: '(not reached)' },
    ]);
    startInteractive(['--prompt-interactive=Create approved.txt']);

    const asking = await untilScreen((s) => s.includes('Allow execution of [Shell]?'), 'the permission question', 30_000);
    expect(geminiScreenStatus(asking)).toBe('waiting');
    fixture('screens/gemini-waiting.txt', asking);
    expect(asking).toMatch(/│ \? Shell {2}touch approved\.txt/);
    expect(asking).toMatch(/● 1\. Allow once/);
    const note = await until(() => readRecordedEvents(events()).find((e) => e.event === 'Notification'), 'the Notification hook');
    expect(names(readRecordedEvents(events()))).toEqual(['SessionStart', 'BeforeAgent', 'BeforeTool', 'Notification']);
    const beforeTool = readRecordedEvents(events())[2]!;
    expect(beforeTool.data).toMatchObject({ tool_name: 'run_shell_command', tool_input: { command: 'touch approved.txt', description: 'Create approved.txt' } });
    expect(note.data).toMatchObject({
      notification_type: 'ToolPermission',
      message: 'Tool Confirm Shell Command requires execution',
      details: { type: 'exec', title: 'Confirm Shell Command', command: 'touch approved.txt', rootCommand: 'touch' },
    });
    expect(note.at - beforeTool.at).toBeLessThan(2_000); // at once, not after a wait
    expect(geminiStatus({ hook: eventOf(note.data), screen: asking, recent: false })).toBe('waiting');
    expect(geminiStatus({ hook: eventOf(note.data), screen: undefined, recent: false })).toBe('waiting');
    expect(existsSync(join(w.repo, 'approved.txt'))).toBe(false);

    await answer('1');
    const done = await untilScreen((s) => s.includes('✦ All done: approved.txt exists.') && showsGeminiIdle(s), 'the final answer');
    expect(done).toMatch(/✓ {2}Shell touch approved\.txt/);
    expect(existsSync(join(w.repo, 'approved.txt'))).toBe(true);
    await until(() => names(readRecordedEvents(events())).filter((e) => e === 'AfterAgent').length === 1, 'AfterAgent');
    expect(names(readRecordedEvents(events()))).toEqual(['SessionStart', 'BeforeAgent', 'BeforeTool', 'Notification', 'AfterTool', 'AfterAgent']);
    expect(readRecordedEvents(events())[4]!.data).toMatchObject({ tool_name: 'run_shell_command', tool_response: { llmContent: expect.stringContaining('Output: (empty)') } });

    // an edit: "Apply this change?"; refused with Esc the turn ends ("Request cancelled.") and no hook fires
    await submit('Write notes');
    const edit = await untilScreen((s) => s.includes('Apply this change?'), 'the edit question');
    expect(geminiScreenStatus(edit)).toBe('waiting');
    expect(edit).toMatch(/\? WriteFile {2}Writing to notes\.txt/);
    const editNote = await until(() => readRecordedEvents(events()).filter((e) => e.event === 'Notification')[1], 'the second Notification');
    expect(editNote.data).toMatchObject({ notification_type: 'ToolPermission', message: 'Tool Confirm Write: notes.txt requires editing', details: { type: 'edit', fileName: 'notes.txt', filePath: join(w.repo, 'notes.txt') } });
    const count = readRecordedEvents(events()).length;
    await answer('Escape');
    const refused = await untilScreen((s) => s.includes('Request cancelled.') && showsGeminiIdle(s), 'the refusal, idle');
    expect(refused).toMatch(/WriteFile {2}notes\.txt → Rejected/);
    await tick(2_000);
    expect(readRecordedEvents(events()).length).toBe(count); // the last event stays the Notification
    expect(existsSync(join(w.repo, 'notes.txt'))).toBe(false);
    // so the status comes from the screen: no question, nothing written lately → idle
    expect(geminiStatus({ hook: eventOf(editNote.data), screen: refused, recent: false })).toBe('idle');

    // quitting ends the session: SessionEnd (reason exit), and the client names how to resume
    w.tmux(['send-keys', '-t', 'h:0', '-l', '/quit']);
    await tick(SUBMIT_DELAY_MS);
    w.tmux(['send-keys', '-t', 'h:0', 'Enter']);
    const sessionId = String(readRecordedEvents(events())[0]!.data.session_id);
    await until(() => w.screen('h:0').includes(`gemini --resume ${sessionId}`), 'the resume hint');
    await until(() => names(readRecordedEvents(events())).includes('SessionEnd'), 'SessionEnd');
    expect(readRecordedEvents(events()).at(-1)!.data).toMatchObject({ hook_event_name: 'SessionEnd', reason: 'exit' });
    fixture('events/gemini-hooks.jsonl', readRecordedEvents(events()).map((e) => JSON.stringify(e.data)).join('\n') + '\n');
  }, 90_000);

  it('headless stream-json to its end (the kind\'s argv and reader), then resumed with a follow-up starting with -', async () => {
    api.script([
      { text: 'Let me look.', functionCall: { name: 'run_shell_command', args: { command: 'echo hi', description: 'Say hi' } }, usage: { promptTokenCount: 100, candidatesTokenCount: 10, totalTokenCount: 110 } },
      { text: 'The shell said hi.\nDone: all good.', usage: { promptTokenCount: 120, candidatesTokenCount: 12, totalTokenCount: 132 } },
      { text: 'Follow-up answer.' },
    ]);
    const argv = geminiKind.headlessArgv(gemini, ['--approval-mode', 'yolo'], 'Run echo hi', undefined);
    expect(argv.slice(1)).toEqual(['--approval-mode', 'yolo', '--output-format', 'stream-json', '--prompt=Run echo hi']);
    const first = await headless(argv.slice(1));
    expect(first.code, first.stderr).toBe(0);
    fixture('events/gemini-stream.jsonl', `${first.lines.join('\n')}\n`);
    expect(first.lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['init', 'message', 'message', 'tool_use', 'tool_result', 'message', 'message', 'result']);
    const { facts, shown } = readAll(first.lines);
    expect(facts.sessionId).toMatch(UUID);
    expect(facts.model).toBe('gemini-2.5-pro');
    expect(facts.toolCalls).toBe(1);
    expect(facts.result).toMatchObject({ ok: true, subtype: 'success', turns: 2, costUsd: null, runCostUsd: null, text: 'The shell said hi.\nDone: all good.', permissionDenials: [] });
    expect(facts.result!.tokens).toEqual({ input: 220, output: 22, cached: 0, total: 242 });
    expect(lastLineOf(facts)).toBe('Done: all good.');
    expect(shown).toEqual([`▶ session ${facts.sessionId!.slice(0, 8)} · model gemini-2.5-pro`, 'Let me look.', '⚙ run_shell_command: echo hi', 'The shell said hi.', 'Done: all good.']);
    expect(geminiKind.events!.summary(facts, { code: 0, signal: null })).toMatch(/^── ✓ done · 2 turns · \d+ ms$|^── ✓ done · 2 turns · \d+\.\d s$/);
    // the tool's output went back to the model
    expect(JSON.stringify(api.mainRequests()[1]!.body)).toContain('functionResponse');

    // resumed: same session, the history sent again, the prompt "--yolo" taken as text
    const resumed = geminiKind.headlessArgv(gemini, [], '--yolo', facts.sessionId);
    expect(resumed.slice(1)).toEqual(['--output-format', 'stream-json', '--resume', facts.sessionId, '--prompt=--yolo']);
    const second = await headless(resumed.slice(1));
    expect(second.code, second.stderr).toBe(0);
    const again = readAll(second.lines).facts;
    expect(again.sessionId).toBe(facts.sessionId);
    expect(again.result).toMatchObject({ ok: true, turns: 1, text: 'Follow-up answer.' });
    const req = api.mainRequests().at(-1)!;
    expect(lastUserTexts(req)).toEqual(['--yolo']);
    expect(conversation(req).join('\n')).toContain('model: The shell said hi.');
    // a session id it does not know: exit 42, nothing read
    const unknown = await headless(geminiKind.headlessArgv(gemini, [], 'hi', '00000000-0000-4000-8000-000000000000').slice(1));
    expect(unknown.code).toBe(42);
    expect(unknown.stderr).toContain('Error resuming session: Invalid session identifier');
  }, 90_000);

  it('interactive resume: --resume <id> with the next prompt glued to --prompt-interactive (text starting with -)', async () => {
    api.script([{ text: 'First answer.' }, { text: 'Resumed answer.' }]);
    const first = await headless(geminiKind.headlessArgv(gemini, [], 'First question', undefined).slice(1));
    const sessionId = readAll(first.lines).facts.sessionId!;
    expect(sessionId).toMatch(UUID);
    startInteractive([...geminiKind.resumeArgs(sessionId)!, ...geminiKind.operand('--yolo -x')]);
    const s = await untilScreen((x) => x.includes('✦ Resumed answer.') && showsGeminiIdle(x), 'the resumed answer', 30_000);
    expect(w.tmux(['capture-pane', '-p', '-S', '-200', '-t', 'h:0'])).toMatch(/> First question[\s\S]*✦ First answer\.[\s\S]*> --yolo -x[\s\S]*✦ Resumed answer\./);
    expect(lastUserTexts(api.mainRequests().at(-1))).toEqual(['--yolo -x']);
    expect(conversation(api.mainRequests().at(-1)).join('\n')).toContain('model: First answer.');
    expect(lastMeaningfulLine(s, GEMINI_CHROME)).toBe('✦ Resumed answer.');
  }, 90_000);

  it('how the parser takes a prompt starting with -: only glued to its option with =', async () => {
    api.script([{ text: 'one' }, { text: 'two' }]);
    const glued = await headless(['--output-format', 'stream-json', '--prompt=--yolo']);
    expect(glued.code).toBe(0);
    expect(promptOf(api.mainRequests().at(-1))).toBe('--yolo');
    const short = await headless(['--output-format', 'stream-json', '-p=-x hello']);
    expect(short.code).toBe(0);
    expect(promptOf(api.mainRequests().at(-1))).toBe('-x hello');
    // a separate word is taken as the next option
    const apart = await headless(['--output-format', 'stream-json', '-p', '--yolo']);
    expect(apart.code).not.toBe(0);
    expect(apart.stderr).toContain('Not enough arguments following: p');
    // words after -- are dropped: no prompt at all
    const dashdash = await headless(['--output-format', 'stream-json', '--', '--yolo']);
    expect(dashdash.code).toBe(42);
    expect(dashdash.stderr).toContain('No input provided via stdin');
    expect(api.mainRequests()).toHaveLength(2);
  }, 60_000);

  it('the scope guard: BeforeTool\'s {"decision":"deny"} refuses a write before it runs; the run goes on', async () => {
    const hook = join(w.dir, 'deny.sh');
    writeFileSync(hook, `#!/bin/sh\ninput=$(cat)\nprintf '%s\\n' "$input" >> '${join(w.dir, 'before.log')}'\ncase "$input" in *notes.txt*) printf '%s' '${denyOutput('treemux: notes.txt may not be changed: it is outside your scope')}' ;; esac\n`, { mode: 0o755 });
    const file = join(w.repo, '.gemini', 'settings.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ hooks: { BeforeTool: [{ matcher: 'write_file|replace', hooks: [{ type: 'command', name: 'guard', command: hook }] }] } }));
    api.script([{ functionCall: { name: 'write_file', args: { file_path: 'notes.txt', content: 'hi\n' } } }, { text: 'I may not write notes.txt.' }]);
    const r = await headless(['--output-format', 'stream-json', '--approval-mode', 'auto_edit', '--prompt=Write notes']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(w.repo, 'notes.txt'))).toBe(false);
    const results = r.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.type === 'tool_result');
    expect(results).toEqual([
      expect.objectContaining({ status: 'error', error: { type: 'policy_violation', message: 'Tool execution blocked: treemux: notes.txt may not be changed: it is outside your scope' } }),
    ]);
    const { facts, shown } = readAll(r.lines);
    expect(facts.result).toMatchObject({ ok: true, permissionDenials: [{ tool: 'write_file', detail: 'notes.txt' }] });
    expect(shown).toContain('  ⊘ write_file refused: treemux: notes.txt may not be changed: it is outside your scope');
    // the model was told, as the tool's result
    expect(JSON.stringify(api.mainRequests()[1]!.body)).toContain('Tool execution blocked: treemux: notes.txt may not be changed');
    expect(readFileSync(join(w.dir, 'before.log'), 'utf8')).toContain('"tool_name":"write_file"');
  }, 60_000);

  it('folder trust on (its default): the worktree\'s hooks are ignored and headless exits 55, unless GEMINI_CLI_TRUST_WORKSPACE=true', async () => {
    geminiHome(w.env.HOME!, { folderTrust: true });
    workspaceHooks(null);
    api.script([{ text: 'trusted' }]);
    const untrusted = await headless(['--output-format', 'stream-json', '--prompt=hi']);
    expect(untrusted.code).toBe(55);
    expect(untrusted.stderr).toContain('Gemini CLI is not running in a trusted directory');
    expect(readRecordedEvents(events())).toEqual([]);
    const skip = await headless(['--output-format', 'stream-json', '--skip-trust', '--prompt=hi']);
    expect(skip.code).toBe(0); // runs, but still without the worktree's settings
    expect(readRecordedEvents(events())).toEqual([]);
    // these hooks are not treemux's: the kind does not trust the folder for them (onlyOurSettings)
    expect(geminiKind.windowEnv({ worktree: w.repo, scope: [], avoid: [], scopeMode: 'deny' } as never).GEMINI_CLI_TRUST_WORKSPACE).toBeUndefined();
    // what the kind's window gets when the worktree's settings are treemux's alone
    const trusted = await headless(['--output-format', 'stream-json', '--prompt=hi'], { GEMINI_CLI_TRUST_WORKSPACE: 'true' });
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(names(readRecordedEvents(events()))).toEqual(['SessionStart', 'BeforeAgent', 'AfterAgent', 'SessionEnd']);
  }, 60_000);

  it('a system defaults file (GEMINI_CLI_SYSTEM_DEFAULTS_PATH) is no way in: skipped unless it and every folder above it are closed to others', async () => {
    const defaults = join(w.dir, 'system-defaults.json');
    writeFileSync(defaults, mergeHooks(null, recordingCommand(events())));
    api.script([{ text: 'from defaults' }]);
    const r = await headless(['--output-format', 'stream-json', '--prompt=hi'], { GEMINI_CLI_SYSTEM_DEFAULTS_PATH: defaults });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Security Warning: Skipping system defaults file '.*system-defaults\.json': Parent directory '\/tmp' is insecure/);
    expect(readRecordedEvents(events())).toEqual([]);
  }, 60_000);

  it('instructions: GEMINI.md is read; a local file (excluded from git) is read only when context.fileName names it', async () => {
    w.write('GEMINI.md', 'Project rule: use tabs.\n');
    w.git(['add', 'GEMINI.md']);
    w.git(['commit', '-qm', 'GEMINI.md']);
    w.write('CLAUDE.local.md', 'Agent rule: you are agent auth.\n');
    appendFileSync(join(w.repo, '.git', 'info', 'exclude'), '/CLAUDE.local.md\n');
    api.script([{ text: 'one' }, { text: 'two' }]);
    const sent = () => JSON.stringify(api.mainRequests().at(-1)!.body);
    const plain = await headless(['--output-format', 'stream-json', '--prompt=hi']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(sent()).toContain('Project rule: use tabs.');
    expect(sent()).not.toContain('Agent rule');
    // the worktree's settings name both: both are read (the list replaces the default, so GEMINI.md is named too)
    mkdirSync(join(w.repo, '.gemini'), { recursive: true });
    const settings = mergeContextFiles(mergeHooks(null, recordingCommand(events())), ['CLAUDE.local.md']);
    expect(JSON.parse(settings).context).toEqual({ fileName: ['GEMINI.md', 'CLAUDE.local.md'] });
    writeFileSync(join(w.repo, '.gemini', 'settings.json'), settings);
    appendFileSync(join(w.repo, '.git', 'info', 'exclude'), '/.gemini/settings.json\n');
    const named = await headless(['--output-format', 'stream-json', '--prompt=hi']);
    expect(named.code, named.stderr).toBe(0);
    expect(sent()).toContain('Project rule: use tabs.');
    expect(sent()).toContain('Agent rule: you are agent auth.');
    expect(w.git(['status', '--porcelain'])).toBe('');
  }, 60_000);

  it('Esc while it works: the turn ends ("Request cancelled."), and AfterAgent fires', async () => {
    workspaceHooks(null);
    api.script([{ text: 'Too late.', delayMs: 8000 }]);
    startInteractive(['--prompt-interactive=Take your time']);
    await untilScreen((s) => showsGeminiBusy(s) && !/Executing Hook/.test(s), 'the model awaited', 30_000);
    w.tmux(['send-keys', '-t', 'h:0', 'Escape']);
    const cancelled = await untilScreen((s) => showsGeminiIdle(s) && s.includes('Request cancelled.'), 'the cancelled turn, idle');
    await tick(2_000);
    const seen = names(readRecordedEvents(events()));
    console.log(`events after Esc: ${seen.join(' ')}; AfterAgent: ${JSON.stringify(readRecordedEvents(events()).at(-1)?.data)}`);
    expect(seen).toEqual(['SessionStart', 'BeforeAgent', 'AfterAgent']);
    expect(geminiStatus({ hook: eventOf(readRecordedEvents(events()).at(-1)!.data), screen: cancelled, recent: false })).toBe('idle');
  }, 60_000);

  it('recording hooks for every event: which fire for one answer (BeforeModel, AfterModel per chunk…)', async () => {
    const file = join(w.repo, '.gemini', 'settings.json');
    mkdirSync(dirname(file), { recursive: true });
    const all = ['SessionStart', 'SessionEnd', 'BeforeAgent', 'AfterAgent', 'BeforeTool', 'AfterTool', 'Notification', 'PreCompress', 'BeforeModel', 'AfterModel', 'BeforeToolSelection'];
    writeFileSync(file, JSON.stringify({ hooks: recordingHooks(events(), all) }));
    api.script([{ text: 'One answer in two pieces of text.' }]);
    const r = await headless(['--output-format', 'stream-json', '--prompt=hi']);
    expect(r.code, r.stderr).toBe(0);
    const seen = names(readRecordedEvents(events()));
    console.log(`events for one answer: ${seen.join(' ')}`);
    expect(seen[0]).toBe('SessionStart');
    expect(seen).toContain('BeforeModel');
    expect(seen.filter((e) => e === 'AfterModel').length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toBe('SessionEnd');
  }, 60_000);
});
