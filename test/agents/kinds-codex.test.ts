// The Codex kind (src/agents/kinds/codex), pure, on what the real client (0.171.0) showed and sent:
// test/fixtures/screens/codex-*.txt and test/fixtures/events/codex-*, recorded by
// test/clients/codex/client.test.ts (TREEMUX_CLIENT_TESTS=1 TREEMUX_RECORD_FIXTURES=1).
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { headlessArgv, isThreadId, leavesApprovalsRefused, operand, resumeArgs, splitExecArgs } from '../../src/agents/kinds/codex/args.js';
import { contextOutput, eventOf, handleHook, patchTargets, scopeDecision } from '../../src/agents/kinds/codex/hook.js';
import { HOOK_EVENTS, hookConfigArgs, hookTrustHash, hookTrustKey } from '../../src/agents/kinds/codex/hooks.js';
import { codex, hookCommand, launchArgs } from '../../src/agents/kinds/codex/index.js';
import { CODEX_BUSY_SCREEN, CODEX_CHROME, CODEX_IDLE_SCREEN, CODEX_SPLASH_SCREEN, CODEX_WAITING_SCREEN, codexScreenState, codexStatus } from '../../src/agents/kinds/codex/status.js';
import { emptyFacts, readEvent, summaryLine, unwrapShell, type CodexFacts, type CodexResult } from '../../src/agents/kinds/codex/stream.js';
import { lastRolloutLine } from '../../src/agents/kinds/codex/transcript.js';
import { showsQuestion } from '../../src/agents/status/rules.js';
import { lastMeaningfulLine } from '../../src/agents/status/status.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const screen = (name: string) => readFileSync(join(FIXTURES, 'screens', `codex-${name}.txt`), 'utf8');
const eventLines = (name: string) => readFileSync(join(FIXTURES, 'events', name), 'utf8').split('\n').filter(Boolean);
/** The thread of the recorded exec run. */
const THREAD = (JSON.parse(eventLines('codex-exec.jsonl')[0]!) as { thread_id: string }).thread_id;

function readAll(lines: readonly string[]): { facts: CodexFacts; shown: string[]; changes: number } {
  let facts: CodexFacts = emptyFacts();
  const shown: string[] = [];
  let changes = 0;
  for (const line of lines) {
    const r = readEvent(facts, line);
    facts = r.facts;
    shown.push(...r.shown);
    if (r.changed) changes++;
  }
  return { facts, shown, changes };
}

describe('the command line', () => {
  it('gives the task after --, whatever it starts with (--yolo is an option of its parser)', () => {
    expect(operand('Say hello')).toEqual(['--', 'Say hello']);
    expect(operand('--yolo')).toEqual(['--', '--yolo']);
    expect(codex.operand('-h')).toEqual(['--', '-h']);
  });

  it('resumes a thread by its id with the resume subcommand, and nothing that is not a thread id', () => {
    expect(resumeArgs(THREAD)).toEqual(['resume', THREAD]);
    expect(resumeArgs('--last')).toBeUndefined();
    expect(resumeArgs(undefined)).toBeUndefined();
    expect(isThreadId('01A23ABA-A342-75B2-A85A-225FEF312779')).toBe(true);
    expect(isThreadId('rollout-2026')).toBe(false);
  });

  it('runs headless as exec --json, the layout\'s exec-only options after exec and TUI-only ones dropped', () => {
    expect(headlessArgv('codex', [], 'Fix it', undefined)).toEqual(['codex', 'exec', '--json', '--', 'Fix it']);
    expect(headlessArgv('codex', ['-m', 'gpt-x', '--skip-git-repo-check', '--no-daemon', '--color', 'never', '-c', 'a=1', '--json'], '--yolo', THREAD, ['-c', 'hooks.Stop=[]'])).toEqual([
      'codex', '-c', 'hooks.Stop=[]', '-m', 'gpt-x', '-c', 'a=1', 'exec', '--skip-git-repo-check', '--color', 'never', '--json', 'resume', THREAD, '--', '--yolo',
    ]);
    expect(headlessArgv('codex', [], '  ', undefined)).toEqual(['codex', 'exec', '--json']);
    expect(headlessArgv('codex', [], 'go', 'not-an-id')).toEqual(['codex', 'exec', '--json', '--', 'go']);
    expect(splitExecArgs(['--output-schema=s.json', '--ephemeral', '-s', 'read-only'])).toEqual({ before: ['-s', 'read-only'], after: ['--output-schema=s.json', '--ephemeral'] });
  });

  it('registers its hooks before the layout\'s args, headless and interactive (the TUI without the daemon)', () => {
    const argv = codex.headlessArgv('codex', ['-m', 'gpt-x'], 'go', undefined);
    const exec = argv.indexOf('exec');
    expect(argv.slice(0, exec).filter((a) => a.startsWith('hooks.')).length).toBe(HOOK_EVENTS.length + 1);
    expect(argv.slice(exec - 2, exec)).toEqual(['-m', 'gpt-x']);
    expect(argv.slice(exec)).toEqual(['exec', '--json', '--', 'go']);
    const interactive = codex.interactiveArgv('codex', ['-m', 'gpt-x'], '--yolo', undefined, ['/usr/bin/node', '/t/treemux.js', 'hook', '--kind', 'codex']);
    expect(interactive[1]).toBe('--no-daemon');
    expect(interactive.filter((a) => a.startsWith('hooks.'))).toHaveLength(HOOK_EVENTS.length + 1);
    expect(interactive.slice(-4)).toEqual(['-m', 'gpt-x', '--', '--yolo']);
    // a recorded thread: resumed, the task not given again
    const id = '019a0000-0000-7000-8000-000000000000';
    if (codex.isSessionId(id)) expect(codex.interactiveArgv('codex', [], 't', id, ['x']).slice(-2)).toEqual(['resume', id]);
    const tui = launchArgs('interactive', 'x');
    expect(tui[0]).toBe('--no-daemon');
    expect(launchArgs('headless', 'x')).not.toContain('--no-daemon');
    expect(tui.slice(1, 3)).toEqual(['-c', 'disable_paste_burst=true']);
    expect(hookCommand(['/usr/bin/node', '/opt/tree mux/bin/treemux.js'])).toBe("'/usr/bin/node' '/opt/tree mux/bin/treemux.js' 'hook' '--kind' 'codex'");
  });

  it('warns about headless agents whose exec refuses what needs approval', () => {
    expect(leavesApprovalsRefused([])).toBe(true);
    expect(leavesApprovalsRefused(['--sandbox', 'danger-full-access'])).toBe(false);
    expect(leavesApprovalsRefused(['--yolo'])).toBe(false);
    const spec = (name: string, mode: string, args: string[] = []) => ({ name, kind: 'codex', mode, args }) as never;
    expect(codex.startWarning({ repo: { root: '/r' } }, [spec('a', 'headless'), spec('b', 'interactive'), spec('c', 'headless', ['--yolo'])])).toMatch(/^headless Codex agent a runs `codex exec`/);
    expect(codex.startWarning({ repo: { root: '/r' } }, [spec('b', 'interactive')])).toBeNull();
  });
});

describe('its hooks as -c overrides', () => {
  it('trusts each hook by the hash Codex computes (checked against the real client in test/clients/codex, e)', () => {
    // the canonical JSON of {event_name, hooks: [{type, command, timeout, async}]}, sha256
    expect(hookTrustHash('stop', '/tmp/cxp1/bin/hook.sh', 600)).toBe('sha256:88b2dfc2a32c220dc35f2aa630d7b22e72712522e67f6a500d4944d05d861c4e');
    expect(hookTrustHash('stop', 'x', 10)).not.toBe(hookTrustHash('stop', 'x', 11));
    expect(hookTrustKey('pre_tool_use')).toBe('/<session-flags>/config.toml:pre_tool_use:0:0');
  });

  it('gives every event with an explicit timeout (SessionEnd and Interrupt within their 3 s limit) and one trust table', () => {
    const args = hookConfigArgs('/bin/true');
    expect(args.filter((a) => a === '-c')).toHaveLength(HOOK_EVENTS.length + 1);
    expect(args[1]).toBe('hooks.SessionStart=[{hooks=[{type="command",command="/bin/true",timeout=10}]}]');
    const state = args.at(-1)!;
    for (const e of HOOK_EVENTS) {
      expect(state).toContain(`"${hookTrustKey(e.label)}"={trusted_hash="${hookTrustHash(e.label, '/bin/true', e.timeout)}"}`);
      if (e.name === 'Interrupt' || e.name === 'SessionEnd') expect(e.timeout).toBeLessThanOrEqual(3);
    }
    // a command with quotes stays one TOML string
    expect(hookConfigArgs(`'/a b/node' "x"`, HOOK_EVENTS.slice(0, 1))[1]).toBe(`hooks.SessionStart=[{hooks=[{type="command",command="'/a b/node' \\"x\\"",timeout=10}]}]`);
  });
});

describe('exec --json read into the run\'s facts', () => {
  it('reads a run to its end: the thread, the messages and commands shown, the result, the tokens, no cost', () => {
    const { facts, shown } = readAll(eventLines('codex-exec.jsonl'));
    expect(facts.sessionId).toBe(THREAD);
    expect(facts.phase).toBe('done');
    expect(facts.toolCalls).toBe(1);
    expect(facts.lastText).toBe('It says made.');
    const result = facts.result as CodexResult;
    expect(result).toMatchObject({ ok: true, subtype: 'success', text: 'Made made.txt.\nIt says made.', turns: 1, costUsd: null, runCostUsd: null, durationMs: null, errors: [], permissionDenials: [] });
    expect(result.tokens).toEqual({ input: 2500, cachedInput: 300, output: 50, reasoningOutput: 0 });
    expect(shown).toEqual([`▶ thread ${THREAD.slice(0, 8)}`, 'I will make made.txt.', '⚙ $ echo made > made.txt; echo done', 'Made made.txt.', 'It says made.']);
    expect(codex.events!.lastLine(facts)).toBe('It says made.');
    expect(summaryLine(facts, { code: 0, signal: null })).toBe('── ✓ done · 1 turn · 2,500 in · 50 out tokens');
  });

  it('says when the status changes: the thread known, work begun, the result', () => {
    const lines = eventLines('codex-exec.jsonl');
    const changed = lines.map((l, i) => readEvent(readAll(lines.slice(0, i)).facts, l).changed);
    // thread.started, turn.started, turn.completed
    expect(changed).toEqual([true, true, false, false, false, false, true]);
  });

  it('reads a failed run as an error with its message', () => {
    const { facts, shown } = readAll(eventLines('codex-exec-failed.jsonl'));
    expect(facts.result).toMatchObject({ ok: false, subtype: 'error', text: '', turns: 1, errors: ['We’re currently experiencing high demand, which may cause temporary errors.'] });
    expect(shown.at(-1)).toBe('✗ turn failed: We’re currently experiencing high demand, which may cause temporary errors.');
    expect(codex.events!.lastLine(facts)).toBe('error: We’re currently experiencing high demand, which may cause temporary errors.');
    expect(summaryLine(facts, { code: 1, signal: null })).toBe('── ✗ error · exit 1 · 1 turn');
    expect(summaryLine(emptyFacts(), { code: null, signal: 'SIGTERM' })).toBe('── ✗ ended without a result (signal SIGTERM)');
  });

  it('reads a resumed run: the same thread, the thread\'s token totals', () => {
    const { facts } = readAll(eventLines('codex-exec-resume.jsonl'));
    expect(isThreadId(facts.sessionId)).toBe(true);
    expect((facts.result as CodexResult).tokens).toEqual({ input: 3000, cachedInput: 0, output: 30, reasoningOutput: 0 });
  });

  it('shows what is not JSON as it is, and survives shapes it does not know', () => {
    const f = emptyFacts();
    expect(readEvent(f, 'Reading additional input from stdin...')).toEqual({ facts: f, shown: ['Reading additional input from stdin...'], changed: false });
    expect(readEvent(f, '')).toEqual({ facts: f, shown: [], changed: false });
    expect(readEvent(f, '[1,2]').shown).toEqual([]);
    expect(readEvent(f, '{"type":"thread.started","thread_id":"--last"}').facts.sessionId).toBeUndefined();
    expect(readEvent(f, '{"type":"item.completed","item":{"type":"file_change","changes":[{"path":"/w/a.ts","kind":"add"}],"status":"completed"}}').shown).toEqual(['✎ add /w/a.ts']);
    expect(readEvent(f, '{"type":"item.completed","item":{"type":"command_execution","command":"x","exit_code":2,"aggregated_output":"nope\\n"}}').shown).toEqual(['  ✗ exit 2: nope']);
    expect(readEvent(f, '{"type":"item.completed","item":{"type":"error","message":"Model metadata not found"}}').shown).toEqual(['⚠ Model metadata not found']);
    expect(readEvent(f, '{"type":"turn.completed","usage":"lots"}').facts.result).toMatchObject({ ok: true });
    expect(unwrapShell("/bin/bash -lc 'echo '\\''hi'\\'''")).toBe("echo 'hi'");
  });
});

describe('status from its hooks', () => {
  const hooks = eventLines('codex-hooks.jsonl').map((l) => JSON.parse(l) as Record<string, unknown>);

  it('keeps only checked values of an event: the thread id, the transcript, the answer of a Stop', () => {
    const events = hooks.map((h) => eventOf(h, 1));
    expect(events.map((e) => e.event)).toEqual(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'Interrupt']);
    expect(events.every((e) => isThreadId(e.sessionId))).toBe(true);
    expect(events[0]!.transcriptPath).toMatch(/\/sessions\/.*rollout-.*\.jsonl$/);
    expect(events[1]!.message).toBe('Create approved.txt');
    expect(events[2]!.tool).toBe('Bash');
    expect(events[5]!.message).toBe('All done: approved.txt exists.');
    expect(eventOf({ hook_event_name: 'Stop', session_id: 'x', transcript_path: 'rel.jsonl', last_assistant_message: 'a\u001b[31mb' }, 1)).toEqual({ at: 1, event: 'Stop', sessionId: undefined, transcriptPath: undefined, message: 'a [31mb', tool: undefined });
  });

  it('is busy from the session\'s start (it comes with the first turn) to the turn\'s end, waiting on a permission request, idle after Stop or Interrupt', () => {
    const statuses = hooks.map((h) => codexStatus({ hook: eventOf(h), screen: undefined, recent: false }));
    expect(statuses).toEqual(['busy', 'busy', 'busy', 'waiting', 'busy', 'idle', 'busy', 'busy', 'waiting', 'idle']);
  });

  it('reads a permission request against the screen: answered when the question is gone', () => {
    const hook = eventOf({ hook_event_name: 'PermissionRequest' });
    expect(codexStatus({ hook, screen: screen('waiting'), recent: false })).toBe('waiting');
    expect(codexStatus({ hook, screen: screen('busy'), recent: false })).toBe('busy');
    expect(codexStatus({ hook, screen: screen('idle'), recent: false })).toBe('idle');
    expect(codexStatus({ hook, screen: screen('idle'), recent: true })).toBe('busy');
  });

  it('does not stay busy on a working event when the screen shows it is not', () => {
    const hook = eventOf({ hook_event_name: 'PostToolUse' });
    expect(codexStatus({ hook, screen: screen('idle'), recent: false })).toBe('idle');
    expect(codexStatus({ hook, screen: screen('busy'), recent: false })).toBe('busy');
    expect(codexStatus({ hook, screen: screen('idle'), recent: true })).toBe('busy');
    expect(codexStatus({ hook: eventOf({ hook_event_name: 'SomethingNew' }), screen: undefined, recent: false })).toBeUndefined();
    // an API error ends the turn with no hook at all: the last event is the prompt's
    expect(codexStatus({ hook: eventOf({ hook_event_name: 'UserPromptSubmit' }), screen: screen('error'), recent: false })).toBe('idle');
  });
});

describe('its screen', () => {
  it('tells busy, waiting and idle apart on the recorded screens', () => {
    expect(codexScreenState(screen('busy'))).toBe('busy');
    expect(codexScreenState(screen('waiting'))).toBe('waiting');
    expect(codexScreenState(screen('idle'))).toBe('idle');
    expect(codexScreenState(screen('interrupted'))).toBe('idle');
    expect(codexScreenState(screen('error'))).toBe('idle');
    expect(codexScreenState(screen('hooks-review'))).toBeUndefined();
    expect(CODEX_SPLASH_SCREEN.test(screen('splash'))).toBe(true);
    expect(CODEX_BUSY_SCREEN.test(screen('idle'))).toBe(false);
    expect(CODEX_WAITING_SCREEN.test(screen('busy'))).toBe(false);
    expect(CODEX_IDLE_SCREEN.test(screen('busy'))).toBe(true); // the footer is the same busy or idle: busy is tested first
  });

  it('is a question for the generic rule too (status/rules.ts) only when it asks', () => {
    expect(showsQuestion(screen('waiting'))).toBe(true);
    expect(showsQuestion(screen('hooks-review'))).toBe(true);
    for (const name of ['idle', 'busy', 'interrupted', 'error', 'splash']) expect(showsQuestion(screen(name)), name).toBe(false);
  });

  it('never takes its own input line, working line, footer or header for the last line', () => {
    expect(lastMeaningfulLine(screen('idle'), CODEX_CHROME)).toBe('• Hello from the fake API.');
    expect(lastMeaningfulLine(screen('busy'), CODEX_CHROME)).toBe('');
    expect(lastMeaningfulLine(screen('splash'), CODEX_CHROME)).toBe('');
    expect(lastMeaningfulLine(screen('interrupted'), CODEX_CHROME)).toBe('■ Conversation interrupted - use /feedback if something went wrong');
    expect(lastMeaningfulLine(screen('error'), CODEX_CHROME)).toBe('■ We’re currently experiencing high demand, which may cause temporary errors.');
    expect(lastMeaningfulLine(screen('waiting'), CODEX_CHROME)).toBe('3. No, and tell Codex what to do differently (esc)');
  });
});

describe('the last line from its rollout file', () => {
  const line = (payload: unknown, type = 'response_item') => JSON.stringify({ timestamp: 't', ordinal: 1, type, payload });

  it('is the last assistant text, else the last tool call', () => {
    const tail = [
      line({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Create approved.txt' }] }),
      line({ type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: 'touch approved.txt', sandbox_permissions: 'require_escalated' }) }),
      line({ type: 'function_call_output', call_id: 'c', output: 'done' }),
      line({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'All done.\nIt exists.' }] }),
      line({ type: 'task_complete', last_agent_message: 'All done.' }, 'event_msg'),
    ];
    expect(lastRolloutLine(tail.join('\n'))).toBe('It exists.');
    expect(lastRolloutLine(tail.slice(0, 3).join('\n'))).toBe('exec_command: touch approved.txt');
    expect(lastRolloutLine(line({ type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch\n*** Add File: src/a.ts\n+x\n*** End Patch\n' }))).toBe('apply_patch: src/a.ts');
    expect(lastRolloutLine(`{"cut in the midd\n${tail[0]}`)).toBe('');
  });
});

describe('the hook handler', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** A worktree beside a repository's .git with treemux's state folder. */
  function world(): { worktree: string; stateDir: string } {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'codex-kind-')));
    const stateDir = join(dir, 'repo', '.git', 'treemux');
    const worktree = join(dir, 'wt');
    mkdirSync(stateDir, { recursive: true });
    mkdirSync(join(worktree, 'src', 'auth'), { recursive: true });
    return { worktree, stateDir };
  }

  it('finds the files a patch writes', () => {
    expect(patchTargets('*** Begin Patch\n*** Add File: src/a.ts\n+x\n*** Update File: b.ts\n*** Move to: c/b.ts\n@@\n-x\n+y\n*** Delete File: /abs/d.ts\n*** End Patch\n')).toEqual(['src/a.ts', 'b.ts', 'c/b.ts', '/abs/d.ts']);
    expect(patchTargets('echo hi')).toEqual([]);
  });

  it('denies a patch outside the scope (or notes it in warn mode), and leaves shell commands alone', () => {
    const { worktree, stateDir } = world();
    const env = { agent: 'auth', worktree, stateDir, scope: JSON.stringify({ scope: ['src/auth/**'], avoid: [], mode: 'deny' }) };
    const patch = (file: string) => ({ hook_event_name: 'PreToolUse', tool_name: 'apply_patch', cwd: worktree, tool_input: { command: `*** Begin Patch\n*** Add File: ${file}\n+x\n*** End Patch\n` } });
    expect(scopeDecision(patch('src/auth/login.ts'), env)).toBeNull();
    expect(scopeDecision(patch('src/payments/pay.ts'), env)).toEqual({ deny: true, reason: expect.stringContaining("src/payments/pay.ts may not be changed: it is outside this agent's scope (src/auth/**)") });
    expect(scopeDecision(patch('src/payments/pay.ts'), { ...env, scope: JSON.stringify({ scope: ['src/auth/**'], mode: 'warn' }) })).toMatchObject({ deny: false });
    expect(scopeDecision({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'touch src/payments/x' } }, env)).toBeNull();
    // another checkout of the project is never the agent's, scope or not
    expect(scopeDecision(patch(join(dir!, 'repo', 'src', 'x.ts')), { ...env, scope: undefined })).toMatchObject({ deny: true, reason: expect.stringContaining('another checkout') });
  });

  it('records the event, hands the instructions at a fresh start (not on resume), and prints a denial for Codex', async () => {
    const { worktree, stateDir } = world();
    writeFileSync(join(worktree, 'CLAUDE.local.md'), '# Instructions\n\nStay in src/auth.\n');
    const env = { agent: 'auth', worktree, stateDir, scope: JSON.stringify({ scope: ['src/auth/**'] }) };
    const start = await handleHook(JSON.stringify({ hook_event_name: 'SessionStart', source: 'startup', session_id: THREAD }), env);
    expect(start).toBe(contextOutput('# Instructions\n\nStay in src/auth.'));
    expect(await handleHook(JSON.stringify({ hook_event_name: 'SessionStart', source: 'resume', session_id: THREAD }), env)).toBe('');
    const denied = JSON.parse(await handleHook(JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'apply_patch', cwd: worktree, tool_input: { command: '*** Begin Patch\n*** Add File: README.md\n+x\n*** End Patch\n' } }), env)) as {
      hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string };
    };
    expect(denied.hookSpecificOutput).toMatchObject({ hookEventName: 'PreToolUse', permissionDecision: 'deny' });
    expect(await handleHook(JSON.stringify({ hook_event_name: 'Stop', last_assistant_message: 'Done.' }), env)).toBe('');
    const recorded = readFileSync(join(stateDir, 'events', 'auth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; message?: string });
    expect(recorded.map((e) => e.event)).toEqual(['SessionStart', 'SessionStart', 'PreToolUse', 'Stop']);
    expect(recorded[2]!.message).toMatch(/README.md may not be changed/);
    expect(recorded[3]!.message).toBe('Done.');
    // no agent, nothing done
    expect(await handleHook('{"hook_event_name":"Stop"}', { stateDir })).toBe('');
    await expect(handleHook('not json', env)).rejects.toThrow();
  });
});
