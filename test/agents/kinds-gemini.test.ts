// The Gemini CLI kind (src/agents/kinds/gemini), pure parts, on what the real client 0.61.0 showed and
// sent (recorded by test/clients/gemini/client.test.ts: test/fixtures/screens/gemini-*.txt,
// test/fixtures/events/gemini-*.jsonl).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  approvalMode,
  denyOutput,
  emptyFacts,
  eventOf,
  gemini,
  GEMINI_CHROME,
  geminiScreenStatus,
  geminiStatus,
  headlessArgs,
  installHooks,
  lastTranscriptLine,
  leavesReadOnly,
  mergeContextFiles,
  mergeHooks,
  readEvent,
  scopeDecision,
  type GeminiFacts,
} from '../../src/agents/kinds/gemini/index.js';
import { headlessReadOnlyWarning } from '../../src/agents/kinds/gemini/settings.js';
import { lastLineOf, summaryLine } from '../../src/agents/kinds/facts.js';
import { lastMeaningfulLine } from '../../src/agents/status/status.js';
import type { HookEvent } from '../../src/agents/status/rules.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const screen = (name: string) => readFileSync(join(FIXTURES, 'screens', `gemini-${name}.txt`), 'utf8');
const jsonl = (name: string) =>
  readFileSync(join(FIXTURES, 'events', `gemini-${name}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean);
const hooks = () => jsonl('hooks').map((l) => JSON.parse(l) as Record<string, unknown>);
const CMD = "'/usr/bin/node' '/x/bin/treemux.js' hook --kind gemini # treemux-hook";
const SID = '240efbe5-33e7-4967-8894-815898f3050e';

function readAll(lines: readonly string[]): { facts: GeminiFacts; shown: string[]; changes: number } {
  let facts = emptyFacts();
  const shown: string[] = [];
  let changes = 0;
  for (const line of lines) {
    const r = readEvent(facts, line);
    facts = r.facts;
    shown.push(...r.shown);
    if (r.changed) changes += 1;
  }
  return { facts, shown, changes };
}

describe('the command line', () => {
  it('glues the task to --prompt-interactive=, whatever it starts with', () => {
    expect(gemini.operand('Fix the login bug')).toEqual(['--prompt-interactive=Fix the login bug']);
    expect(gemini.operand('--yolo')).toEqual(['--prompt-interactive=--yolo']);
    expect(gemini.operand('-x\nsecond line')).toEqual(['--prompt-interactive=-x\nsecond line']);
  });
  it('runs headless with stream-json and the prompt glued to --prompt=; resumes only a UUID', () => {
    expect(gemini.headlessArgv('gemini', ['--approval-mode', 'yolo'], 'do it', undefined)).toEqual(['gemini', '--approval-mode', 'yolo', '--output-format', 'stream-json', '--prompt=do it']);
    expect(gemini.headlessArgv('gemini', [], '-p', SID)).toEqual(['gemini', '--output-format', 'stream-json', '--resume', SID, '--prompt=-p']);
    expect(gemini.headlessArgv('gemini', [], '  ', 'latest')).toEqual(['gemini', '--output-format', 'stream-json']);
    expect(gemini.resumeArgs(SID)).toEqual(['--resume', SID]);
    expect(gemini.resumeArgs('latest')).toBeUndefined();
    expect(gemini.resumeArgs('--yolo')).toBeUndefined();
  });
  it('drops a prompt or another output format from the layout\'s args', () => {
    expect(headlessArgs(['-o', 'text', '-m', 'gemini-2.5-flash', '--prompt=x', '-i', 'y', '--output-format=json', '-p', 'z', '--yolo'])).toEqual([
      '-m',
      'gemini-2.5-flash',
      '--yolo',
      '--output-format',
      'stream-json',
    ]);
    // an interpreter and its script (node gemini.js) keep their place
    expect(headlessArgs(['/opt/gemini/bundle/gemini.js'])).toEqual(['/opt/gemini/bundle/gemini.js', '--output-format', 'stream-json']);
  });
  it('knows which approval mode leaves a headless run read-only', () => {
    expect(approvalMode([])).toBe('default');
    expect(approvalMode(['-y'])).toBe('yolo');
    expect(approvalMode(['--approval-mode', 'auto_edit'])).toBe('auto_edit');
    expect(approvalMode(['--approval-mode=plan'])).toBe('plan');
    expect(approvalMode(['--approval-mode=bogus'])).toBe('unknown');
    expect(leavesReadOnly([])).toBe(true);
    expect(leavesReadOnly(['--approval-mode', 'plan'])).toBe(true);
    expect(leavesReadOnly(['--approval-mode', 'auto_edit'])).toBe(false);
    expect(leavesReadOnly(['--yolo'])).toBe(false);
    expect(leavesReadOnly(['--policy', 'p.toml'])).toBe(false);
  });
  it('warns about headless agents left read-only', () => {
    const ctx = { repo: { root: mkdtempSync(join(tmpdir(), 'gemini-warn-')) } };
    try {
      const specs = [
        { name: 'a', kind: 'gemini', mode: 'headless', args: [] },
        { name: 'b', kind: 'gemini', mode: 'headless', args: ['--yolo'] },
        { name: 'c', kind: 'gemini', mode: 'interactive', args: [] },
        { name: 'd', kind: 'claude', mode: 'headless', args: [] },
      ];
      expect(headlessReadOnlyWarning(ctx, specs)).toMatch(/^headless Gemini agent a runs in the default approval mode: it can read files but not edit them/);
      mkdirSync(join(ctx.repo.root, '.gemini'));
      writeFileSync(join(ctx.repo.root, '.gemini', 'settings.json'), '{"general":{"defaultApprovalMode":"auto_edit"}}');
      expect(headlessReadOnlyWarning(ctx, specs)).toBeNull();
    } finally {
      rmSync(ctx.repo.root, { recursive: true, force: true });
    }
  });
  it('trusts the worktree in the window only when its .gemini/ is treemux\'s alone; passes the scope guard\'s rules', async () => {
    const wt = realpathSync(mkdtempSync(join(tmpdir(), 'treemux-gemini-trust-')));
    try {
      const spec = { worktree: wt, scope: ['src/**'], avoid: ['src/secret.ts'], scopeMode: 'deny' } as never;
      const rules = { TREEMUX_SCOPE: JSON.stringify({ scope: ['src/**'], avoid: ['src/secret.ts'], mode: 'deny' }) };
      expect(gemini.windowEnv(spec)).toEqual(rules); // no settings of ours: not trusted
      await gemini.prepare(wt, []);
      expect(gemini.windowEnv(spec)).toEqual({ ...rules, GEMINI_CLI_TRUST_WORKSPACE: 'true' });
      // the repository's own MCP server (or hooks, or anything else in .gemini/) would run with the trust: none
      const file = join(wt, '.gemini', 'settings.json');
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), mcpServers: { x: { command: 'evil' } } }));
      expect(gemini.windowEnv(spec)).toEqual(rules);
      rmSync(file);
      await gemini.prepare(wt, []);
      writeFileSync(join(wt, '.gemini', 'extension.json'), '{}');
      expect(gemini.windowEnv(spec)).toEqual(rules);
    } finally {
      rmSync(wt, { recursive: true, force: true });
    }
  });
});

describe('the stream-json reader, on the recorded run', () => {
  const lines = jsonl('stream');
  it('reads the session, the turns, the tokens, the answer; no cost', () => {
    const { facts, shown } = readAll(lines);
    const init = JSON.parse(lines[0]!) as { session_id: string };
    expect(facts.phase).toBe('done');
    expect(facts.sessionId).toBe(init.session_id);
    expect(facts.model).toBe('gemini-2.5-pro');
    expect(facts.toolCalls).toBe(1);
    expect(facts.result).toMatchObject({ ok: true, subtype: 'success', turns: 2, costUsd: null, runCostUsd: null, errors: [], permissionDenials: [] });
    expect(facts.result!.tokens).toEqual({ input: 220, output: 22, cached: 0, total: 242 });
    expect(facts.result!.text).toBe('The shell said hi.\nDone: all good.');
    expect(lastLineOf(facts)).toBe('Done: all good.');
    expect(facts.lastText).toBe('Done: all good.');
    expect(shown).toEqual([`▶ session ${init.session_id.slice(0, 8)} · model gemini-2.5-pro`, 'Let me look.', '⚙ run_shell_command: echo hi', 'The shell said hi.', 'Done: all good.']);
    expect(summaryLine(facts, { code: 0, signal: null })).toMatch(/^── ✓ done · 2 turns · \d+ ms$/);
  });
  it('shows each answer line once it ends, the rest when the answer ends', () => {
    const steps = lines.map((_, i) => readAll(lines.slice(0, i + 1)).shown);
    const piece = lines.findIndex((l) => l.includes('"The shell said hi.\\nDone:"'));
    expect(steps[piece]!.at(-1)).toBe('The shell said hi.'); // "Done:" waits for the rest of its line
    expect(steps.at(-1)!.at(-1)).toBe('Done: all good.');
  });
  it('says what changed for the status reader: the phase, the session, the result', () => {
    const { changes } = readAll(lines);
    expect(changes).toBe(3); // init (starting + session), the prompt (busy), result (done)
  });
  it('shows a line that is not JSON as it is, and survives shapes it does not know', () => {
    const { facts, shown } = readAll(['YOLO mode is enabled.', '', '[1,2]', '{"type":"message","role":"assistant"}', '{"type":"tool_use"}', '{"type":"novel"}']);
    expect(shown).toEqual(['YOLO mode is enabled.', '⚙ tool']);
    expect(facts.toolCalls).toBe(1);
  });
  it('never takes a session id that is not a UUID', () => {
    const { facts } = readAll(['{"type":"init","session_id":"--yolo","model":"m"}']);
    expect(facts.sessionId).toBeUndefined();
  });
  it('records a refusal by a hook or a policy as a denial', () => {
    const { facts, shown } = readAll([
      '{"type":"init","session_id":"5aabc33d-6751-47fa-b9ef-feff2f1bb0c5","model":"m"}',
      '{"type":"message","role":"user","content":"Write notes"}',
      '{"type":"tool_use","tool_name":"write_file","tool_id":"w1","parameters":{"file_path":"notes.txt","content":"hi"}}',
      '{"type":"tool_result","tool_id":"w1","status":"error","output":"Tool execution blocked: treemux: no","error":{"type":"policy_violation","message":"Tool execution blocked: treemux: no"}}',
      '{"type":"message","role":"assistant","content":"I may not.","delta":true}',
      '{"type":"result","status":"success","stats":{"total_tokens":10,"input_tokens":8,"output_tokens":2,"cached":0,"duration_ms":1500,"tool_calls":1}}',
    ]);
    expect(facts.result).toMatchObject({ ok: true, turns: 2, permissionDenials: [{ tool: 'write_file', detail: 'notes.txt' }], text: 'I may not.' });
    expect(shown).toContain('  ⊘ write_file refused: treemux: no');
    expect(shown).toContain('⊘ refused write_file: notes.txt');
  });
  it('an error result: its type, its message, the error events before it', () => {
    const { facts, shown } = readAll([
      '{"type":"init","session_id":"5aabc33d-6751-47fa-b9ef-feff2f1bb0c5","model":"m"}',
      '{"type":"message","role":"user","content":"go"}',
      '{"type":"error","severity":"warning","message":"Loop detected, stopping execution"}',
      '{"type":"error","severity":"error","message":"Maximum session turns exceeded"}',
      '{"type":"result","status":"error","error":{"type":"FatalTurnLimitedError","message":"Reached max session turns for this session."},"stats":{"total_tokens":5,"duration_ms":42000}}',
    ]);
    expect(facts.result).toMatchObject({ ok: false, subtype: 'FatalTurnLimitedError', errors: ['Reached max session turns for this session.', 'Maximum session turns exceeded'], text: '' });
    expect(shown).toEqual(['▶ session 5aabc33d · model m', '⚠ Loop detected, stopping execution', '✗ Maximum session turns exceeded', '✗ FatalTurnLimitedError', '  Reached max session turns for this session.']);
    expect(lastLineOf(facts)).toBe('FatalTurnLimitedError: Reached max session turns for this session.');
    expect(summaryLine(facts, { code: 53, signal: null })).toBe('── ✗ FatalTurnLimitedError · exit 53 · 0 turns · 42.0 s');
  });
  it('starts afresh from RunFacts without its own fields (what a runner may hand back)', () => {
    const { facts } = readEvent({ phase: 'starting', lastText: '', toolCalls: 0 }, '{"type":"message","role":"assistant","content":"hi","delta":true}');
    expect(facts).toMatchObject({ phase: 'busy', turns: 1, answer: 'hi', lastText: 'hi' });
  });
});

describe('hook events, on the recorded payloads', () => {
  it('keeps only checked values', () => {
    const [start, , beforeTool, note] = hooks();
    expect(eventOf(start!, 1)).toEqual({ at: 1, event: 'SessionStart', sessionId: start!.session_id, transcriptPath: start!.transcript_path, message: undefined, tool: undefined });
    expect(eventOf(beforeTool!, 1)).toMatchObject({ event: 'BeforeTool', tool: 'run_shell_command', message: undefined });
    expect(eventOf(note!, 1)).toMatchObject({ event: 'Notification', message: 'Tool Confirm Shell Command requires execution' });
    expect(eventOf({ hook_event_name: 'Stop', session_id: 'x; rm -rf /', transcript_path: 'rel/path.jsonl', tool_name: 'a\u001b[2Jb' }, 1)).toEqual({
      at: 1,
      event: 'unknown',
      sessionId: undefined,
      transcriptPath: undefined,
      message: undefined,
      tool: 'a [2Jb',
    });
  });
  it('the recorded order: a command asked, approved; an edit asked, refused (no event after the Notification); quit', () => {
    expect(hooks().map((h) => h.hook_event_name)).toEqual(['SessionStart', 'BeforeAgent', 'BeforeTool', 'Notification', 'AfterTool', 'AfterAgent', 'BeforeAgent', 'BeforeTool', 'Notification', 'SessionEnd']);
  });
  it('status from each event, with and without the screen', () => {
    const ev = (h: Record<string, unknown>): HookEvent => eventOf(h, 1);
    const [start, beforeAgent, beforeTool, note, afterTool, afterAgent] = hooks().map(ev);
    const idle = screen('idle');
    const busy = screen('busy');
    const waiting = screen('waiting');
    expect(geminiStatus({ hook: start!, screen: undefined, recent: false })).toBe('idle');
    expect(geminiStatus({ hook: beforeAgent!, screen: undefined, recent: false })).toBe('busy');
    expect(geminiStatus({ hook: beforeAgent!, screen: busy, recent: false })).toBe('busy');
    expect(geminiStatus({ hook: beforeTool!, screen: waiting, recent: false })).toBe('waiting');
    expect(geminiStatus({ hook: note!, screen: undefined, recent: false })).toBe('waiting');
    expect(geminiStatus({ hook: note!, screen: waiting, recent: false })).toBe('waiting');
    // a refusal fires nothing: the Notification stays the last event, the screen says idle
    expect(geminiStatus({ hook: note!, screen: idle, recent: false })).toBe('idle');
    expect(geminiStatus({ hook: note!, screen: idle, recent: true })).toBe('busy');
    expect(geminiStatus({ hook: afterTool!, screen: busy, recent: true })).toBe('busy');
    // a busy event followed by nothing (an event lost): a quiet screen without the spinner is idle
    expect(geminiStatus({ hook: afterTool!, screen: idle, recent: false })).toBe('idle');
    expect(geminiStatus({ hook: afterAgent!, screen: undefined, recent: true })).toBe('idle');
    expect(geminiStatus({ hook: { at: 1, event: 'unknown' }, screen: undefined, recent: false })).toBeUndefined();
  });
});

describe('the screen, on the recorded screens', () => {
  it('tells busy, waiting and idle apart', () => {
    expect(geminiScreenStatus(screen('busy'))).toBe('busy');
    expect(geminiScreenStatus(screen('waiting'))).toBe('waiting');
    expect(geminiScreenStatus(screen('idle'))).toBe('idle');
    expect(geminiScreenStatus('$ ls\nREADME.md\n$ ')).toBeUndefined();
  });
  it('the last line is what the agent said, never the footer, hints or warnings', () => {
    expect(lastMeaningfulLine(screen('idle'), GEMINI_CHROME)).toBe('✦ Hello from the fake Gemini API.');
    expect(lastMeaningfulLine(screen('busy'), GEMINI_CHROME)).toBe('> Say hello');
    expect(lastMeaningfulLine(screen('waiting'), GEMINI_CHROME)).toBe('Allow execution of [Shell]?');
  });
  it('the other questions it asks: an edit, an untrusted folder', () => {
    const box = (lines: string[]) => lines.map((l) => `│ ${l.padEnd(60)} │`).join('\n');
    expect(geminiScreenStatus(box(['? WriteFile  Writing to notes.txt', 'Apply this change?', '', '● 1. Allow once', '  2. Allow for this session']))).toBe('waiting');
    expect(geminiScreenStatus(box(['Do you trust the files in this folder?', '● 1. Trust folder (app)', '  2. Trust parent folder (tmp)', "  3. Don't trust"]))).toBe('waiting');
  });
});

describe('the transcript', () => {
  it('gives the model\'s last text exactly, else its last call', () => {
    const tail = [
      '{"sessionId":"s","kind":"main"}',
      '{"id":"1","type":"user","content":[{"text":"Say hello"}]}',
      '{"id":"2","type":"gemini","content":"Hello from the fake Gemini API, in a long enough answer to split.","tokens":{}}',
      '{"$set":{"lastUpdated":"x"}}',
      '{"id":"3","type":"user","content":[{"text":"Write notes"}]}',
      '{"id":"4","type":"gemini","content":"","toolCalls":[{"name":"write_file","args":{"file_path":"notes.txt","content":"hi"}}]}',
      '{"id":"5","type":"info","content":"Request cancelled."}',
      '{"$set":{"lastUpd',
    ].join('\n');
    expect(lastTranscriptLine(tail)).toBe('write_file: notes.txt');
    expect(lastTranscriptLine(tail.split('\n').slice(0, 4).join('\n'))).toBe('Hello from the fake Gemini API, in a long enough answer to split.');
    expect(lastTranscriptLine('{"$set":{"messages":[{"type":"gemini","content":[{"text":"a\\nb"}]},{"type":"user","content":"q"}]}}')).toBe('b');
    expect(lastTranscriptLine('not json')).toBe('');
  });
});

describe('hooks in the worktree\'s .gemini/settings.json', () => {
  it('adds a named command hook with a timeout for each event to an empty file', () => {
    const s = JSON.parse(mergeHooks(null, CMD));
    expect(Object.keys(s.hooks).sort()).toEqual(['AfterAgent', 'AfterTool', 'BeforeAgent', 'BeforeTool', 'Notification', 'SessionEnd', 'SessionStart']);
    expect(s.hooks.AfterAgent).toEqual([{ hooks: [{ type: 'command', name: 'treemux', command: CMD, timeout: 10000 }] }]);
    expect(s.hooks.BeforeTool[0].matcher).toBe('');
  });
  it('keeps the user\'s settings and hooks, and is idempotent', () => {
    const user = { general: { defaultApprovalMode: 'auto_edit' }, hooks: { AfterAgent: [{ hooks: [{ type: 'command', command: 'say done' }] }], BeforeModel: [{ hooks: [{ type: 'command', command: 'x' }] }] } };
    const once = mergeHooks(JSON.stringify(user), CMD);
    expect(mergeHooks(once, CMD)).toBe(once);
    const s = JSON.parse(once);
    expect(s.general).toEqual(user.general);
    expect(s.hooks.BeforeModel).toEqual(user.hooks.BeforeModel);
    expect(s.hooks.AfterAgent).toHaveLength(2);
    expect(s.hooks.AfterAgent[0].hooks[0].command).toBe('say done');
  });
  it('replaces an older treemux hook (a moved install), keeping others in the same entry', () => {
    const old = JSON.parse(mergeHooks(null, "'/old/node' '/old/treemux.js' hook --kind gemini # treemux-hook"));
    old.hooks.SessionEnd[0].hooks.push({ type: 'command', command: 'mine' });
    const s = JSON.parse(mergeHooks(JSON.stringify(old), CMD));
    expect(s.hooks.SessionEnd).toEqual([{ hooks: [{ type: 'command', command: 'mine' }] }, { hooks: [{ type: 'command', name: 'treemux', command: CMD, timeout: 10000 }] }]);
    expect(s.hooks.AfterAgent).toEqual([{ hooks: [{ type: 'command', name: 'treemux', command: CMD, timeout: 10000 }] }]);
  });
  it('refuses to clobber what it cannot read as settings', () => {
    expect(() => mergeHooks('{ nope', CMD)).toThrow();
    expect(() => mergeHooks('[]', CMD)).toThrow('not a JSON object');
    expect(() => mergeHooks('{"hooks":[]}', CMD)).toThrow('"hooks" is not an object');
    expect(() => mergeHooks('{"hooks":{"AfterAgent":{}}}', CMD)).toThrow('"hooks.AfterAgent" is not a list');
  });

  it('names treemux\'s instructions file beside the context files already read', () => {
    expect(JSON.parse(mergeContextFiles(null, ['CLAUDE.local.md'])).context).toEqual({ fileName: ['GEMINI.md', 'CLAUDE.local.md'] });
    expect(JSON.parse(mergeContextFiles(null, ['CLAUDE.local.md'], 'AGENTS.md')).context).toEqual({ fileName: ['AGENTS.md', 'CLAUDE.local.md'] });
    const workspace = JSON.stringify({ context: { fileName: ['CONTEXT.md', 'CLAUDE.local.md'], importFormat: 'tree' }, ui: {} });
    const once = mergeContextFiles(workspace, ['CLAUDE.local.md'], ['AGENTS.md']);
    expect(JSON.parse(once)).toEqual({ context: { fileName: ['CONTEXT.md', 'CLAUDE.local.md'], importFormat: 'tree' }, ui: {} });
    expect(mergeContextFiles(once, ['CLAUDE.local.md'])).toBe(once);
    expect(() => mergeContextFiles('{"context":[]}', ['x'])).toThrow('"context" is not an object');
  });

  describe('installHooks', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });
    const repo = () => {
      dir = realpathSync(mkdtempSync(join(tmpdir(), 'gemini-hooks-')));
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
      git('init', '-q');
      return { dir, git };
    };
    it('writes the file, merged, in a worktree that does not track it', async () => {
      const { dir } = repo();
      mkdirSync(join(dir, '.gemini'));
      writeFileSync(join(dir, '.gemini', 'settings.json'), '{"ui":{"theme":"GitHub"}}');
      expect(await installHooks(dir, ['CLAUDE.local.md'])).toBe(true);
      const s = JSON.parse(readFileSync(join(dir, '.gemini', 'settings.json'), 'utf8'));
      expect(s.ui).toEqual({ theme: 'GitHub' });
      expect(s.context.fileName).toContain('CLAUDE.local.md');
      expect(s.hooks.AfterAgent[0].hooks[0].command).toMatch(/ hook --kind gemini # treemux-hook$/);
    });
    it('leaves a tracked settings file alone', async () => {
      const { dir, git } = repo();
      mkdirSync(join(dir, '.gemini'));
      writeFileSync(join(dir, '.gemini', 'settings.json'), '{"ui":{}}');
      git('add', '.gemini/settings.json');
      expect(await installHooks(dir)).toBe(false);
      expect(readFileSync(join(dir, '.gemini', 'settings.json'), 'utf8')).toBe('{"ui":{}}');
    });
    it('refuses a link at the file or at .gemini', async () => {
      const { dir } = repo();
      const outside = join(dir, '..', `${dir.split('/').pop()}-target.json`);
      writeFileSync(outside, '{}');
      try {
        mkdirSync(join(dir, '.gemini'));
        symlinkSync(outside, join(dir, '.gemini', 'settings.json'));
        await expect(installHooks(dir)).rejects.toThrow(/symbolic link/);
        rmSync(join(dir, '.gemini'), { recursive: true });
        symlinkSync(dirname(outside), join(dir, '.gemini'));
        await expect(installHooks(dir)).rejects.toThrow(/symbolic link|not a folder/);
        expect(readFileSync(outside, 'utf8')).toBe('{}');
      } finally {
        rmSync(outside, { force: true });
      }
    });
  });
});

describe('the scope guard', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  it('denies a write_file or replace outside the scope, in Gemini CLI\'s decision format', () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'gemini-scope-')));
    const worktree = join(dir, 'app-auth');
    const stateDir = join(dir, 'app', '.git', 'treemux');
    mkdirSync(join(worktree, 'src'), { recursive: true });
    mkdirSync(stateDir, { recursive: true });
    const env = { agent: 'auth', worktree, stateDir, scope: JSON.stringify({ scope: ['src/**'], avoid: [], mode: 'deny' }) };
    const call = (tool: string, file: string) => ({ hook_event_name: 'BeforeTool', cwd: worktree, tool_name: tool, tool_input: { file_path: file, content: 'x' } });
    expect(scopeDecision(call('write_file', 'src/a.ts'), env)).toBeNull();
    const denied = scopeDecision(call('replace', 'README.md'), env);
    expect(denied).toMatchObject({ deny: true });
    expect(denied!.reason).toMatch(/^treemux: .*README\.md may not be changed: /);
    expect(JSON.parse(denyOutput(denied!.reason))).toEqual({ decision: 'deny', reason: denied!.reason });
    expect(scopeDecision(call('read_file', 'README.md'), env)).toBeNull();
    expect(scopeDecision({ ...call('write_file', 'README.md'), hook_event_name: 'AfterTool' }, env)).toBeNull();
    expect(scopeDecision(call('write_file', 'README.md'), { ...env, scope: JSON.stringify({ scope: ['src/**'], mode: 'warn' }) })).toMatchObject({ deny: false });
    expect(scopeDecision(call('write_file', 'README.md'), { ...env, scope: '{not json' })).toBeNull();
    expect(existsSync(join(worktree, 'README.md'))).toBe(false);
  });
});
