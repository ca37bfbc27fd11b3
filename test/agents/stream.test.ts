import { describe, expect, it } from 'vitest';
import { emptyFacts, lastLineOf, readEvent, summaryLine, type RunFacts } from '../../src/agents/kinds/claude/stream.js';

// Lines shaped as Claude Code 2.1's `-p --output-format stream-json --verbose` writes them: every line has
// session_id and uuid; each assistant content block is its own line (same message id); a tool result is a
// `user` line with a tool_result block and a top-level tool_use_result.
const SID = '8c4f2a1e-5b3d-4e7f-9a10-2b6c8d0e4f11';
const USAGE = { input_tokens: 4, cache_creation_input_tokens: 4210, cache_read_input_tokens: 13870, output_tokens: 1, service_tier: 'standard' };
const line = (o: Record<string, unknown>) => JSON.stringify({ ...o, session_id: SID, uuid: crypto.randomUUID() });
const init = (over: Record<string, unknown> = {}) =>
  line({
    type: 'system',
    subtype: 'init',
    cwd: '/work/app-auth',
    tools: ['Task', 'Bash', 'Glob', 'Grep', 'Read', 'Edit', 'Write'],
    mcp_servers: [],
    model: 'claude-sonnet-4-5-20250929',
    permissionMode: 'default',
    slash_commands: ['compact', 'cost', 'review'],
    apiKeySource: 'none',
    claude_code_version: '2.1.222',
    output_style: 'default',
    agents: ['general-purpose', 'Explore', 'Plan'],
    skills: [],
    plugins: [],
    ...over,
  });
const assistant = (content: unknown[], over: Record<string, unknown> = {}, id = 'msg_01T7Mt5Fe0KQPdRzBdQ8ukgG') =>
  line({
    type: 'assistant',
    message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content, stop_reason: null, stop_sequence: null, usage: USAGE },
    parent_tool_use_id: null,
    ...over,
  });
const toolResult = (id: string, content: unknown, isError?: boolean, toolUseResult: unknown = {}) =>
  line({
    type: 'user',
    message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content, ...(isError === undefined ? {} : { is_error: isError }) }] },
    parent_tool_use_id: null,
    tool_use_result: toolUseResult,
  });
const result = (over: Record<string, unknown> = {}) =>
  line({
    type: 'result',
    subtype: 'success',
    is_error: false,
    duration_ms: 1500,
    duration_api_ms: 1210,
    num_turns: 2,
    result: 'All 12 tests pass.',
    stop_reason: 'end_turn',
    total_cost_usd: 0.0125,
    usage: { ...USAGE, output_tokens: 254 },
    modelUsage: { 'claude-sonnet-4-5-20250929': { inputTokens: 21, outputTokens: 254, costUSD: 0.0125, contextWindow: 200000 } },
    permission_denials: [],
    terminal_reason: 'completed',
    ...over,
  });

/** Feeds lines in order: the facts after each, everything shown, and which lines changed something. */
function run(lines: string[], from: RunFacts = emptyFacts()) {
  let facts = from;
  const phases: string[] = [];
  const shown: string[] = [];
  const changed: boolean[] = [];
  for (const l of lines) {
    const r = readEvent(facts, l);
    facts = r.facts;
    phases.push(facts.phase);
    shown.push(...r.shown);
    changed.push(r.changed);
  }
  return { facts, phases, shown, changed };
}

const TOOL_ID = 'toolu_01AUT7cHDNhwPNEf4aRq8Zx2';
const WHOLE_RUN = [
  init(),
  assistant([{ type: 'thinking', thinking: 'The user wants the tests run.', signature: 'EqQBCkYIBxgCKkBx…' }]),
  assistant([{ type: 'text', text: "I'll run the test suite first.\n\n" }]),
  assistant([{ type: 'tool_use', id: TOOL_ID, name: 'Bash', input: { command: 'npm test\n# twice', description: 'Run the tests' } }]),
  toolResult(TOOL_ID, '> app@1.0.0 test\n> node tests/run.js\n\nok', undefined, { stdout: 'ok', stderr: '', interrupted: false, isImage: false }),
  assistant([{ type: 'text', text: 'Ran them.\nAll 12 tests pass.' }], {}, 'msg_01L8Mloh87llLQysdYIpyR1V'),
  result(),
];

describe('readEvent', () => {
  it('follows a whole run: phases, facts and what the window shows', () => {
    const r = run(WHOLE_RUN);
    expect(r.phases).toEqual(['starting', 'busy', 'busy', 'busy', 'busy', 'busy', 'done']);
    expect(r.changed).toEqual([true, true, false, false, false, false, true]);
    expect(r.shown).toEqual([
      '▶ session 8c4f2a1e · model claude-sonnet-4-5-20250929 · permission mode default',
      "I'll run the test suite first.",
      '⚙ Bash: npm test',
      'Ran them.',
      'All 12 tests pass.',
      // the result repeats the last text: not shown again
    ]);
    expect(r.facts).toEqual({
      phase: 'done',
      sessionId: SID,
      model: 'claude-sonnet-4-5-20250929',
      permissionMode: 'default',
      lastText: 'All 12 tests pass.',
      toolCalls: 1,
      result: { ok: true, subtype: 'success', text: 'All 12 tests pass.', costUsd: 0.0125, runCostUsd: null, errors: [], turns: 2, durationMs: 1500, permissionDenials: [] },
    });
    expect(lastLineOf(r.facts)).toBe('All 12 tests pass.');
    expect(summaryLine(r.facts, { code: 0, signal: null })).toBe('── ✓ done · 2 turns · 1.5 s · $0.0125');
  });

  it('does not change the facts it is given', () => {
    const start = emptyFacts();
    const copy = structuredClone(start);
    let facts = start;
    for (const l of WHOLE_RUN) {
      const before = structuredClone(facts);
      const next = readEvent(facts, l).facts;
      expect(facts).toEqual(before);
      facts = next;
    }
    expect(start).toEqual(copy);
  });

  it('shows a result that says something new', () => {
    const r = run([init(), assistant([{ type: 'text', text: 'Working on it.' }]), result({ result: 'Done: the login form validates emails.\n' })]);
    expect(r.shown.slice(1)).toEqual(['Working on it.', 'Done: the login form validates emails.']);
    expect(lastLineOf(r.facts)).toBe('Done: the login form validates emails.');
    expect(r.facts.lastText).toBe('Working on it.');
  });

  it('an error result: no result text, the subtype and its errors', () => {
    const r = run([
      init(),
      assistant([{ type: 'tool_use', id: TOOL_ID, name: 'Read', input: { file_path: '/work/app-auth/src/missing.ts' } }]),
      toolResult(TOOL_ID, '<tool_use_error>File does not exist. Note: your current working directory is /work/app-auth.</tool_use_error>', true, 'Error: File does not exist.'),
      line({
        type: 'result',
        subtype: 'error_max_turns',
        is_error: true,
        duration_ms: 40_210,
        duration_api_ms: 38_000,
        num_turns: 3,
        stop_reason: 'tool_use',
        total_cost_usd: 0.04,
        usage: USAGE,
        modelUsage: {},
        permission_denials: [],
        terminal_reason: 'max_turns',
        errors: ['Reached maximum number of turns (3)'],
      }),
    ]);
    expect(r.shown.slice(1)).toEqual([
      '⚙ Read: /work/app-auth/src/missing.ts',
      '  ✗ File does not exist. Note: your current working directory is /work/app-auth.',
      '✗ error_max_turns',
      '  Reached maximum number of turns (3)',
    ]);
    expect(r.facts.result).toEqual({ ok: false, subtype: 'error_max_turns', text: '', costUsd: 0.04, runCostUsd: null, errors: ['Reached maximum number of turns (3)'], turns: 3, durationMs: 40_210, permissionDenials: [] });
    expect(lastLineOf(r.facts)).toBe('error_max_turns: Reached maximum number of turns (3)');
    expect(summaryLine(r.facts, { code: 1, signal: null })).toBe('── ✗ error_max_turns · exit 1 · 3 turns · 40.2 s · $0.04');
  });

  it('error_during_execution with result null, and a tool error given as text blocks', () => {
    const r = run([
      toolResult(TOOL_ID, [{ type: 'text', text: '\nExit code 3\nnpm ERR! test failed' }], true),
      result({ subtype: 'error_during_execution', is_error: true, result: null, errors: ['[ede_diagnostic] result_type=user last_content_type=n/a stop_reason=tool_use'] }),
    ]);
    expect(r.shown).toEqual(['  ✗ Exit code 3', '✗ error_during_execution', '  [ede_diagnostic] result_type=user last_content_type=n/a stop_reason=tool_use']);
    expect(r.facts.result?.text).toBe('');
    expect(r.facts.result?.ok).toBe(false);
  });

  it('an API error comes as subtype success with is_error: the text is shown, the run is not ok', () => {
    const r = run([init(), result({ is_error: true, result: 'API Error: 503 upstream connect error', num_turns: 1, total_cost_usd: 0 })]);
    expect(r.shown.at(-1)).toBe('API Error: 503 upstream connect error');
    expect(r.facts.result?.ok).toBe(false);
    expect(summaryLine(r.facts, { code: 1, signal: null })).toBe('── ✗ error · exit 1 · 1 turn · 1.5 s · $0.00');
  });

  it('permission denials: the refused call, then each denial', () => {
    const refusal = "Claude requested permissions to use Bash, but you haven't granted it yet.";
    const r = run([
      init({ permissionMode: 'acceptEdits' }),
      assistant([{ type: 'tool_use', id: TOOL_ID, name: 'Bash', input: { command: 'git push origin HEAD:main', description: 'Push' } }]),
      line({
        type: 'user',
        message: { role: 'user', content: [{ type: 'tool_result', content: refusal, is_error: true, tool_use_id: TOOL_ID }] },
        parent_tool_use_id: null,
        tool_use_result: `Error: ${refusal}`,
        tool_result_meta: [{ id: TOOL_ID, non_execution_kind: 'user-rejected' }],
      }),
      assistant([{ type: 'text', text: 'I need permission to push. Please run `git push` yourself.' }]),
      result({
        result: 'I need permission to push. Please run `git push` yourself.',
        num_turns: 3,
        permission_denials: [
          { tool_name: 'Bash', tool_use_id: TOOL_ID, tool_input: { command: 'git push origin HEAD:main', description: 'Push' } },
          { tool_name: 'Write', tool_use_id: 'toolu_01Q', tool_input: { file_path: '/etc/hosts', content: 'x' } },
          { tool_name: 'AskUserQuestion', tool_use_id: 'toolu_01R' },
        ],
      }),
    ]);
    expect(r.shown).toEqual([
      '▶ session 8c4f2a1e · model claude-sonnet-4-5-20250929 · permission mode acceptEdits',
      '⚙ Bash: git push origin HEAD:main',
      `  ✗ ${refusal}`,
      'I need permission to push. Please run `git push` yourself.',
      '⊘ denied Bash: git push origin HEAD:main',
      '⊘ denied Write: /etc/hosts',
      '⊘ denied AskUserQuestion',
    ]);
    expect(r.facts.permissionMode).toBe('acceptEdits');
    expect(r.facts.result?.ok).toBe(true);
    expect(r.facts.result?.permissionDenials).toEqual([
      { tool: 'Bash', detail: 'git push origin HEAD:main' },
      { tool: 'Write', detail: '/etc/hosts' },
      { tool: 'AskUserQuestion', detail: '' },
    ]);
  });

  it('picks the telling key of a tool input, one line, at most 120 characters', () => {
    const tool = (name: string, input: unknown) => readEvent(emptyFacts(), assistant([{ type: 'tool_use', id: TOOL_ID, name, input }])).shown;
    expect(tool('Grep', { pattern: 'TODO', path: 'src', output_mode: 'content' })).toEqual(['⚙ Grep: src']);
    expect(tool('Glob', { pattern: '**/*.ts' })).toEqual(['⚙ Glob: **/*.ts']);
    expect(tool('WebFetch', { url: 'https://example.com', prompt: 'Summarise' })).toEqual(['⚙ WebFetch: https://example.com']);
    expect(tool('Task', { description: 'Find the auth code', prompt: 'Look for…', subagent_type: 'Explore' })).toEqual(['⚙ Task: Find the auth code']);
    expect(tool('TodoWrite', { todos: [{ content: 'x', status: 'pending' }] })).toEqual(['⚙ TodoWrite']);
    expect(tool('Bash', { command: 42, description: 'odd' })).toEqual(['⚙ Bash: odd']);
    const long = tool('Bash', { command: `echo ${'x'.repeat(300)}` })[0]!;
    expect(long.startsWith('⚙ Bash: echo xxx')).toBe(true);
    expect(long.length).toBe('⚙ Bash: '.length + 120);
    expect(long.endsWith('…')).toBe(true);
  });

  it('one assistant line can carry several blocks; texts keep their lines; lastText is one line', () => {
    const r = readEvent(emptyFacts(), assistant([
      { type: 'text', text: 'Plan:\n  1. read\n  2. fix   \n' },
      { type: 'redacted_thinking', data: 'abc' },
      { type: 'text', text: '   ' },
      { type: 'tool_use', id: 'toolu_1', name: 'Edit', input: { file_path: 'src/a.ts', old_string: 'a', new_string: 'b' } },
      { type: 'tool_use', id: 'toolu_2', name: 'Edit', input: { file_path: 'src/b.ts', old_string: 'a', new_string: 'b' } },
    ]));
    expect(r.shown).toEqual(['Plan:', '  1. read', '  2. fix', '⚙ Edit: src/a.ts', '⚙ Edit: src/b.ts']);
    expect(r.facts.lastText).toBe('2. fix');
    expect(r.facts.toolCalls).toBe(2);
    const long = readEvent(emptyFacts(), assistant([{ type: 'text', text: 'y'.repeat(500) }])).facts.lastText;
    expect(long.length).toBe(200);
  });

  it("a subagent's output is indented and does not become the last text", () => {
    const sub = { parent_tool_use_id: 'toolu_01TaskTaskTaskTaskTask' };
    const r = run([
      assistant([{ type: 'text', text: 'Let me look around.' }]),
      assistant([{ type: 'tool_use', id: 'toolu_9', name: 'Grep', input: { pattern: 'login' } }], sub),
      line({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'boom', is_error: true }] }, ...sub }),
      assistant([{ type: 'text', text: 'Found it in src/auth.' }], sub),
    ]);
    expect(r.shown).toEqual(['Let me look around.', '  ⚙ Grep: login', '    ✗ boom', '  Found it in src/auth.']);
    expect(r.facts.lastText).toBe('Let me look around.');
    expect(r.facts.toolCalls).toBe(1);
  });

  it('quiet events: replayed prompts, fine tool results, status lines, stream events', () => {
    const quiet = [
      line({ type: 'user', message: { role: 'user', content: 'fix the login form' }, parent_tool_use_id: null, isReplay: true }),
      toolResult(TOOL_ID, 'ok', false),
      toolResult(TOOL_ID, 'ok'),
      line({ type: 'user', message: { role: 'user', content: [{ type: 'text', text: '[Request interrupted by user]' }] } }),
      line({ type: 'system', subtype: 'status', status: 'requesting' }),
      line({ type: 'system', subtype: 'thinking_tokens', estimated_tokens: 4, estimated_tokens_delta: 4 }),
      line({ type: 'system', subtype: 'hook_response', hook_name: 'SessionStart:startup', stdout: '', stderr: '', exit_code: 0 }),
      line({ type: 'system', subtype: 'api_retry', attempt: 1, max_retries: 10, retry_delay_ms: 500, error_status: 529, error: 'overloaded' }),
      line({ type: 'rate_limit_event', rate_limit_info: { status: 'allowed', resetsAt: 1785993600, rateLimitType: 'five_hour' } }),
      line({ type: 'stream_event', event: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }, parent_tool_use_id: null }),
      line({ type: 'tool_use_summary', summary: 'Read 2 files', preceding_tool_use_ids: [TOOL_ID] }),
      '{"type":"control_response","response":{"subtype":"success","request_id":"req_1","response":{}}}',
    ];
    for (const l of quiet) expect(readEvent({ ...emptyFacts(), phase: 'busy', sessionId: SID }, l)).toMatchObject({ shown: [], changed: false });
  });

  it('compact_boundary: one short line', () => {
    const r = readEvent(emptyFacts(), line({ type: 'system', subtype: 'compact_boundary', compact_metadata: { trigger: 'auto', pre_tokens: 154321 } }));
    expect(r.shown).toEqual(['⋯ conversation compacted (auto, 154,321 tokens before)']);
  });

  it('keeps the latest session id of any event, when it has the shape of one (a UUID)', () => {
    const A = '0b7e4a52-3f1c-4c47-9a51-6d2f0c1e9b11';
    const B = '1c8f5b63-4a2d-4d58-8b62-7e3a1d2f0c22';
    let r = readEvent(emptyFacts(), JSON.stringify({ type: 'rate_limit_event', session_id: A }));
    expect(r).toMatchObject({ facts: { sessionId: A, phase: 'starting' }, changed: true });
    r = readEvent(r.facts, JSON.stringify({ type: 'assistant', session_id: '', message: { content: [] } }));
    expect(r.facts.sessionId).toBe(A);
    // whatever the stream says, a value that is not a session id never becomes one (it reaches --resume)
    r = readEvent(r.facts, JSON.stringify({ type: 'assistant', session_id: '--dangerously-skip-permissions', message: { content: [] } }));
    expect(r.facts.sessionId).toBe(A);
    r = readEvent(r.facts, JSON.stringify({ type: 'system', subtype: 'init', session_id: B }));
    expect(r.facts.sessionId).toBe(B);
    expect(r.shown).toEqual([`▶ session ${B.slice(0, 8)}`]);
  });

  it('a line that is not a JSON object is shown as it is and changes nothing', () => {
    const busy: RunFacts = { ...emptyFacts(), phase: 'busy', sessionId: SID };
    for (const l of ['Error: When using --print, --output-format=stream-json requires --verbose', '{"type":"assist', '  indented output', '42', 'null']) {
      expect(readEvent(busy, l)).toEqual({ facts: busy, shown: [l], changed: false });
    }
    expect(readEvent(busy, 'plain\r').shown).toEqual(['plain']);
    expect(readEvent(busy, '').shown).toEqual([]);
    expect(readEvent(busy, '   ').shown).toEqual([]);
    expect(readEvent(busy, '[1,2,3]')).toEqual({ facts: busy, shown: [], changed: false }); // JSON, not an object
  });

  it('never throws on garbage', () => {
    const garbage: unknown[] = [
      '{}',
      '{"type":null}',
      '{"type":"system"}',
      '{"type":"system","subtype":"init","model":5,"permissionMode":{},"session_id":7}',
      '{"type":"system","subtype":"compact_boundary","compact_metadata":"x"}',
      '{"type":"assistant"}',
      '{"type":"assistant","message":null}',
      '{"type":"assistant","message":{"content":"just a string"}}',
      '{"type":"assistant","message":{"content":[null,1,"x",{"type":"text"},{"type":"text","text":5},{"type":"tool_use"},{"type":"tool_use","name":{},"input":[]}]}}',
      '{"type":"user","message":{"content":[null,{"type":"tool_result","is_error":true},{"type":"tool_result","is_error":true,"content":[null,{"type":"text"},{"type":"image"}]}]}}',
      '{"type":"result"}',
      '{"type":"result","is_error":"yes","result":["a"],"total_cost_usd":"1","num_turns":null,"duration_ms":NaN}',
      '{"type":"result","subtype":"error_x","permission_denials":[null,{"tool_name":3,"tool_input":"x"}],"errors":[null,{"message":"m"},{"a":1},5]}',
      '{"type":"result","permission_denials":{"tool_name":"Bash"},"errors":"boom"}',
      `{"type":"assistant","message":{"content":[{"type":"text","text":"${'z'.repeat(2_000_000)}"}]}}`,
      'x'.repeat(1_000_000),
      '\u0000\u001b[31m\ud800',
      undefined,
      null,
      42,
    ];
    let facts = emptyFacts();
    for (const g of garbage) {
      const r = readEvent(facts, g as string);
      expect(Array.isArray(r.shown)).toBe(true);
      facts = r.facts;
      expect(() => summaryLine(facts, { code: null, signal: null })).not.toThrow();
      expect(lastLineOf(facts).length).toBeLessThanOrEqual(200);
    }
    const odd = readEvent(emptyFacts(), '{"type":"result","subtype":"error_x","permission_denials":[null,{"tool_name":3,"tool_input":"x"}],"errors":[null,{"message":"m"},{"a":1},5]}');
    expect(odd.shown).toEqual(['⊘ denied tool', '✗ error_x', '  m', '  {"a":1}', '  5']);
    expect(odd.facts.result).toMatchObject({ ok: false, costUsd: null, turns: null, durationMs: null });
  });
});

describe('summaryLine', () => {
  const done = (over: Partial<NonNullable<RunFacts['result']>> = {}): RunFacts => ({
    ...emptyFacts(),
    phase: 'done',
    result: { ok: true, subtype: 'success', text: 'x', costUsd: 0.0125, runCostUsd: null, errors: [], turns: 2, durationMs: 1500, permissionDenials: [], ...over },
  });
  it('a finished run: turns, duration, cost', () => {
    expect(summaryLine(done(), { code: 0, signal: null })).toBe('── ✓ done · 2 turns · 1.5 s · $0.0125');
    expect(summaryLine(done({ turns: 1, durationMs: 850, costUsd: 1.5 }), { code: 0, signal: null })).toBe('── ✓ done · 1 turn · 850 ms · $1.50');
    expect(summaryLine(done({ durationMs: 187_000, costUsd: 0.31234 }), { code: 0, signal: null })).toBe('── ✓ done · 2 turns · 3 min 7 s · $0.3123');
    expect(summaryLine(done({ turns: null, durationMs: null, costUsd: null }), { code: 0, signal: null })).toBe('── ✓ done');
  });
  it('an error run says how it ended', () => {
    expect(summaryLine(done({ ok: false, subtype: 'error_max_turns', turns: 3, durationMs: null, costUsd: 0.04 }), { code: 1, signal: null })).toBe(
      '── ✗ error_max_turns · exit 1 · 3 turns · $0.04',
    );
    expect(summaryLine(done({ ok: false, subtype: 'error_during_execution' }), { code: null, signal: 'SIGTERM' })).toBe(
      '── ✗ error_during_execution · signal SIGTERM · 2 turns · 1.5 s · $0.0125',
    );
  });
  it('no result event', () => {
    expect(summaryLine(emptyFacts(), { code: 1, signal: null })).toBe('── ✗ ended without a result (exit 1)');
    expect(summaryLine({ ...emptyFacts(), phase: 'busy' }, { code: null, signal: 'SIGTERM' })).toBe('── ✗ ended without a result (signal SIGTERM)');
    expect(summaryLine(emptyFacts(), { code: 0, signal: null })).toBe('── ✗ ended without a result (exit 0)');
    expect(summaryLine(emptyFacts(), { code: null, signal: null })).toBe('── ✗ ended without a result');
  });
});

describe('lastLineOf', () => {
  it("is the result's last line, else the last text", () => {
    const base: RunFacts = { ...emptyFacts(), phase: 'done', lastText: 'Running the tests' };
    const res = { ok: true, subtype: 'success', costUsd: null, runCostUsd: null, errors: [], turns: null, durationMs: null, permissionDenials: [] };
    expect(lastLineOf({ ...base, result: { ...res, text: 'Summary:\n- fixed login\n- added tests\n\n' } })).toBe('- added tests');
    expect(lastLineOf({ ...base, result: { ...res, text: '' } })).toBe('Running the tests');
    expect(lastLineOf({ ...base, result: { ...res, text: `  ${'w'.repeat(300)}  ` } })).toHaveLength(200);
    expect(lastLineOf(base)).toBe('Running the tests');
    expect(lastLineOf(emptyFacts())).toBe('');
    expect(lastLineOf({ ...base, result: { ...res, ok: false, subtype: 'error_during_execution', text: '' } })).toBe('error_during_execution');
  });

  it("a resumed run's own cost comes from model_usage_since_last_result; total_cost_usd is the session's", () => {
    const r = readEvent(emptyFacts(), JSON.stringify({
      type: 'result', subtype: 'success', is_error: false, result: 'ok', total_cost_usd: 0.020868, num_turns: 1, duration_ms: 900,
      modelUsage: { 'claude-opus-4-5': { costUSD: 0.020868 } },
      model_usage_since_last_result: { 'claude-opus-4-5': { costUSD: 0.010464 }, 'claude-haiku-4-5': { costUSD: 0.0001 } },
    }));
    expect(r.facts.result?.costUsd).toBe(0.020868);
    expect(r.facts.result?.runCostUsd).toBeCloseTo(0.010564, 10);
    expect(summaryLine(r.facts, { code: 0, signal: null })).toBe('── ✓ done · 1 turn · 900 ms · $0.0106');
  });
});
