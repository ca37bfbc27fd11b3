// The OpenCode kind, pure parts, against what the real client (opencode-ai 1.18.33) showed and emitted:
// test/fixtures/screens/opencode-*.txt, test/fixtures/events/opencode-*.jsonl (recorded by
// test/clients/opencode/client.test.ts with TREEMUX_RECORD_FIXTURES=1; opencode-run-error.jsonl by hand
// against the fake API answering 401).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunFacts } from '../../src/agents/kinds/facts.js';
import { headlessArgv, operand, promptWords, resumeArgs, runArgs } from '../../src/agents/kinds/opencode/args.js';
import { configContent } from '../../src/agents/kinds/opencode/config.js';
import { eventOf, scopeDecision, writeTargets } from '../../src/agents/kinds/opencode/hook.js';
import { isOpenCodeSessionId } from '../../src/agents/kinds/opencode/ids.js';
import { lastLineFromHook, opencode } from '../../src/agents/kinds/opencode/index.js';
import { installPlugin, PLUGIN_FILE, pluginSource } from '../../src/agents/kinds/opencode/plugin.js';
import { OPENCODE_CHROME, OPENCODE_QUESTION, opencodeStatus, screenStatus } from '../../src/agents/kinds/opencode/status.js';
import { emptyFacts, readEvent, settle, summary, type OpenCodeRunFacts } from '../../src/agents/kinds/opencode/stream.js';
import type { HookEvent } from '../../src/agents/status/rules.js';
import { lastMeaningfulLine } from '../../src/agents/status/status.js';
import { ROOT } from '../helpers/world.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');
const screen = (name: string) => readFileSync(join(FIXTURES, 'screens', `opencode-${name}.txt`), 'utf8');
const lines = (name: string) => readFileSync(join(FIXTURES, 'events', `opencode-${name}.jsonl`), 'utf8').split('\n').filter(Boolean);
const SID = 'ses_dc5536987ffeYcQWmgNz7k1rHG';

function readAll(input: string[], facts: RunFacts = emptyFacts()): { facts: OpenCodeRunFacts; shown: string[]; changes: number } {
  let f = facts;
  const shown: string[] = [];
  let changes = 0;
  for (const line of input) {
    const r = readEvent(f, line);
    f = r.facts;
    shown.push(...r.shown);
    if (r.changed) changes += 1;
  }
  return { facts: f as OpenCodeRunFacts, shown, changes };
}

describe('the command line', () => {
  it('gives the TUI the task glued to --prompt, whatever it starts with', () => {
    expect(operand('Fix the login bug')).toEqual(['--prompt=Fix the login bug']);
    expect(operand('--yolo')).toEqual(['--prompt=--yolo']);
    expect(operand('-s ses_x\nmore')).toEqual(['--prompt=-s ses_x\nmore']);
  });
  it('resumes only an id of OpenCode\'s shape', () => {
    expect(resumeArgs(SID)).toEqual(['--session', SID]);
    for (const bad of [undefined, '', '--auto', 'ses_', 'ses_abc', `${SID} --auto`, '0b6c6d2e-3f7a-4d1e-9a8b-1c2d3e4f5a6b']) expect(resumeArgs(bad)).toBeUndefined();
    expect(isOpenCodeSessionId(SID)).toBe(true);
    expect(isOpenCodeSessionId(42)).toBe(false);
  });
  it('splits the headless prompt into words that `run` joins back exactly', () => {
    for (const prompt of ['Say hello', '--yolo "quoted"  two  spaces\nsecond line', ' leading and trailing ', 'one']) {
      const words = promptWords(prompt);
      expect(words.every((w) => !w.includes(' '))).toBe(true); // run quotes a word with a space in it
      expect(words.join(' ')).toBe(prompt);
    }
  });
  it('runs `run --format json`, the layout args made fit, the session, then the words after --', () => {
    expect(headlessArgv('opencode', [], 'Fix it', undefined)).toEqual(['opencode', 'run', '--format', 'json', '--', 'Fix', 'it']);
    expect(headlessArgv('/bin/oc', ['-m', 'fake/m', '--auto'], '--yolo', SID)).toEqual(['/bin/oc', 'run', '--format', 'json', '-m', 'fake/m', '--auto', '--session', SID, '--', '--yolo']);
    expect(headlessArgv('opencode', [], '  ', SID)).toEqual(['opencode', 'run', '--format', 'json', '--session', SID]);
    expect(headlessArgv('opencode', [], 'x', 'not-an-id')).toEqual(['opencode', 'run', '--format', 'json', '--', 'x']);
  });
  it('drops what `run` refuses or repeats: a leading run, another --format, the TUI-only options', () => {
    expect(runArgs(['run', '--format', 'default', '--agent', 'plan'])).toEqual(['run', '--format', 'json', '--agent', 'plan']);
    expect(runArgs(['--format=default', '--mini', '--prompt', 'x', '--replay-limit=3', '--hostname', '0.0.0.0', '-m', 'a/b'])).toEqual(['run', '--format', 'json', '-m', 'a/b']);
  });
});

describe('the headless events (run --format json)', () => {
  it('reads a run to its end: session, text, one step, tokens, cost, the last line', () => {
    const { facts, shown, changes } = readAll(lines('run'));
    expect(facts.phase).toBe('done');
    expect(isOpenCodeSessionId(facts.sessionId)).toBe(true);
    expect(facts.lastText).toBe('The last line.');
    expect(facts.result).toMatchObject({ ok: true, subtype: 'success', text: 'Hello from the fake API.\nThe last line.', turns: 1, costUsd: null, errors: [], permissionDenials: [] });
    expect(facts.result!.runCostUsd).toBeGreaterThan(0);
    expect(facts.result!.durationMs).toBeGreaterThanOrEqual(0);
    expect(facts.tokens!.input).toBeGreaterThan(0);
    expect(facts.tokens!.output).toBeGreaterThan(0);
    expect(shown).toEqual([`▶ session ${facts.sessionId}`, 'Hello from the fake API.', 'The last line.']);
    expect(changes).toBe(2); // the first step (its session, busy), its end (done)
    expect(opencode.events!.lastLine(facts)).toBe('The last line.');
    expect(summary(facts, { code: 0, signal: null })).toMatch(/^── ✓ done · 1 turn · \d+ ms · \$0\.00\d+$/);
  });
  it('sums the steps of a run that used a tool (--auto)', () => {
    const { facts, shown } = readAll(lines('run-auto'));
    expect(facts.result).toMatchObject({ ok: true, turns: 2, text: 'Wrote auto.txt.' });
    expect(facts.steps).toBe(2);
    expect(facts.toolCalls).toBe(1);
    expect(shown).toContain('⚙ bash: echo hi > auto.txt');
    expect(shown.at(-1)).toBe('Wrote auto.txt.');
    const steps = lines('run-auto').map((l) => JSON.parse(l) as { type: string; part: { cost?: number; tokens?: { input: number } } }).filter((e) => e.type === 'step_finish');
    expect(facts.result!.runCostUsd).toBeCloseTo(steps.reduce((a, e) => a + e.part.cost!, 0), 12);
    expect(facts.tokens!.input).toBe(steps.reduce((a, e) => a + e.part.tokens!.input, 0));
  });
  it('takes a run that a rejected permission ended as done at its exit, the denial listed', () => {
    const { facts, shown } = readAll(lines('run-denied'));
    expect(facts.phase).toBe('busy'); // the step ended with tool-calls: another could follow
    expect(facts.result).toBeUndefined();
    expect(shown).toContain('⊘ denied bash: touch denied.txt');
    const settled = settle(facts, { code: 0, signal: null });
    expect(settled.result).toMatchObject({ ok: true, subtype: 'success', turns: 1, permissionDenials: [{ tool: 'bash', detail: 'touch denied.txt' }] });
    expect(summary(facts, { code: 0, signal: null })).toMatch(/^── ✓ done · 1 turn/);
    expect(settle(facts, { code: null, signal: 'SIGTERM' }).result).toMatchObject({ ok: false, subtype: 'error_during_execution' });
    expect(summary(facts, { code: null, signal: 'SIGTERM' })).toMatch(/^── ✗ error_during_execution · signal SIGTERM · 1 turn/);
  });
  it('reads an API error as a failed result', () => {
    const { facts, shown } = readAll(lines('run-error'));
    expect(facts.result).toMatchObject({ ok: false, subtype: 'APIError', errors: ['fake unauthorized'], turns: 0 });
    expect(shown.at(-1)).toBe('✗ APIError: fake unauthorized');
    expect(opencode.events!.lastLine(facts)).toBe('APIError: fake unauthorized');
    expect(summary(facts, { code: 1, signal: null })).toBe('── ✗ APIError · exit 1 · 0 turns · 0 ms');
  });
  it('shows what is not an event as it is, and keeps a subagent\'s lines out of the facts', () => {
    const other = 'ses_0000000000000000000000000Z';
    const start = readAll(lines('run').slice(0, 1));
    const r = readAll(
      [
        '',
        'Error: something on stderr',
        '[1,2]',
        JSON.stringify({ type: 'text', sessionID: other, part: { type: 'text', text: 'subagent says' } }),
        JSON.stringify({ type: 'step_finish', sessionID: other, part: { reason: 'stop', cost: 5, tokens: { input: 9 } } }),
        JSON.stringify({ type: 'text', sessionID: '--auto', part: { type: 'text', text: 'odd id' } }),
        JSON.stringify({ type: 'step_finish', sessionID: start.facts.sessionId, part: { reason: 'length', tokens: 'many', cost: 'free' } }),
      ],
      start.facts,
    );
    expect(r.shown).toEqual(['Error: something on stderr', '  subagent says', 'odd id']);
    expect(r.facts.sessionId).toBe(start.facts.sessionId);
    expect(r.facts.result).toMatchObject({ ok: false, subtype: 'length', runCostUsd: null, turns: 1 });
    expect(r.facts.lastText).toBe('odd id');
  });
  it('leaves a run that never began as it was, and does not change the facts it is given', () => {
    const empty = emptyFacts();
    expect(settle(empty, { code: 1, signal: null })).toMatchObject({ phase: 'starting' });
    expect(summary(empty, { code: 1, signal: null })).toBe('── ✗ ended without a result (exit 1)');
    const before = JSON.stringify(empty);
    readEvent(empty, lines('run')[0]!);
    expect(JSON.stringify(empty)).toBe(before);
  });
});

describe('the plugin events', () => {
  const raw = () => lines('plugin').map((l) => JSON.parse(l) as { type: string; properties: Record<string, unknown> });
  const forwarded = () => lines('plugin-forwarded').map((l) => JSON.parse(l) as Record<string, unknown>);

  it('keeps only checked values of each recorded event', () => {
    const events = raw().map((e) => eventOf(e, 1));
    expect(events.map((e) => `${e.event}${e.message ? ` ${e.message}` : ''}`)).toEqual(
      raw().map((e) => {
        const p = e.properties as { status?: { type: string }; reply?: string; patterns?: string[]; permission?: string };
        if (e.type === 'session.status') return `session.status ${p.status!.type}`;
        if (e.type === 'permission.asked') return `permission.asked ${p.permission}: ${p.patterns!.join(' ')}`;
        if (e.type === 'permission.replied') return `permission.replied ${p.reply}`;
        return e.type;
      }),
    );
    expect(events.every((e) => isOpenCodeSessionId(e.sessionId))).toBe(true);
    expect(events.find((e) => e.event === 'permission.asked')).toMatchObject({ tool: 'bash', message: 'bash: touch approved.txt' });
    expect(Object.keys(events[0]!).sort()).toEqual(['at', 'event', 'sessionId']);
  });
  it('reads what treemux\'s plugin forwards: the answer\'s last line at session.idle, the write it asks about', () => {
    const events = forwarded().map((e) => eventOf(e, 1));
    expect(events.map((e) => e.event)).toContain('tool.execute.before');
    expect(events.find((e) => e.event === 'tool.execute.before')).toMatchObject({ tool: 'write' });
    expect(events.filter((e) => e.event === 'session.idle').map((e) => e.message)).toEqual(['Hi, I read my instructions.', 'Understood, I will stay in my scope.', 'Created ok.txt.']);
    const write = forwarded().find((e) => e.type === 'tool.execute.before') as { args: { filePath: string }; directory: string };
    expect(write.args.filePath).toBe('src/payments/pay.ts');
    expect(write.directory).toMatch(/^\//);
  });
  it('checks every value', () => {
    expect(eventOf(null, 5)).toEqual({ at: 5, event: 'unknown', sessionId: undefined });
    expect(eventOf('session.idle', 5).event).toBe('unknown');
    expect(eventOf({ type: 'rm -rf /' }).event).toBe('unknown');
    expect(eventOf({ type: 'session.idle', properties: { sessionID: '--auto' } }).sessionId).toBeUndefined();
    expect(eventOf({ type: 'session.status', properties: { sessionID: SID, status: { type: 'exploding' } } }).message).toBeUndefined();
    expect(eventOf({ type: 'permission.replied', properties: { sessionID: SID, reply: 'yes please' } }).message).toBeUndefined();
    expect(eventOf({ type: 'session.idle', properties: { sessionID: SID }, lastText: 'line one\n\u001b[31mred\u001b[0m last\n' }).message).toBe('red last');
    expect(eventOf({ type: 'session.idle', properties: { sessionID: SID }, lastText: 7 }).message).toBeUndefined();
    const long = eventOf({ type: 'permission.asked', properties: { sessionID: SID, permission: 'bash\u0007', patterns: ['x'.repeat(900), 3] } });
    expect(long.tool).toBe('bash ');
    expect(long.message!.length).toBe(500);
    expect(eventOf({ type: 'session.error', properties: { sessionID: SID, error: { name: 'APIError', data: { message: 'boom\nagain' } } } }).message).toBe('boom again');
    expect(eventOf({ type: 'tool.execute.before', sessionID: SID, tool: 'write' })).toMatchObject({ sessionId: SID, tool: 'write' });
  });
});

describe('status', () => {
  const hook = (event: string, message?: string): HookEvent => ({ at: 1, event, ...(message ? { message } : {}) });
  const st = (h: HookEvent, screen?: string) => opencodeStatus({ hook: h, screen, recent: false });

  it('follows the turn through the recorded events: busy, waiting at the question, idle at the end', () => {
    const statuses = lines('plugin').map((l) => st(eventOf(JSON.parse(l))));
    const types = lines('plugin').map((l) => (JSON.parse(l) as { type: string }).type);
    expect(statuses[types.indexOf('permission.asked')]).toBe('waiting');
    expect(statuses[types.indexOf('permission.replied')]).toBe('busy');
    types.forEach((t, i) => {
      if (t === 'session.idle') expect(statuses[i]).toBe('idle');
    });
    expect(statuses.at(-1)).toBe('idle');
    expect(statuses[0]).toBeUndefined(); // session.created: the next event says
  });
  it('lets a screen that shows OpenCode idle overrule a busy event (an event lost on the way)', () => {
    expect(st(hook('session.status', 'busy'), screen('idle'))).toBe('idle');
    expect(st(hook('session.status', 'busy'), screen('busy'))).toBe('busy');
    expect(st(hook('permission.asked'), screen('busy'))).toBe('busy');
    expect(st(hook('permission.asked'), screen('waiting'))).toBe('waiting');
    expect(st(hook('permission.replied', 'reject'))).toBe('idle');
    expect(st(hook('session.error', 'boom'))).toBe('idle');
    expect(st(hook('something.else'))).toBeUndefined();
  });
  it('tells the screens apart', () => {
    expect(screenStatus(screen('busy'))).toBe('busy');
    expect(screenStatus(screen('waiting'))).toBe('waiting');
    expect(screenStatus(screen('idle'))).toBe('idle');
    expect(screenStatus(screen('home'))).toBe('idle');
    expect(screenStatus('$ ls\nfoo\n')).toBeUndefined();
    for (const name of ['busy', 'idle', 'home']) expect(OPENCODE_QUESTION.some((q) => q.test(screen(name)))).toBe(false);
    expect(OPENCODE_QUESTION.every((q) => q.test(screen('waiting')))).toBe(true);
  });
  it('never takes its chrome for the last line', () => {
    expect(lastMeaningfulLine(screen('idle'), OPENCODE_CHROME)).toBe('Hello from the fake API.');
    expect(lastMeaningfulLine(screen('busy'), OPENCODE_CHROME)).toBe('Say hello');
    expect(lastMeaningfulLine(screen('waiting'), OPENCODE_CHROME)).toBe('$ touch approved.txt');
    expect(lastMeaningfulLine(screen('home'), OPENCODE_CHROME)).toBe('');
    // without it, the footer
    expect(lastMeaningfulLine(screen('idle'))).toMatch(/ctrl\+p commands$/);
  });
  it('takes the last line from a session.idle event', () => {
    expect(lastLineFromHook(eventOf({ type: 'session.idle', properties: { sessionID: SID }, lastText: 'Done.\nAll tests pass.' }))).toBe('All tests pass.');
    expect(lastLineFromHook(hook('session.status', 'idle'))).toBeUndefined();
    expect(lastLineFromHook(undefined)).toBeUndefined();
  });
});

describe('the scope guard', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const setup = () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'oc-scope-')));
    dir = root;
    const main = join(root, 'app');
    const wt = join(root, 'app-auth');
    mkdirSync(join(main, '.git', 'worktrees', 'app-auth'), { recursive: true });
    mkdirSync(join(wt, 'src', 'auth'), { recursive: true });
    writeFileSync(join(main, '.git', 'worktrees', 'app-auth', 'gitdir'), `${join(wt, '.git')}\n`);
    return { main, wt, env: { agent: 'auth', worktree: wt, stateDir: join(main, '.git', 'treemux'), scope: JSON.stringify({ scope: ['src/auth/**'], avoid: ['src/auth/secret.ts'], mode: 'deny' }) } };
  };
  const call = (tool: string, args: Record<string, unknown>, directory?: string) => ({ type: 'tool.execute.before', tool, sessionID: SID, args, ...(directory ? { directory } : {}) });

  it('names the files a write tool touches', () => {
    expect(writeTargets('write', { filePath: 'a.ts', content: 'x' })).toEqual(['a.ts']);
    expect(writeTargets('edit', { filePath: '/abs/b.ts', oldString: 'a', newString: 'b' })).toEqual(['/abs/b.ts']);
    expect(writeTargets('apply_patch', { patchText: '*** Begin Patch\n*** Update File: src/a.ts\n@@\n*** Add File: src/n.ts\n+x\n*** Move to: src/m.ts\n*** End Patch' })).toEqual(['src/a.ts', 'src/n.ts', 'src/m.ts']);
    expect(writeTargets('bash', { command: 'rm -rf src' })).toEqual([]);
    expect(writeTargets('write', 'nope')).toEqual([]);
  });
  it('refuses a write outside the scope, into the avoid list, or into another checkout; lets one in scope pass', () => {
    const { main, wt, env } = setup();
    expect(scopeDecision(call('write', { filePath: 'src/auth/login.ts' }, wt), env)).toBeNull();
    expect(scopeDecision(call('write', { filePath: 'src/payments/pay.ts' }, wt), env)).toEqual({
      deny: true,
      reason: "treemux: src/payments/pay.ts may not be changed: it is outside this agent's scope (src/auth/**). Change only files in your scope; if this file must change, tell the user.",
    });
    expect(scopeDecision(call('edit', { filePath: join(wt, 'src', 'auth', 'secret.ts') }), env)?.reason).toMatch(/matches avoid/);
    expect(scopeDecision(call('write', { filePath: join(main, 'src', 'auth', 'x.ts') }), env)?.reason).toMatch(/another checkout/);
    expect(scopeDecision(call('apply_patch', { patchText: '*** Update File: src/auth/a.ts\n*** Add File: README.md\n' }, wt), env)?.reason).toMatch(/README\.md may not be changed/);
    expect(scopeDecision(call('bash', { command: 'touch src/payments/x' }, wt), env)).toBeNull();
    expect(scopeDecision({ ...call('write', { filePath: 'README.md' }), type: 'session.idle' }, env)).toBeNull();
    expect(scopeDecision(call('write', { filePath: 'README.md' }, wt), { ...env, scope: JSON.stringify({ scope: ['src/auth/**'], mode: 'warn' }) })).toMatchObject({ deny: false });
    expect(scopeDecision(call('write', { filePath: 'README.md' }, wt), { ...env, scope: '{broken' })).toBeNull();
    // relative to where OpenCode works; a relative `directory` is not trusted
    expect(scopeDecision(call('write', { filePath: 'login.ts' }, join(wt, 'src', 'auth')), env)).toBeNull();
    expect(scopeDecision(call('write', { filePath: 'login.ts' }, 'src/auth'), env)?.deny).toBe(true);
  });
});

describe('the plugin', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const fresh = (): string => (dir = realpathSync(mkdtempSync(join(tmpdir(), 'oc-plugin-'))));

  it('is written into the worktree, replaces an older one of its own, refuses a user\'s file and a linked folder', async () => {
    const dir = fresh();
    await installPlugin(dir, ['/usr/bin/node', '/x/treemux.js']);
    const text = readFileSync(join(dir, PLUGIN_FILE), 'utf8');
    expect(text).toContain('const HOOK = ["/usr/bin/node","/x/treemux.js"];');
    expect(text).toContain('treemux-opencode-plugin');
    await installPlugin(dir, ['/new/node', '/y/treemux.js']);
    expect(readFileSync(join(dir, PLUGIN_FILE), 'utf8')).toContain('"/new/node"');
    writeFileSync(join(dir, PLUGIN_FILE), 'export const Mine = async () => ({});\n');
    await expect(installPlugin(dir, ['n', 't'])).rejects.toThrow(/is not treemux's/);

    const other = join(dir, 'elsewhere');
    mkdirSync(other);
    const wt = join(dir, 'wt');
    mkdirSync(wt);
    symlinkSync(other, join(wt, '.opencode'));
    await expect(installPlugin(wt, ['n', 't'])).rejects.toThrow(/symbolic link|not a folder/);
    const wt2 = join(dir, 'wt2');
    mkdirSync(join(wt2, '.opencode', 'plugin'), { recursive: true });
    symlinkSync(join(other, 'target.js'), join(wt2, PLUGIN_FILE));
    await expect(installPlugin(wt2, ['n', 't'])).rejects.toThrow(/symbolic link/);
    expect(opencode.writtenFiles).toEqual([`/${PLUGIN_FILE}`]);
  });

  it('does nothing outside treemux, forwards in order, and throws the guard\'s refusal (run by node here, as OpenCode runs it)', async () => {
    const dir = fresh();
    const got = join(dir, 'got.jsonl');
    // a stand-in for `treemux hook --kind opencode`: records its input, refuses writes to forbidden files
    const hookScript = join(dir, 'hook.mjs');
    writeFileSync(
      hookScript,
      `import { appendFileSync } from 'node:fs';
let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => {
  appendFileSync(${JSON.stringify(got)}, s + '\\n');
  const p = JSON.parse(s);
  if (p.type === 'tool.execute.before' && String(p.args.filePath).includes('forbidden')) process.stdout.write(JSON.stringify({ deny: true, reason: 'treemux: forbidden.txt may not be changed' }));
});
`,
    );
    chmodSync(hookScript, 0o755);
    const file = join(dir, 'plugin.mjs');
    writeFileSync(file, pluginSource([process.execPath, hookScript]));
    const mod = (await import(`${pathToFileURL(file).href}?${Date.now()}`)) as { TreemuxPlugin: (ctx: unknown) => Promise<Record<string, (...a: unknown[]) => Promise<void>>> };
    const saved = process.env.TREEMUX_AGENT;
    try {
      delete process.env.TREEMUX_AGENT;
      expect(await mod.TreemuxPlugin({ directory: dir })).toEqual({});
      process.env.TREEMUX_AGENT = 'auth';
      const hooks = await mod.TreemuxPlugin({ directory: dir });
      const ev = (type: string, properties: Record<string, unknown>) => hooks.event!({ event: { type, properties } });
      await ev('session.created', { sessionID: SID, info: { id: SID } });
      await ev('session.created', { sessionID: 'ses_child000000000000000000', info: { id: 'ses_child000000000000000000', parentID: SID } });
      await ev('session.status', { sessionID: 'ses_child000000000000000000', status: { type: 'busy' } });
      await ev('session.idle', { sessionID: 'ses_child000000000000000000' });
      await ev('session.status', { sessionID: SID, status: { type: 'busy' } });
      await ev('session.status', { sessionID: SID, status: { type: 'busy' } });
      await ev('message.updated', { sessionID: SID, info: { id: 'msg_1', role: 'assistant', sessionID: SID } });
      await ev('message.part.updated', { sessionID: SID, part: { type: 'text', messageID: 'msg_1', sessionID: SID, text: 'All done.' } });
      await ev('message.part.delta', { sessionID: SID });
      await hooks.event!({ event: null });
      await hooks.event!(undefined);
      await expect(hooks['tool.execute.before']!({ tool: 'write', sessionID: SID, callID: 'c1' }, { args: { filePath: 'ok.ts', content: 'x' } })).resolves.toBeUndefined();
      await expect(hooks['tool.execute.before']!({ tool: 'edit', sessionID: SID, callID: 'c2' }, { args: { filePath: 'forbidden.txt' } })).rejects.toThrow('treemux: forbidden.txt may not be changed');
      await expect(hooks['tool.execute.before']!({ tool: 'bash', sessionID: SID }, { args: { command: 'touch forbidden.txt' } })).resolves.toBeUndefined();
      // a subagent's write is guarded all the same, and its question forwarded
      await expect(hooks['tool.execute.before']!({ tool: 'write', sessionID: 'ses_child000000000000000000' }, { args: { filePath: 'forbidden.txt' } })).rejects.toThrow('treemux: forbidden.txt');
      await ev('permission.asked', { id: 'per_0', sessionID: 'ses_child000000000000000000', permission: 'edit', patterns: ['a.ts'] });
      await ev('permission.asked', { id: 'per_1', sessionID: SID, permission: 'bash', patterns: ['touch x'], metadata: { big: 'x'.repeat(10_000) } });
      await ev('session.idle', { sessionID: SID });
      // the events are sent one after another: wait for the last
      const end = Date.now() + 15_000;
      const sent = () => readFileSync(got, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; properties?: Record<string, unknown>; lastText?: string; args?: unknown });
      while (Date.now() < end && !sent().some((e) => e.type === 'session.idle')) await new Promise((r) => setTimeout(r, 50));
      const all = sent();
      expect(all.map((e) => e.type)).toEqual(['session.created', 'session.status', 'tool.execute.before', 'tool.execute.before', 'tool.execute.before', 'permission.asked', 'permission.asked', 'session.idle']);
      expect(all[5]!.properties).toEqual({ sessionID: 'ses_child000000000000000000', permission: 'edit', patterns: ['a.ts'] });
      expect(all[6]!.properties).toEqual({ sessionID: SID, permission: 'bash', patterns: ['touch x'] });
      expect(all[7]).toEqual({ type: 'session.idle', properties: { sessionID: SID }, lastText: 'All done.' });
      expect(all[2]).toMatchObject({ tool: 'write', directory: dir, args: { filePath: 'ok.ts' } });
    } finally {
      if (saved === undefined) delete process.env.TREEMUX_AGENT;
      else process.env.TREEMUX_AGENT = saved;
    }
  }, 30_000);

  it('never breaks the client when treemux cannot be run', async () => {
    const dir = fresh();
    const file = join(dir, 'plugin.mjs');
    writeFileSync(file, pluginSource([join(dir, 'no-such-program')]));
    const mod = (await import(`${pathToFileURL(file).href}?${Date.now()}`)) as { TreemuxPlugin: (ctx: unknown) => Promise<Record<string, (...a: unknown[]) => Promise<void>>> };
    const saved = process.env.TREEMUX_AGENT;
    process.env.TREEMUX_AGENT = 'auth';
    try {
      const hooks = await mod.TreemuxPlugin({});
      await expect(hooks.event!({ event: { type: 'session.idle', properties: { sessionID: SID } } })).resolves.toBeUndefined();
      await expect(hooks['tool.execute.before']!({ tool: 'write', sessionID: SID }, { args: { filePath: 'forbidden.txt' } })).resolves.toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.TREEMUX_AGENT;
      else process.env.TREEMUX_AGENT = saved;
    }
  });
});

describe('the rest of the kind', () => {
  it('adds CLAUDE.local.md to the inline config, keeping the user\'s', () => {
    expect(configContent(undefined)).toBe('{"instructions":["CLAUDE.local.md"]}');
    expect(configContent('')).toBe('{"instructions":["CLAUDE.local.md"]}');
    expect(JSON.parse(configContent('{"model":"a/b","instructions":["docs/x.md"]}')!)).toEqual({ model: 'a/b', instructions: ['docs/x.md', 'CLAUDE.local.md'] });
    expect(configContent(configContent(undefined))).toBe(configContent(undefined));
    expect(configContent('{broken')).toBeUndefined();
    expect(configContent('[1]')).toBeUndefined();
    expect(configContent('{"instructions":"one.md"}')).toBeUndefined();
  });
  it('sets the scope rules and the instructions in the window', () => {
    const saved = process.env.OPENCODE_CONFIG_CONTENT;
    delete process.env.OPENCODE_CONFIG_CONTENT;
    try {
      const env = opencode.windowEnv({ scope: ['src/auth/**'], avoid: [], scopeMode: 'deny' } as unknown as Parameters<typeof opencode.windowEnv>[0]);
      expect(env).toEqual({ TREEMUX_SCOPE: '{"scope":["src/auth/**"],"avoid":[],"mode":"deny"}', OPENCODE_CONFIG_CONTENT: '{"instructions":["CLAUDE.local.md"]}' });
    } finally {
      if (saved !== undefined) process.env.OPENCODE_CONFIG_CONTENT = saved;
    }
  });
  it('resumes the recorded session: the run\'s first when headless', () => {
    const other = 'ses_1111111111111111111111111A';
    expect(opencode.interactiveSession({ claudeSession: SID })).toBe(SID);
    expect(opencode.interactiveSession({ claudeSession: '0b6c6d2e-3f7a-4d1e-9a8b-1c2d3e4f5a6b' })).toBeUndefined();
    expect(opencode.headlessSession({ claudeSession: SID, run: { sessionId: other } })).toBe(other);
    expect(opencode.headlessSession({ claudeSession: SID, run: { sessionId: 'bad' } })).toBe(SID);
    expect(opencode.headlessSession(undefined)).toBeUndefined();
    expect(opencode.lastLineFromTranscript).toBe(false);
    expect(opencode.startWarning({ repo: { root: '/' } }, [])).toBeNull();
  });
});
