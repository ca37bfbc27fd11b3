// `treemux hook [--kind K] [JSON]`: the arguments up writes, and what an event of each kind leaves
// behind: a line in the agent's events file, the conversation id in its record when the kind says
// the event tells it, nothing for input that is not an agent's.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleHook } from '../../src/agents/kinds/hook.js';
import { hookArgs } from '../../src/commands/hook.js';

describe('hook arguments', () => {
  it('no --kind is Claude Code (as up wrote it before there were kinds); the payload may be the last argument', () => {
    expect(hookArgs([])).toEqual({ kind: 'claude', payload: undefined });
    expect(hookArgs(['--kind', 'other', '{"a":1}'])).toEqual({ kind: 'other', payload: '{"a":1}' });
    expect(hookArgs(['--kind', 'nonsense'])).toBeNull();
    expect(hookArgs(['--kind'])).toBeNull();
    expect(hookArgs(['a', 'b'])).toBeNull();
  });
});

describe('handleHook', () => {
  let dir: string;
  let stateDir: string;
  const SID = '0b7e4a52-3f1c-4c47-9a51-6d2f0c1e9b11';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'treemux-hook-'));
    stateDir = join(dir, 'treemux');
    mkdirSync(join(dir, 'wt'));
    mkdirSync(stateDir);
    writeFileSync(join(stateDir, 'state.json'), JSON.stringify({ version: 1, agents: { auth: { name: 'auth', branch: 'feature/auth', base: 'main', worktree: join(dir, 'wt'), task: 't', source: 'layout', createdAt: '2026-12-03T00:00:00Z', createdBranch: true } } }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const env = () => ({ agent: 'auth', stateDir, worktree: join(dir, 'wt') });
  const events = () => readFileSync(join(stateDir, 'events', 'auth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const state = () => JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));

  it("Claude's SessionStart is kept with its session id, and the id in the record", async () => {
    expect(await handleHook('claude', JSON.stringify({ hook_event_name: 'SessionStart', session_id: SID }), env(), 1000)).toBe('');
    expect(events()).toEqual([{ at: 1000, event: 'SessionStart', sessionId: SID }]);
    expect(state().agents.auth.session).toBe(SID);
  });

  it('an id of another shape is never kept; other events do not write the record', async () => {
    await handleHook('claude', JSON.stringify({ hook_event_name: 'SessionStart', session_id: '--yolo' }), env(), 1000);
    await handleHook('claude', JSON.stringify({ hook_event_name: 'Stop', session_id: SID }), env(), 1001);
    expect(state().agents.auth.session).toBeUndefined();
    expect(events().map((e) => e.event)).toEqual(['SessionStart', 'Stop']);
  });

  it('a kind without events, an agent name that is not one, input that is not an object: nothing recorded', async () => {
    expect(await handleHook('other', '{"hook_event_name":"Stop"}', env())).toBe('');
    expect(await handleHook('claude', '{"hook_event_name":"Stop"}', { ...env(), agent: '../x' })).toBe('');
    await expect(handleHook('claude', '[1,2]', env())).rejects.toThrow();
    await expect(handleHook('claude', 'not json', env())).rejects.toThrow();
    expect(existsSync(join(stateDir, 'events'))).toBe(false);
  });
});
