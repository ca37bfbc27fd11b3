// up's plan, from fixtures alone (no tmux, git or files): what it decides for an agent from what is
// observed of it: its worktree, its window, its record.
import { describe, expect, it } from 'vitest';
import { agentGroups, plan, WRITTEN_FILES, type AgentStep, type Step, type WindowStep } from '../../src/agents/lifecycle/plan.js';
import type { AgentView, Inventory } from '../../src/agents/inventory.js';
import type { ResolvedAgent } from '../../src/layout/index.js';
import type { AgentRecord, RunRecord } from '../../src/state/index.js';
import type { PaneRow } from '../../src/tmux/index.js';
import type { Worktree } from '../../src/git/index.js';

const SESSION = '0c1f6a52-2f4e-4f59-9d8e-5b7b8f0e2a11';

function spec(over: Partial<ResolvedAgent> = {}): ResolvedAgent {
  return {
    name: 'auth',
    index: 1,
    task: 'add login',
    command: 'claude',
    args: [],
    kind: 'claude',
    mode: 'interactive',
    host: 'local',
    base: 'main',
    branch: 'feature/auth',
    worktree: '/repo-wt/auth',
    scope: [],
    avoid: [],
    done: [],
    dependsOn: [],
    startAfter: [],
    role: 'worker',
    scopeMode: 'deny',
    ...over,
  };
}

function pane(over: Partial<PaneRow> = {}): PaneRow {
  const row: Record<string, string> = {
    session_id: '$1',
    window_id: '@3',
    window_name: 'auth',
    window_index: '2',
    window_activity: '0',
    pane_id: '%7',
    pane_index: '0',
    pane_width: '80',
    pane_height: '24',
    pane_dead: '0',
    pane_dead_status: '',
    pane_dead_time: '',
    pane_pid: '100',
    pane_current_command: 'claude',
    pane_title: '',
    '@treemux-agent': 'auth',
    '@treemux-role': 'agent',
    'm:env TREEMUX_PLACEHOLDER=1 *,#{pane_start_command}': '0',
  };
  return { ...row, ...over } as PaneRow;
}

const worktree = (path = '/repo-wt/auth'): Worktree => ({ path, head: 'abc', branch: 'feature/auth', detached: false, bare: false, locked: false, prunable: false, main: false });

function recordOf(over: Partial<AgentRecord> = {}): AgentRecord {
  return { name: 'auth', branch: 'feature/auth', base: 'main', worktree: '/repo-wt/auth', task: 'add login', source: 'layout', createdAt: '2025-01-01T00:00:00.000Z', createdBranch: true, setup: 'ok', ...over };
}

const run = (over: Partial<RunRecord> = {}): RunRecord => ({ phase: 'busy', runs: 1, startedAt: '2025-01-01T00:00:00.000Z', ...over });

function view(over: Partial<AgentView> = {}): AgentView {
  return { name: 'auth', spec: spec(), inLayout: true, status: 'stopped', ...over };
}

function observed(agents: AgentView[], over: Partial<Inventory> = {}): Inventory {
  return { session: null, panes: agents.flatMap((a) => (a.pane ? [a.pane] : [])), state: { version: 1, agents: {} }, agents, ...over };
}

const agentSteps = (steps: Step[]): AgentStep[] => steps.filter((s): s is AgentStep => 'agent' in s);
const types = (steps: Step[]) => agentSteps(steps).map((s) => s.type);
const last = (steps: Step[]): WindowStep => agentSteps(steps).at(-1) as WindowStep;

describe('plan', () => {
  it('a fresh agent: a worktree, everything it needs, setup, a new window running its program', () => {
    const a = view();
    const steps = plan({ agents: [a] }, observed([a]));
    expect(steps.slice(0, 2)).toEqual([
      { type: 'ensure-session', exists: false, reason: 'no session yet' },
      { type: 'exclude-written-files', files: ['/CLAUDE.local.md', '/.claude/settings.local.json'], reason: expect.any(String) },
    ]);
    expect(types(steps)).toEqual(['create-worktree', 'write-marker', 'provision', 'write-instructions', 'prepare-kind', 'prepare-log', 'record', 'run-setup', 'start-window']);
    expect(agentSteps(steps)[0]).toMatchObject({ type: 'create-worktree', source: 'layout', createdBranch: false, clearMerged: false });
    expect(agentSteps(steps)[1]).toMatchObject({ type: 'write-marker', source: 'layout', createdAt: undefined });
    expect(last(steps)).toEqual({ type: 'start-window', agent: 'auth', slot: 1, program: { type: 'agent', session: undefined }, newRun: undefined, resumed: false, reason: 'it has no window' });
    for (const s of steps) expect(s.reason.length).toBeGreaterThan(0);
  });

  it('a fresh agent that was merged before: its old merge is cleared as its worktree is made', () => {
    const a = view();
    const steps = plan({ agents: [a] }, observed([a], { state: { version: 1, agents: {}, merged: { auth: { at: 'x', base: 'main', commit: 'c' } } } }));
    expect(agentSteps(steps)[0]).toMatchObject({ type: 'create-worktree', clearMerged: true });
  });

  it('worktree there, window gone: no new worktree, no setup again, a new window that resumes its conversation', () => {
    const a = view({ worktree: worktree(), record: recordOf({ claudeSession: SESSION }) });
    const steps = plan({ agents: [a] }, observed([a], { session: { id: '$1', name: 'p', attached: false } }));
    expect(steps[0]).toMatchObject({ type: 'ensure-session', exists: true });
    expect(types(steps)).toEqual(['write-marker', 'provision', 'write-instructions', 'prepare-kind', 'prepare-log', 'record', 'start-window']);
    expect(agentSteps(steps)[0]).toMatchObject({ type: 'write-marker', createdBranch: true, createdAt: '2025-01-01T00:00:00.000Z' });
    expect(last(steps)).toMatchObject({ type: 'start-window', program: { type: 'agent', session: SESSION }, resumed: true });
  });

  it('a dead pane: its program starts again in it', () => {
    const a = view({ worktree: worktree(), record: recordOf(), pane: pane({ pane_dead: '1', pane_dead_status: '1' }) });
    const steps = plan({ agents: [a] }, observed([a]));
    expect(last(steps)).toEqual({ type: 'respawn-pane', agent: 'auth', paneId: '%7', program: { type: 'agent', session: undefined }, newRun: undefined, resumed: false, reason: 'its program exited' });
  });

  it('a headless run that finished while its window was gone: a window that shows its log', () => {
    const done = run({ phase: 'done', ok: true, sessionId: SESSION });
    const a = view({ spec: spec({ mode: 'headless' }), worktree: worktree(), record: recordOf({ run: done }) });
    const steps = plan({ agents: [a] }, observed([a]));
    expect(last(steps)).toMatchObject({ type: 'start-window', program: { type: 'show-log' }, newRun: undefined });
  });

  it('a headless run that finished, its window still there: nothing to do (send continues it)', () => {
    const a = view({ spec: spec({ mode: 'headless' }), worktree: worktree(), record: recordOf({ run: run({ phase: 'done', ok: true }) }), pane: pane({ pane_dead: '1' }) });
    expect(last(plan({ agents: [a] }, observed([a])))).toMatchObject({ type: 'nothing-to-do', why: 'finished', paneId: '%7' });
  });

  it('a headless run interrupted (its window gone mid-run): resumed in a new window, a new run counted on', () => {
    const busy = run({ phase: 'busy', runs: 2, sessionId: SESSION });
    const a = view({ spec: spec({ mode: 'headless' }), worktree: worktree(), record: recordOf({ run: busy }) });
    expect(last(plan({ agents: [a] }, observed([a])))).toMatchObject({
      type: 'start-window',
      program: { type: 'headless', why: 'interrupted', prompt: 'Continue where you left off.', resume: SESSION },
      newRun: { previous: busy },
    });
  });

  it('a headless agent never run: its task, in a new run', () => {
    const a = view({ spec: spec({ mode: 'headless' }) });
    expect(last(plan({ agents: [a] }, observed([a])))).toMatchObject({ type: 'start-window', program: { type: 'headless', why: 'task', prompt: 'add login' }, newRun: { previous: undefined } });
  });

  it('a follow-up for a finished headless run: its pane runs again, continuing the conversation', () => {
    const done = run({ phase: 'done', ok: true, sessionId: SESSION });
    const a = view({ spec: spec({ mode: 'headless' }), worktree: worktree(), record: recordOf({ run: done }), pane: pane({ pane_dead: '1' }) });
    const steps = plan({ agents: [a], followUps: { auth: 'also add logout' } }, observed([a]));
    expect(last(steps)).toMatchObject({ type: 'respawn-pane', program: { type: 'headless', why: 'follow-up', prompt: 'also add logout', resume: SESSION }, newRun: { previous: done } });
  });

  it('setup failed last time: setup runs again before the window', () => {
    const a = view({ worktree: worktree(), record: recordOf({ setup: 'failed', failure: 'setup `npm ci` failed (exit 1)' }), pane: pane({ pane_dead: '1' }) });
    const steps = plan({ agents: [a] }, observed([a]));
    expect(types(steps).slice(-2)).toEqual(['run-setup', 'respawn-pane']);
    expect(agentSteps(steps).find((s) => s.type === 'run-setup')!.reason).toBe('setup failed last time');
    expect(agentSteps(steps).find((s) => s.type === 'record')).toMatchObject({ setup: 'failed' });
  });

  it('running: nothing to do for its window (its files are rewritten all the same)', () => {
    const a = view({ worktree: worktree(), record: recordOf({ claudeSession: SESSION }), pane: pane(), status: 'idle' });
    const steps = plan({ agents: [a] }, observed([a]));
    expect(types(steps)).toEqual(['write-marker', 'provision', 'write-instructions', 'prepare-kind', 'prepare-log', 'record', 'nothing-to-do']);
    expect(last(steps)).toEqual({ type: 'nothing-to-do', agent: 'auth', why: 'running', paneId: '%7', newRun: undefined, reason: 'its program is running' });
  });

  it('windows a killed treemux left half made are closed first; other agents appear in the instructions', () => {
    const a = view();
    const b = view({ name: 'billing', spec: spec({ name: 'billing', index: 2, branch: 'feature/billing', worktree: '/repo-wt/billing' }) });
    const half = pane({ window_id: '@9', '@treemux-agent': '', 'm:env TREEMUX_PLACEHOLDER=1 *,#{pane_start_command}': '1' });
    const steps = plan({ agents: [a, b] }, observed([a, b], { panes: [half] }));
    expect(steps[0]).toMatchObject({ type: 'clear-placeholders', windowIds: ['@9'] });
    const groups = agentGroups(steps);
    expect(groups.map((g) => g.agent)).toEqual(['auth', 'billing']);
    expect(groups[1]!.steps.find((s) => s.type === 'start-window')).toMatchObject({ slot: 2 });
    expect(groups[0]!.steps.find((s) => s.type === 'write-instructions')).toMatchObject({ others: [b.spec], operator: false });
  });

  it('is pure: the same inputs give the same steps, and the inputs are left as they were', () => {
    const a = view({ spec: spec({ mode: 'headless' }), worktree: worktree(), record: recordOf({ run: run({ sessionId: SESSION }) }) });
    const inv = observed([a]);
    const before = JSON.stringify(inv);
    expect(plan({ agents: [a] }, inv)).toEqual(plan({ agents: [a] }, inv));
    expect(JSON.stringify(inv)).toBe(before);
  });
});
