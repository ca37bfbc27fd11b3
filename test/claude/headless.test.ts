// Headless agents (`agent.mode: headless`) against the real Claude Code client (pinned, see
// test/helpers/claude.ts), offline against the scripted fake Anthropic API: the window runs
// `treemux run … -- claude -p --output-format stream-json --verbose <args> [--resume ID] -- PROMPT`,
// and ls / report / wait / send read what the runner recorded from Claude's own events.
//
// Only `npm run test:claude` (vitest.claude.config.ts sets TREEMUX_CLAUDE_TESTS=1) runs it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeHome, claudeWorldEachTest } from '../helpers/claude.js';
import { FAKE_API_KEY, type FakeAnthropic, type RecordedRequest } from '../helpers/fake-anthropic.js';
import { type World } from '../helpers/world.js';

const enabled = process.env.TREEMUX_CLAUDE_TESTS === '1';
const tick = (ms = 100) => new Promise((r) => setTimeout(r, ms));

interface LsAgent {
  name: string;
  status: string;
  lastLine: string;
}

interface ReportAgent {
  name: string;
  status: string;
  ok: boolean | null;
  costUsd: number | null;
  turns: number | null;
  permissionDenials: { tool: string; detail: string }[];
  lastLine: string;
}

/** Claude Code's `result` line (stream-json), the fields the tests read. */
interface ResultEvent {
  type: 'result';
  subtype: string;
  is_error: boolean;
  result?: string;
  session_id: string;
  total_cost_usd: number;
  num_turns: number;
  permission_denials: { tool_name: string; tool_use_id: string; tool_input: Record<string, unknown> }[];
  model_usage_since_last_result?: Record<string, { costUSD: number }>;
}

interface RunRecord {
  phase: string;
  runs: number;
  ok?: boolean;
  sessionId?: string;
  costUsd?: number | null;
  turns?: number | null;
  result?: string;
  permissionDenials?: { tool: string; detail: string }[];
}

type Message = { role: string; content: string | { type: string; text?: string; content?: unknown; is_error?: boolean }[] };

/** The messages of a recorded request, each as its role and its text blocks (tool results as their text). */
function conversation(req: RecordedRequest | undefined): { role: string; texts: string[] }[] {
  const messages = ((req?.body ?? {}) as { messages?: Message[] }).messages ?? [];
  return messages.map((m) => ({
    role: m.role,
    texts: typeof m.content === 'string' ? [m.content] : m.content.map((b) => (b.type === 'text' ? (b.text ?? '') : b.type === 'tool_result' ? JSON.stringify(b.content) : `[${b.type}]`)),
  }));
}

/** The conversation as short lines for a failure message. */
const showConversation = (req: RecordedRequest | undefined) =>
  conversation(req)
    .map((m) => `${m.role}: ${m.texts.map((t) => JSON.stringify(t.length > 80 ? `${t.slice(0, 80)}…` : t)).join(' + ')}`)
    .join('\n');

describe.skipIf(!enabled)('real Claude Code, headless (`claude -p`)', () => {
  let claude: string;
  let w: World;
  let api: FakeAnthropic;
  claudeWorldEachTest((c) => ({ claude, w, api } = c));

  async function until<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, dump: () => string, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw:\n${dump()}`);
      await tick();
    }
  }

  const common = () => join(w.repo, '.git', 'treemux');
  const wt = () => join(w.dir, 'app-auth'); // the default worktree: ../{project}-{agent}

  /** Everything a failure should show: the window, the runner's log, the raw events, the API traffic. */
  function dump(): string {
    const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '(none)');
    const raw = read(join(common(), 'logs', 'auth.jsonl'))
      .split('\n')
      .filter(Boolean)
      .map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l))
      .join('\n');
    const traffic = api.requests.map((r) => `${r.method} ${r.path} (${r.role})`).join('\n');
    return `screen of app:auth:\n${w.screen('app:auth')}\nlogs/auth.log:\n${read(join(common(), 'logs', 'auth.log'))}\nlogs/auth.jsonl:\n${raw}\nstate.json run: ${JSON.stringify(runRecord())}\nAPI requests:\n${traffic}`;
  }

  /** The raw stream-json events the runner kept. */
  function events(): Record<string, unknown>[] {
    const file = join(common(), 'logs', 'auth.jsonl');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  }
  const results = () => events().filter((e): e is Record<string, unknown> & ResultEvent => e.type === 'result');

  function runRecord(): RunRecord | undefined {
    try {
      const state = JSON.parse(readFileSync(join(common(), 'state.json'), 'utf8')) as { agents: Record<string, { run?: RunRecord }> };
      return state.agents.auth?.run;
    } catch {
      return undefined;
    }
  }

  function layout(task: string, args: string[] = []): string {
    return [
      'version: 1',
      'project: app',
      'agent:',
      `  command: ${JSON.stringify(claude)}`,
      `  args: ${JSON.stringify(args)}`,
      '  kind: claude',
      '  mode: headless',
      'agents:',
      `  - { name: auth, task: ${JSON.stringify(task)} }`,
      '',
    ].join('\n');
  }

  async function up(task: string, args: string[] = []): Promise<{ stderr: string }> {
    claudeHome(w.env.HOME!, [wt()], FAKE_API_KEY);
    w.write('treemux.yaml', layout(task, args));
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, `${r.stderr}\n${dump()}`).toBe(0);
    return { stderr: r.stderr };
  }

  /** `treemux wait auth --timeout 60`, which must say the run finished well. */
  async function waitDone(): Promise<number> {
    const t = Date.now();
    const r = await w.tm(['wait', 'auth', '--timeout', '60']);
    expect(r.code, `wait: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}\n${dump()}`).toBe(0);
    return Date.now() - t;
  }

  async function ls(): Promise<LsAgent> {
    const r = await w.tm(['ls', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const a = (JSON.parse(r.stdout) as { agents: LsAgent[] }).agents.find((x) => x.name === 'auth');
    expect(a, r.stdout).toBeDefined();
    return a!;
  }

  async function report(): Promise<{ agent: ReportAgent; totalCostUsd: number | null }> {
    const r = await w.tm(['report', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as { agents: ReportAgent[]; totalCostUsd: number | null };
    const agent = rep.agents.find((a) => a.name === 'auth');
    expect(agent, r.stdout).toBeDefined();
    return { agent: agent!, totalCostUsd: rep.totalCostUsd };
  }

  /** The text blocks of the user messages of a request. */
  const userTexts = (req: RecordedRequest | undefined) => conversation(req).filter((m) => m.role === 'user').flatMap((m) => m.texts);

  it('answers with text: wait exits 0, ls shows exited with the reply, report has Claude\'s own cost and turns', async () => {
    api.script([{ text: 'Hello from the fake API.' }]);
    const t0 = Date.now();
    await up('Say hello');
    const upMs = Date.now() - t0;
    const waited = await waitDone();

    const agent = await ls();
    expect(agent.status).toBe('exited');
    expect(agent.lastLine).toBe('Hello from the fake API.');

    // Claude's own figures, from the `result` line the runner kept
    const [result, more] = results();
    expect(more, dump()).toBeUndefined();
    expect(result, dump()).toMatchObject({ subtype: 'success', is_error: false, result: 'Hello from the fake API.', num_turns: 1 });
    expect(result!.total_cost_usd).toBeGreaterThan(0);
    const { agent: rep, totalCostUsd } = await report();
    expect(rep).toMatchObject({ status: 'exited', ok: true, costUsd: result!.total_cost_usd, turns: result!.num_turns, permissionDenials: [] });
    expect(totalCostUsd).toBe(result!.total_cost_usd);
    expect(runRecord()).toMatchObject({ phase: 'done', runs: 1, ok: true, sessionId: result!.session_id, result: 'Hello from the fake API.' });

    // the task reached the API as the user's prompt: the last text block of the first user message
    const main = api.mainRequests();
    expect(main, dump()).toHaveLength(1);
    const first = conversation(main[0]).find((m) => m.role === 'user');
    expect(first?.texts.at(-1), showConversation(main[0])).toBe('Say hello');

    // the window and logs/auth.log: the reply, then the runner's summary line
    const log = readFileSync(join(common(), 'logs', 'auth.log'), 'utf8');
    expect(log).toContain('Hello from the fake API.');
    expect(log).toMatch(/^── ✓ done · 1 turn · /m);
    console.log(`headless text run: up ${upMs} ms, wait ${waited} ms; result total_cost_usd ${result!.total_cost_usd}, num_turns ${result!.num_turns}\nlogs/auth.log:\n${log}`);
  });

  it('`send` continues the conversation with --resume: the API sees the first exchange, then the follow-up', async () => {
    api.script([{ text: 'Hello from the fake API.' }, { text: 'Second reply, same conversation.', delayMs: 3000 }]);
    const t0 = Date.now();
    const marks: string[] = [];
    const mark = (what: string) => marks.push(`${what} +${Date.now() - t0} ms`);
    await up('Say hello');
    await waitDone();
    mark('first run done');
    const firstSession = runRecord()?.sessionId;
    expect(firstSession, dump()).toMatch(/^[0-9a-f-]{36}$/);

    // right after `wait` said it finished, a send starts the second run
    const sent = await w.tm(['send', 'auth', 'follow-up']);
    expect(sent.code, `send right after wait: ${sent.stderr}\n${dump()}`).toBe(0);
    mark('send');

    // while the second run works, another send is refused (print mode reads no input)
    const statuses: string[] = [];
    const refused = await w.tm(['send', 'auth', 'too soon']);
    expect(refused.code, refused.stdout).not.toBe(0);
    expect(refused.stderr).toMatch(/still working/);
    const during = await ls();
    statuses.push(during.status);
    expect(['starting', 'busy']).toContain(during.status);
    await waitDone();
    mark('second run done');

    const agent = await ls();
    expect(agent.status).toBe('exited');
    expect(agent.lastLine).toBe('Second reply, same conversation.');
    const run = runRecord();
    expect(run, dump()).toMatchObject({ phase: 'done', runs: 2, ok: true, sessionId: firstSession });

    // the conversation really continued: the second request carries the first exchange, then the follow-up
    const main = api.mainRequests();
    expect(main, dump()).toHaveLength(2);
    const turns = conversation(main[1]).filter((m) => m.role === 'user' || m.role === 'assistant');
    const at = (role: string, text: string) => turns.findIndex((m) => m.role === role && m.texts.includes(text));
    const order = [at('user', 'Say hello'), at('assistant', 'Hello from the fake API.'), at('user', 'follow-up')];
    expect(order.every((i) => i >= 0), showConversation(main[1])).toBe(true);
    expect([...order].sort((a, b) => a - b), showConversation(main[1])).toEqual(order);
    expect(userTexts(main[1]).at(-1)).toBe('follow-up');

    // the window ran claude with --resume <the first run's session>: both results are of one session
    const [r1, r2] = results();
    expect(r2, dump()).toBeDefined();
    expect(r2!.session_id).toBe(r1!.session_id);
    expect(r2).toMatchObject({ is_error: false, result: 'Second reply, same conversation.', num_turns: 1 });

    // Claude Code's total_cost_usd on a resumed run is the SESSION's total so far (cumulative): the first
    // run's cost plus the second run's own (model_usage_since_last_result), not the second run's alone
    const ownCost = (r: ResultEvent) => Object.values(r.model_usage_since_last_result ?? {}).reduce((s, m) => s + m.costUSD, 0);
    expect(r1!.total_cost_usd).toBeCloseTo(ownCost(r1!), 9);
    expect(r2!.total_cost_usd).toBeCloseTo(r1!.total_cost_usd + ownCost(r2!), 9);
    // so the agent's cost is the latest result's total_cost_usd (adding the runs' figures would count
    // the first run twice); turns are per run, so they add up
    const { agent: rep, totalCostUsd } = await report();
    console.log(
      `resume: ${marks.join(', ')}; statuses during run 2: ${statuses.join(' → ')}\n` +
        `result 1: total_cost_usd ${r1!.total_cost_usd} (own ${ownCost(r1!)}), num_turns ${r1!.num_turns}\n` +
        `result 2: total_cost_usd ${r2!.total_cost_usd} (own ${ownCost(r2!)}), num_turns ${r2!.num_turns}\n` +
        `treemux: run.costUsd ${run?.costUsd}, report costUsd ${rep.costUsd}, totalCostUsd ${totalCostUsd}, turns ${rep.turns}`,
    );
    expect(rep.turns).toBe(r1!.num_turns + r2!.num_turns);
    expect(rep.ok).toBe(true);
    expect(rep.costUsd, `report costUsd ${rep.costUsd}: the sum of both runs' total_cost_usd double-counts run 1 (${r1!.total_cost_usd} + ${r2!.total_cost_usd})`).toBeCloseTo(r2!.total_cost_usd, 9);
    expect(totalCostUsd).toBeCloseTo(r2!.total_cost_usd, 9);
  });

  it('a Bash tool_use in the default permission mode is denied: the run ends well and report lists the denial', async () => {
    api.script([
      { toolUse: { name: 'Bash', input: { command: 'touch denied.txt', description: 'Create denied.txt' } } },
      { text: 'I was not allowed to create denied.txt.' },
    ]);
    const { stderr } = await up('Create denied.txt');
    // up says that print mode has nobody to ask
    expect(stderr).toMatch(/headless Claude agent auth runs in the default permission mode/);
    await waitDone();

    expect(existsSync(join(wt(), 'denied.txt'))).toBe(false);
    // what the real client does: a permission_denied event, the tool call answered with an error the
    // model reads, the model's next answer, and a successful result that lists the denial
    const denied = events().find((e) => e.type === 'system' && e.subtype === 'permission_denied');
    expect(denied, dump()).toMatchObject({ tool_name: 'Bash' });
    const [result] = results();
    expect(result, dump()).toMatchObject({ subtype: 'success', is_error: false, num_turns: 2, result: 'I was not allowed to create denied.txt.' });
    expect(result!.permission_denials).toEqual([
      { tool_name: 'Bash', tool_use_id: expect.stringMatching(/^toolu_/), tool_input: { command: 'touch denied.txt', description: 'Create denied.txt' } },
    ]);
    const main = api.mainRequests();
    expect(main, dump()).toHaveLength(2);
    const toolResult = conversation(main[1]).filter((m) => m.role === 'user').flatMap((m) => m.texts).find((t) => t.includes('needs approval'));
    expect(toolResult, showConversation(main[1])).toBeDefined();

    const { agent: rep } = await report();
    expect(rep).toMatchObject({ ok: true, turns: 2, costUsd: result!.total_cost_usd, permissionDenials: [{ tool: 'Bash', detail: 'touch denied.txt' }] });
    const agent = await ls();
    expect(agent).toMatchObject({ status: 'exited', lastLine: 'I was not allowed to create denied.txt.' });
    const log = readFileSync(join(common(), 'logs', 'auth.log'), 'utf8');
    expect(log).toContain('⚙ Bash: touch denied.txt');
    expect(log).toContain('⊘ denied Bash: touch denied.txt');
    console.log(`permission_denied event: ${JSON.stringify(denied)}\ntool result the model read: ${toolResult}\nlogs/auth.log:\n${log}`);
  });

  it('starting until Claude says something (as the contract maps system/init), then exited at the result', async () => {
    api.script([{ text: 'Thought about it.', delayMs: 5000 }]);
    await up('Think first');
    // the client sent its request; its first assistant event comes with the reply, 5 s later
    const asked = await until(() => api.mainRequests()[0], 'the main request', dump);
    const seen: string[] = [];
    await until(
      async () => {
        const st = (await ls()).status;
        seen.push(`${st} +${Date.now() - asked.at} ms`);
        return st === 'starting' && runRecord()?.sessionId !== undefined;
      },
      'status starting, with the session known, while the reply is held',
      () => `statuses since the request: ${seen.join(' → ')}\nraw events so far: ${events().map((e) => `${String(e.type)}/${String(e.subtype ?? '')}`).join(' ')}\nstate.json run: ${JSON.stringify(runRecord())}`,
      Math.max(0, asked.at + 4000 - Date.now()),
    );
    console.log(`statuses while the reply was held: ${seen.join(' → ')}`);
    await waitDone();
    expect((await ls()).status).toBe('exited');
  });

  it('the prompt survives `--`: a task starting with a dash after a variadic --allowedTools reaches the API, and so does a follow-up', async () => {
    api.script([{ text: 'Listed.' }]);
    await up('- list the files', ['--allowedTools', 'Read', 'Grep']);
    await waitDone();
    const main = api.mainRequests();
    expect(main, dump()).toHaveLength(1);
    expect(userTexts(main[0]).at(-1), showConversation(main[0])).toBe('- list the files');
    expect(userTexts(main[0])).not.toContain('Grep');
    const [result] = results();
    expect(result, dump()).toMatchObject({ is_error: false, result: 'Listed.' });
    expect((await ls()).lastLine).toBe('Listed.');
    const startCommand = () => w.tmux(['list-panes', '-t', 'app:auth', '-F', '#{pane_start_command}']).trim();
    const firstCommand = startCommand();

    // and on a continuation (`--resume ID -- TEXT`): a follow-up that looks like an option
    api.push({ text: 'Helped.' });
    const sent = await w.tm(['send', 'auth', '--', '--help me too']);
    expect(sent.code, `${sent.stderr}\n${dump()}`).toBe(0);
    await waitDone();
    expect(api.mainRequests(), dump()).toHaveLength(2);
    expect(userTexts(api.mainRequests()[1]).at(-1), showConversation(api.mainRequests()[1])).toBe('--help me too');
    expect((await ls()).lastLine).toBe('Helped.');
    console.log(`the window's commands:\n${firstCommand}\n${startCommand()}`);
  });
});
