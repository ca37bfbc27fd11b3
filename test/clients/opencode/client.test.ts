// The real OpenCode client (opencode-ai, pinned in test/helpers/opencode.ts) alone, offline against a
// scripted loopback fake of the Chat Completions API: in a tmux pane on an isolated tmux server
// (interactive), and as `opencode run --format json` started the way treemux's headless runner starts a
// program (stdin closed, stdout piped). What it shows, what it emits, what its plugins see; and the
// OpenCode kind (src/agents/kinds/opencode) against what it really does.
//
// Runs only with TREEMUX_CLIENT_TESTS=1 (the default suite collects it and skips it without installing
// anything): `TREEMUX_CLIENT_TESTS=1 npx vitest run test/clients/opencode`. With
// TREEMUX_RECORD_FIXTURES=1 it also rewrites test/fixtures/screens/opencode-*.txt and
// test/fixtures/events/opencode-*.jsonl from what the client did. The treemux plugin test needs
// `npm run build` first (its hook runs dist/, as bin/treemux.js does).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { opencode as kind } from '../../../src/agents/kinds/opencode/index.js';
import { headlessArgv, operand, resumeArgs } from '../../../src/agents/kinds/opencode/args.js';
import { configContent } from '../../../src/agents/kinds/opencode/config.js';
import { eventOf } from '../../../src/agents/kinds/opencode/hook.js';
import { installPlugin, PLUGIN_FILE } from '../../../src/agents/kinds/opencode/plugin.js';
import { lastHookEvent, type HookEvent } from '../../../src/agents/status/rules.js';
import { settle, type OpenCodeRunFacts } from '../../../src/agents/kinds/opencode/stream.js';
import type { RunFacts } from '../../../src/agents/kinds/facts.js';
import { lastUserText, SIDE_TEXT, type ChatRequest, type FakeOpenAIChat } from '../../helpers/fake-openai-chat.js';
import {
  isBusyScreen,
  isIdleScreen,
  isPermissionScreen,
  OPENCODE_VERSION,
  opencodeLogTail,
  opencodeWorldEachTest,
  readRecorded,
  RECORDING_PLUGIN,
} from '../../helpers/opencode.js';
import { ROOT, type World } from '../../helpers/world.js';

const enabled = process.env.TREEMUX_CLIENT_TESTS === '1';
const recording = process.env.TREEMUX_RECORD_FIXTURES === '1';
const FIXTURES = join(ROOT, 'test', 'fixtures');
const BRIDGE = join(ROOT, 'test', 'clients', 'opencode', 'hook-bridge.mjs');
const tick = (ms = 100) => new Promise((r) => setTimeout(r, ms));

/** The bus events treemux's plugin forwards (and the fixture keeps). */
const FORWARDED = new Set(['session.created', 'session.status', 'session.idle', 'session.error', 'permission.asked', 'permission.replied']);

function record(rel: string, text: string): void {
  if (!recording) return;
  mkdirSync(dirname(join(FIXTURES, rel)), { recursive: true });
  writeFileSync(join(FIXTURES, rel), text);
}

/** The messages of a request as `role: text` (tool calls and results shortened). */
function conversation(req: ChatRequest | undefined): string[] {
  const messages = ((req?.body ?? {}) as { messages?: { role: string; content?: unknown; tool_calls?: { function: { name: string; arguments: string } }[] }[] }).messages ?? [];
  return messages.slice(1).map((m) => {
    const text = typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '');
    const calls = (m.tool_calls ?? []).map((c) => ` [${c.function.name} ${c.function.arguments}]`).join('');
    return `${m.role}: ${text}${calls}`;
  });
}

function systemPrompt(req: ChatRequest | undefined): string {
  const messages = ((req?.body ?? {}) as { messages?: { role: string; content?: unknown }[] }).messages ?? [];
  return messages.filter((m) => m.role === 'system').map((m) => String(m.content)).join('\n');
}

describe.skipIf(!enabled)(`real OpenCode ${OPENCODE_VERSION}`, () => {
  let opencode: string;
  let w: World;
  let api: FakeOpenAIChat;

  /** Everything a failure should show. */
  function dump(target = 'h:0'): string {
    return `screen of ${target}:\n${w.screen(target)}\nAPI requests:\n${api.traffic()}\nopencode log:\n${opencodeLogTail(w)}`;
  }

  async function until<T>(fn: () => T | undefined | false | null, what: string, timeoutMs = 30_000, show: () => string = () => dump()): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw:\n${show()}`);
      await tick();
    }
  }

  const untilScreen = (check: (s: string) => boolean, what: string, timeoutMs = 30_000, target = 'h:0') =>
    until(() => {
      const s = w.screen(target);
      return check(s) ? s : undefined;
    }, what, timeoutMs, () => dump(target));

  /** The TUI in session `name`, in the repository, 120x40, with extra environment. */
  function startTui(args: string[], env: Record<string, string> = {}, name = 'h'): string {
    const e = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    w.tmux(['new-session', '-d', '-s', name, '-x', '120', '-y', '40', '-c', w.repo, ...e, opencode, ...args]);
    w.tmux(['set-option', '-t', name, 'remain-on-exit', 'on']);
    return `${name}:0`;
  }

  function type(target: string, text: string): void {
    w.tmux(['send-keys', '-t', target, '-l', text]);
    w.tmux(['send-keys', '-t', target, 'Enter']);
  }

  /** What `treemux send AGENT TEXT` does: a bracketed paste, then Enter. */
  function paste(target: string, text: string): void {
    w.tmux(['set-buffer', '-b', 'p', '--', text]);
    w.tmux(['paste-buffer', '-p', '-d', '-b', 'p', '-t', target]);
    w.tmux(['send-keys', '-t', target, 'Enter']);
  }

  /**
   * Presses Enter ("Allow once" is selected), or does PRESS, until the permission box closes: a key
   * that arrives while the box is drawn may be dropped, so a press that changed nothing within 2 s is
   * repeated.
   */
  async function allowOnce(target: string, press: () => void = () => void w.tmux(['send-keys', '-t', target, 'Enter'])): Promise<number> {
    await untilScreen(isPermissionScreen, 'the permission question');
    for (let attempt = 1; ; attempt++) {
      press();
      const end = Date.now() + 2_000;
      while (Date.now() < end) {
        if (!isPermissionScreen(w.screen(target))) {
          await tick(150);
          if (!isPermissionScreen(w.screen(target))) return attempt;
        }
        await tick();
      }
      if (attempt >= 5) throw new Error(`the permission question did not close after ${attempt} presses:\n${dump(target)}`);
    }
  }

  /** `opencode run …` as treemux's runner starts it: argv, no shell, stdin closed, in the repository (PWD too: see the PWD test). */
  async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; lines: string[]; stderr: string }> {
    const r = await execa(argv[0]!, argv.slice(1), { cwd: w.repo, env: { ...w.env, PWD: w.repo, ...env }, extendEnv: false, stdin: 'ignore', reject: false, timeout: 120_000 });
    return { code: r.exitCode ?? -1, lines: String(r.stdout).split('\n').filter(Boolean), stderr: String(r.stderr) };
  }

  /** The lines through the kind's event reader, and the facts once the program exited. */
  function readAll(lines: string[], code: number): { facts: OpenCodeRunFacts; shown: string[]; summary: string } {
    const reader = kind.events!;
    let facts: RunFacts = reader.empty();
    const shown: string[] = [];
    for (const line of lines) {
      const r = reader.read(facts, line);
      facts = r.facts;
      shown.push(...r.shown);
    }
    const exit = { code, signal: null };
    return { facts: settle(facts, exit), shown, summary: reader.summary(facts, exit) };
  }

  describe('interactive (the TUI in tmux)', () => {
    opencodeWorldEachTest((c) => ({ opencode, w, api } = c));

    it('answers the task given as --prompt=TEXT, asks before bash, runs it once allowed; a project-local plugin sees every step', async () => {
      api.script([
        { text: 'Hello from the fake API.', delayMs: 3000 },
        { toolCall: { name: 'bash', arguments: { command: 'touch approved.txt', description: 'Create approved.txt' } }, delayMs: 1500 },
        { text: 'All done: approved.txt exists.', delayMs: 1500 },
      ]);
      const events = join(w.dir, 'plugin-events.jsonl');
      w.write('.opencode/plugin/record.js', RECORDING_PLUGIN);
      const started = Date.now();
      const target = startTui(operand('Say hello'), { OPENCODE_RECORD: events });
      const recorded = () => readRecorded(events).filter((r) => r.kind === 'event' && FORWARDED.has(String(r.data.type)));
      const types = () => recorded().map((r) => `${r.data.type}${r.data.type === 'session.status' ? `:${(r.data.properties?.status as { type?: string })?.type}` : ''}`);

      // 1. busy while the answer streams (the fake holds it 3 s), then idle with the answer on screen
      const busy = await untilScreen(isBusyScreen, 'the busy bar', 60_000);
      const idle = await untilScreen((s) => s.includes('Hello from the fake API.') && isIdleScreen(s), 'the first answer, idle', 60_000);
      console.log(`TUI: first request ${api.mainRequests()[0]!.at - started} ms after start (then held 3 s), answer idle after ${Date.now() - started} ms`);
      expect(busy).toMatch(/[⬝■]+\s+esc interrupt/u);
      expect(idle).toMatch(/┃\s+Say hello/u);
      expect(idle).toMatch(/ctrl\+p commands/);
      expect(idle).not.toMatch(/esc interrupt/);
      expect(lastUserText(api.mainRequests()[0])).toBe('Say hello');
      // the small model titles the session: a tool-less side request
      expect(api.requests.some((r) => r.role === 'side')).toBe(true);
      await until(() => types().includes('session.idle'), 'session.idle from the plugin');
      expect(dedupe(types())).toEqual(['session.created', 'session.status:busy', 'session.status:idle', 'session.idle']);
      record('screens/opencode-busy.txt', busy);
      record('screens/opencode-idle.txt', idle);

      // 2. a bash tool call: the permission box, permission.asked; nothing ran yet
      const before = recorded().length;
      paste(target, 'Create approved.txt'); // as `treemux send` does: a bracketed paste is taken as typed text

      const waiting = await untilScreen(isPermissionScreen, 'the permission question');
      expect(waiting).toMatch(/# Shell command/);
      expect(waiting).toMatch(/\$ touch approved\.txt/);
      expect(waiting).not.toMatch(/esc interrupt/);
      record('screens/opencode-waiting.txt', waiting);
      const asked = await until(() => recorded().find((r) => r.data.type === 'permission.asked'), 'permission.asked');
      expect(asked.data.properties).toMatchObject({ permission: 'bash', patterns: ['touch approved.txt'], metadata: { command: 'touch approved.txt' } });
      expect(existsSync(join(w.repo, 'approved.txt'))).toBe(false);
      // the plugin's tool.execute.before ran before the question
      const beforeTool = readRecorded(events).find((r) => r.kind === 'tool.execute.before');
      expect(beforeTool?.data).toMatchObject({ input: { tool: 'bash' }, output: { args: { command: 'touch approved.txt' } } });
      expect(beforeTool!.at).toBeLessThanOrEqual(asked.at);

      // 3. Enter takes the selected "Allow once": the command runs, the answer comes, idle
      await allowOnce(target);
      const done = await untilScreen((s) => s.includes('All done: approved.txt exists.') && isIdleScreen(s), 'the final answer, idle');
      expect(done).toMatch(/\$ touch approved\.txt/);
      expect(existsSync(join(w.repo, 'approved.txt'))).toBe(true);
      await until(() => types().filter((t) => t === 'session.idle').length === 2, 'the second session.idle');
      const second = dedupe(types().slice(before));
      console.log(`plugin events of the second turn: ${second.join(' ')}`);
      expect(second.slice(0, 3)).toEqual(['session.status:busy', 'permission.asked', 'permission.replied']);
      expect(second.slice(-2)).toEqual(['session.status:idle', 'session.idle']);
      const replied = recorded().find((r) => r.data.type === 'permission.replied');
      expect(replied?.data.properties).toMatchObject({ requestID: asked.data.properties!.id, reply: 'once' });
      // the permission.ask hook is never called in this version (the bus event is what there is)
      expect(readRecorded(events).some((r) => r.kind === 'permission.ask')).toBe(false);
      // the init of the plugin: loaded from the project's .opencode/plugin/, in the repository
      expect(readRecorded(events).find((r) => r.kind === 'init')?.data).toMatchObject({ directory: w.repo, worktree: w.repo });
      record('events/opencode-plugin.jsonl', recorded().map((r) => JSON.stringify(r.data)).join('\n') + '\n');

      // the kind's rules on these events: idle after each turn, waiting at the question
      const asEvents = recorded().map((r) => ({ ...r.data, lastText: '' }));
      const statuses = asEvents.map((e) => kind.statusFromHook({ hook: eventOf(e), screen: undefined, recent: false }));
      expect(statuses.at(-1)).toBe('idle');
      expect(statuses[asEvents.findIndex((e) => e.type === 'permission.asked')]).toBe('waiting');

      // 4. Ctrl-C with an empty input ends it, naming the session to continue
      const sessionId = String(recorded()[0]!.data.properties!.sessionID);
      w.tmux(['send-keys', '-t', target, 'C-c']);
      // its exit screen names the session at once; the process itself may take a while to end on a busy machine
      const exited = await untilScreen((s) => s.includes(`opencode -s ${sessionId}`), 'the exit screen naming the session', 60_000);
      expect(exited).toContain(`opencode -s ${sessionId}`);
      // OpenCode wrote a .gitignore into the project's .opencode/ (for its npm install there) that ignores itself
      expect(readFileSync(join(w.repo, '.opencode', '.gitignore'), 'utf8')).toMatch(/^node_modules$/m);
      expect(w.git(['status', '--porcelain', '--untracked-files=all'])).toContain('?? .opencode/plugin/record.js');
      expect(w.git(['status', '--porcelain', '--untracked-files=all'])).not.toContain('.opencode/.gitignore');
    }, 240_000);

    it('takes a task that looks like an option as text with --prompt=TEXT; `--prompt --yolo` would turn on auto-approve, a bare operand is a folder, one after -- is dropped', async () => {
      api.script([{ text: 'Took it as text.' }]);
      const task = '--yolo "quoted"  two  spaces';
      const a = startTui(operand(task), {}, 'a');
      const shown = await untilScreen((s) => s.includes('Took it as text.') && isIdleScreen(s), 'the answer', 60_000, a);
      expect(lastUserText(api.mainRequests()[0])).toBe(task);
      expect(shown).not.toMatch(/Build auto/);
      w.tmux(['kill-session', '-t', 'a']);

      // the wrong form: yargs takes --yolo as the flag (an alias of --auto), the prompt is empty
      const b = startTui(['--prompt', '--yolo'], {}, 'b');
      const home = await untilScreen((s) => /Ask anything…/.test(s) && /ctrl\+p commands/.test(s), 'the new-session screen', 60_000, b);
      expect(home).toMatch(/Build auto · /);
      expect(api.mainRequests()).toHaveLength(1);
      record('screens/opencode-home.txt', home);
      w.tmux(['kill-session', '-t', 'b']);

      // a bare operand is the folder to work in, not a prompt; after `--` it is dropped
      const bare = await execa(opencode, ['Say hello'], { cwd: w.repo, env: { ...w.env, PWD: w.repo }, extendEnv: false, stdin: 'ignore', reject: false, all: true, timeout: 60_000 });
      expect(bare.exitCode).toBe(0);
      expect(stripVTControlCharacters(String(bare.all))).toContain(`Error: Failed to change directory to ${join(w.repo, 'Say hello')}`);
      startTui(['--', 'Say hello'], {}, 'd');
      await untilScreen((s) => /Ask anything…/.test(s) && /ctrl\+p commands/.test(s), 'the new-session screen', 60_000, 'd:0');
      expect(w.screen('d:0')).not.toContain('Say hello');
      expect(api.mainRequests()).toHaveLength(1);
    }, 240_000);
  });

  describe('headless (`opencode run --format json`) and resume', () => {
    opencodeWorldEachTest((c) => ({ opencode, w, api } = c), { cost: { input: 3, output: 15 } });

    it('runs to its end with session, text, tokens and cost; continues with --session; the TUI resumes with -s', async () => {
      api.script([{ text: 'Hello from the fake API.\nThe last line.' }, { text: 'Follow-up answer.' }]);
      const t0 = Date.now();
      const first = await run(headlessArgv(opencode, [], 'Say hello', undefined));
      console.log(`run: ${Date.now() - t0} ms`);
      expect(first.code, `${first.stderr}\n${dump()}`).toBe(0);
      const events = first.lines.map((l) => JSON.parse(l) as { type: string; sessionID: string; part?: Record<string, unknown> });
      expect(events.map((e) => e.type)).toEqual(['step_start', 'text', 'step_finish']);
      const sessionId = events[0]!.sessionID;
      expect(sessionId).toMatch(/^ses_[0-9A-Za-z]{26}$/);
      expect(events.every((e) => e.sessionID === sessionId)).toBe(true);
      expect(events[1]!.part).toMatchObject({ type: 'text', text: 'Hello from the fake API.\nThe last line.' });
      const finish = events[2]!.part as { reason: string; tokens: { input: number; output: number; total: number }; cost: number };
      expect(finish.reason).toBe('stop');
      expect(finish.tokens.input).toBeGreaterThan(0);
      expect(finish.tokens.output).toBeGreaterThan(0);
      // cost: input and output tokens at the config's prices (USD per million)
      expect(finish.cost).toBeCloseTo((finish.tokens.input * 3 + finish.tokens.output * 15) / 1e6, 6);
      record('events/opencode-run.jsonl', first.lines.join('\n') + '\n');

      const read = readAll(first.lines, first.code);
      expect(read.facts).toMatchObject({ phase: 'done', sessionId, lastText: 'The last line.', steps: 1 });
      expect(read.facts.result).toMatchObject({ ok: true, subtype: 'success', turns: 1, text: 'Hello from the fake API.\nThe last line.', costUsd: null });
      expect(read.facts.result!.runCostUsd).toBeCloseTo(finish.cost, 9);
      expect(read.facts.tokens).toMatchObject({ input: finish.tokens.input, output: finish.tokens.output });
      expect(kind.events!.lastLine(read.facts)).toBe('The last line.');
      expect(read.summary).toMatch(/^── ✓ done · 1 turn · \d+ ms · \$0\.00\d+$/);

      // continue the conversation headless: --session ID
      const second = await run(headlessArgv(opencode, [], 'And now?', sessionId));
      expect(second.code, second.stderr).toBe(0);
      expect(second.lines.map((l) => (JSON.parse(l) as { sessionID: string }).sessionID)).toEqual([sessionId, sessionId, sessionId]);
      expect(conversation(api.mainRequests()[1])).toEqual(['user: Say hello', 'assistant: Hello from the fake API.\nThe last line.', 'user: And now?']);
      expect(readAll(second.lines, second.code).facts.lastText).toBe('Follow-up answer.');

      // the TUI continues it too: -s ID shows the conversation and waits (a --prompt beside it is not sent)
      api.push({ text: 'Resumed in the TUI.' });
      const target = startTui([...resumeArgs(sessionId)!, '--prompt=ignored when resuming']);
      await untilScreen((s) => s.includes('Follow-up answer.') && isIdleScreen(s), 'the resumed conversation', 60_000);
      expect(api.mainRequests()).toHaveLength(2);
      type(target, 'One more');
      await untilScreen((s) => s.includes('Resumed in the TUI.') && isIdleScreen(s), 'the answer in the resumed TUI');
      expect(conversation(api.mainRequests()[2]).slice(-3)).toEqual(['user: And now?', 'assistant: Follow-up answer.', 'user: One more']);
    }, 240_000);

    it('rejects a permission that asks, and ends there with exit 0 and no closing step', async () => {
      api.script([{ toolCall: { name: 'bash', arguments: { command: 'touch denied.txt', description: 'Create denied.txt' } } }, { text: 'not reached' }]);
      const r = await run(headlessArgv(opencode, [], 'Create denied.txt', undefined));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/permission requested: bash \(touch denied\.txt\); auto-rejecting/);
      const events = r.lines.map((l) => JSON.parse(l) as { type: string; part?: { state?: { status: string; error?: string }; reason?: string } });
      expect(events.map((e) => e.type)).toEqual(['step_start', 'tool_use', 'step_finish']);
      expect(events[1]!.part!.state).toMatchObject({ status: 'error', error: 'The user rejected permission to use this specific tool call.' });
      expect(events[2]!.part!.reason).toBe('tool-calls');
      expect(existsSync(join(w.repo, 'denied.txt'))).toBe(false);
      expect(api.remaining()).toBe(1);
      record('events/opencode-run-denied.jsonl', r.lines.join('\n') + '\n');

      const read = readAll(r.lines, r.code);
      expect(read.shown).toContain('⊘ denied bash: touch denied.txt');
      expect(read.facts.result).toMatchObject({ ok: true, subtype: 'success', permissionDenials: [{ tool: 'bash', detail: 'touch denied.txt' }] });
      expect(read.summary).toMatch(/^── ✓ done · 1 turn/);
    }, 120_000);

    it('approves what asks with --auto, and goes on to the next step', async () => {
      api.script([
        { toolCall: { name: 'bash', arguments: { command: 'echo hi > auto.txt', description: 'Write auto.txt' } }, text: 'Let me run it.' },
        { text: 'Wrote auto.txt.' },
      ]);
      const r = await run(headlessArgv(opencode, ['--auto'], 'Write auto.txt', undefined));
      expect(r.code, r.stderr).toBe(0);
      const types = r.lines.map((l) => (JSON.parse(l) as { type: string }).type);
      expect(types).toEqual(['step_start', 'text', 'tool_use', 'step_finish', 'step_start', 'text', 'step_finish']);
      expect(readFileSync(join(w.repo, 'auto.txt'), 'utf8')).toBe('hi\n');
      record('events/opencode-run-auto.jsonl', r.lines.join('\n') + '\n');
      const read = readAll(r.lines, r.code);
      expect(read.facts.result).toMatchObject({ ok: true, turns: 2, text: 'Wrote auto.txt.' });
      expect(read.facts.toolCalls).toBe(1);
      expect(read.shown).toContain('⚙ bash: echo hi > auto.txt');
    }, 120_000);

    it('gets the prompt exactly, whatever it holds, from the words headlessArgv splits it into', async () => {
      api.script([{ text: 'ok' }]);
      const prompt = '--yolo "quoted"  two  spaces\nsecond line';
      // one argument would reach the model as "\"--yolo \\\"quoted\\\"  two  spaces…\"": run quotes words with spaces
      const r = await run(headlessArgv(opencode, [], prompt, undefined));
      expect(r.code, r.stderr).toBe(0);
      expect(lastUserText(api.mainRequests()[0])).toBe(prompt);
      api.push({ text: 'ok' });
      const whole = await run([opencode, 'run', '--format', 'json', '--', 'Say hello']);
      expect(whole.code).toBe(0);
      expect(lastUserText(api.mainRequests()[1])).toBe('"Say hello"');
    }, 120_000);

    it('works in $PWD, not in the folder it was started in', async () => {
      api.script([{ text: 'ok' }]);
      const r = await run(headlessArgv(opencode, [], 'Where?', undefined), { PWD: w.dir });
      expect(r.code, r.stderr).toBe(0);
      expect(systemPrompt(api.mainRequests()[0])).toContain(`Working directory: ${w.dir}\n`);
    }, 120_000);
  });

  describe("treemux's plugin and instructions in a worktree", () => {
    opencodeWorldEachTest((c) => ({ opencode, w, api } = c));

    it('forwards the turn end and the question to treemux, the scope guard refuses a write, CLAUDE.local.md is read; git sees nothing', async () => {
      if (!existsSync(join(ROOT, 'dist', 'agents', 'kinds', 'opencode', 'hook.js'))) throw new Error('run `npm run build` first: the hook runs dist/');
      api.script([
        { text: 'Hi, I read my instructions.' },
        { toolCall: { name: 'write', arguments: { filePath: 'src/payments/pay.ts', content: 'export const pay = 1;\n' } } },
        { text: 'Understood, I will stay in my scope.' },
        { toolCall: { name: 'bash', arguments: { command: 'touch ok.txt', description: 'Create ok.txt' } }, delayMs: 500 },
        { text: 'Created ok.txt.' },
      ]);
      const stateDir = join(w.repo, '.git', 'treemux');
      const eventsFile = join(stateDir, 'events', 'auth.jsonl');
      mkdirSync(stateDir); // made by `treemux up`; the hook writes only below it
      w.write('CLAUDE.local.md', '# Instructions for agent `auth`\n\nTREEMUX-INSTRUCTIONS-MARKER\n');
      // what `up` does: the kind's files kept out of git, then prepare (here with the bridge in place of `treemux hook`)
      writeFileSync(join(w.repo, '.git', 'info', 'exclude'), ['/CLAUDE.local.md', ...kind.writtenFiles, ''].join('\n'));
      await installPlugin(w.repo, [process.execPath, BRIDGE]);
      const forwarded = join(w.dir, 'forwarded.jsonl');
      const env = {
        TREEMUX_BRIDGE_RECORD: forwarded,
        TREEMUX_AGENT: 'auth',
        TREEMUX_STATE_DIR: stateDir,
        TREEMUX_WORKTREE: w.repo,
        TREEMUX_SCOPE: JSON.stringify({ scope: ['src/auth/**'], avoid: [], mode: 'deny' }),
        OPENCODE_CONFIG_CONTENT: configContent(undefined)!,
      };
      const events = (): HookEvent[] =>
        existsSync(eventsFile)
          ? readFileSync(eventsFile, 'utf8')
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l) as HookEvent)
          : [];
      const status = (screen?: string) => {
        const hook = lastHookEvent(existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8') : '');
        return hook ? kind.statusFromHook({ hook, screen, recent: false }) : undefined;
      };
      const show = () => `${dump()}\nevents:\n${events().map((e) => JSON.stringify(e)).join('\n')}`;

      const target = startTui(operand('Say hi'), env);
      await untilScreen((s) => s.includes('Hi, I read my instructions.') && isIdleScreen(s), 'the first answer', 60_000);
      expect(systemPrompt(api.mainRequests()[0])).toContain('TREEMUX-INSTRUCTIONS-MARKER');
      await until(() => events().some((e) => e.event === 'session.idle'), 'session.idle in the events file', 30_000, show);
      expect(events().map((e) => `${e.event}${e.message ? ` ${e.message}` : ''}`)).toEqual([
        'session.created',
        'session.status busy',
        'session.status idle',
        'session.idle Hi, I read my instructions.',
      ]);
      const sessionId = events()[0]!.sessionId;
      expect(sessionId).toMatch(/^ses_/);
      expect(events().every((e) => e.sessionId === sessionId)).toBe(true);
      expect(status()).toBe('idle');

      // a write outside the scope: refused before the file exists, the model told why
      type(target, 'Write the payment module');
      await untilScreen((s) => s.includes('Understood, I will stay in my scope.') && isIdleScreen(s), 'the answer after the refusal');
      expect(existsSync(join(w.repo, 'src', 'payments', 'pay.ts'))).toBe(false);
      const told = conversation(api.mainRequests()[2]).at(-1)!;
      expect(told).toMatch(/^tool: .*src\/payments\/pay\.ts may not be changed: it is outside this agent's scope \(src\/auth\/\*\*\)/);
      const guard = events().find((e) => e.event === 'tool.execute.before');
      expect(guard).toMatchObject({ tool: 'write', sessionId });
      expect(guard?.message).toMatch(/may not be changed/);

      // the question: the last event says waiting; answered, the turn ends idle
      type(target, 'Create ok.txt');
      await untilScreen(isPermissionScreen, 'the permission question');
      await until(() => events().at(-1)?.event === 'permission.asked', 'permission.asked in the events file', 30_000, show);
      expect(events().at(-1)).toMatchObject({ tool: 'bash', message: 'bash: touch ok.txt' });
      expect(status(w.screen(target))).toBe('waiting');
      // `treemux send auth 1`: the paste is not a key of the box, its Enter confirms the selected "Allow once"
      const presses = await allowOnce(target, () => paste(target, '1'));
      console.log(`send 1 at the question: closed after ${presses} press(es)`);
      await untilScreen((s) => s.includes('Created ok.txt.') && isIdleScreen(s), 'the last answer');
      await until(() => events().at(-1)?.event === 'session.idle', 'the last session.idle', 30_000, show);
      expect(events().some((e) => e.event === 'permission.replied' && e.message === 'once')).toBe(true);
      expect(events().at(-1)?.message).toBe('Created ok.txt.');
      expect(status()).toBe('idle');

      // nothing for git to see: the plugin is excluded, OpenCode's own .opencode/.gitignore ignores itself
      expect(readFileSync(join(w.repo, PLUGIN_FILE), 'utf8')).toContain('treemux-opencode-plugin');
      expect(w.git(['status', '--porcelain', '--untracked-files=all'])).toBe('?? ok.txt\n');
      record('events/opencode-plugin-forwarded.jsonl', readFileSync(forwarded, 'utf8'));
    }, 240_000);
  });
});

/** The list without an item repeating the one before it. */
function dedupe(list: string[]): string[] {
  return list.filter((t, i) => t !== list[i - 1]);
}
