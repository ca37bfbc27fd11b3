// The pure parts of unattended runs: who starts from the queue, outcomes and slots, what `wait`
// decides, report totals and formats, print-mode arguments and the permission warning.
import { describe, expect, it } from 'vitest';
import { headlessPermissionWarning } from '../../src/agents/kinds/claude/settings.js';
import { leavesDefaultPermissions, printModeArgs } from '../../src/agents/kinds/claude/args.js';
import { holdsSlot, outcomeOf } from '../../src/agents/status/outcome.js';
import { planStarts } from '../../src/agents/lifecycle/startQueue.js';
import { formatMarkdown, formatText, totalsOf, type Report, type ReportAgent } from '../../src/agents/review/report.js';
import { settle } from '../../src/agents/status/settle.js';
import type { RunRecord } from '../../src/state/index.js';
import type { AgentRow } from '../../src/ui/model.js';

const c = (name: string, index: number, startAfter: string[] = []) => ({ name, index, startAfter });

describe('planStarts', () => {
  it('starts in layout order up to the limit; the rest wait for a slot', () => {
    const plan = planStarts({ candidates: [c('c', 3), c('a', 1), c('b', 2)], merged: new Set(), running: 0, maxParallel: 2 });
    expect(plan.start).toEqual(['a', 'b']);
    expect(plan.wait).toEqual([{ name: 'c', after: [] }]);
  });
  it('counts agents already running; 0 means no limit', () => {
    expect(planStarts({ candidates: [c('a', 1)], merged: new Set(), running: 2, maxParallel: 2 }).start).toEqual([]);
    expect(planStarts({ candidates: [c('a', 1), c('b', 2)], merged: new Set(), running: 9, maxParallel: 0 }).start).toEqual(['a', 'b']);
  });
  it('holds start_after agents until every one named is merged, without taking a slot', () => {
    const plan = planStarts({ candidates: [c('four', 4, ['one', 'two']), c('five', 5)], merged: new Set(['one']), running: 1, maxParallel: 2 });
    expect(plan.wait).toEqual([{ name: 'four', after: ['two'] }]);
    expect(plan.start).toEqual(['five']);
    expect(planStarts({ candidates: [c('four', 4, ['one'])], merged: new Set(['one']), running: 0, maxParallel: 1 }).start).toEqual(['four']);
  });
  it('an old merge does not count for a predecessor made again in the same round', () => {
    const plan = planStarts({ candidates: [{ ...c('one', 1), fresh: true }, c('four', 4, ['one'])], merged: new Set(['one']), running: 0, maxParallel: 0 });
    expect(plan.start).toEqual(['one']);
    expect(plan.wait).toEqual([{ name: 'four', after: ['one'] }]);
  });
});

const run = (over: Partial<RunRecord>): RunRecord => ({ phase: 'done', runs: 1, startedAt: '2026-11-24T00:00:00Z', ...over });

describe('outcomeOf and holdsSlot', () => {
  it('a headless run: its result, false when it ended without one, null while it works', () => {
    expect(outcomeOf({ mode: 'headless', status: 'exited', exitCode: 0, run: run({ ok: true }) })).toBe(true);
    expect(outcomeOf({ mode: 'headless', status: 'exited', exitCode: 1, run: run({ ok: false }) })).toBe(false);
    expect(outcomeOf({ mode: 'headless', status: 'exited', exitCode: null, run: run({ phase: 'busy' }) })).toBe(false);
    expect(outcomeOf({ mode: 'headless', status: 'busy', exitCode: null, run: run({ phase: 'busy' }) })).toBeNull();
  });
  it('an interactive agent: its exit status once it exited; a failed setup is a failure', () => {
    expect(outcomeOf({ mode: 'interactive', status: 'idle', exitCode: null })).toBeNull();
    expect(outcomeOf({ mode: 'interactive', status: 'exited', exitCode: 0 })).toBe(true);
    expect(outcomeOf({ mode: 'interactive', status: 'exited', exitCode: 2 })).toBe(false);
    expect(outcomeOf({ mode: 'interactive', status: 'exited', exitCode: 1, failure: 'npm install failed' })).toBe(false);
  });
  it('a slot is held by a live program, not by a finished headless run still closing', () => {
    expect(holdsSlot({ paneAlive: true, mode: 'interactive' })).toBe(true);
    expect(holdsSlot({ paneAlive: false, mode: 'interactive' })).toBe(false);
    expect(holdsSlot({ paneAlive: true, mode: 'headless', run: run({ phase: 'busy' }) })).toBe(true);
    expect(holdsSlot({ paneAlive: true, mode: 'headless', run: run({ phase: 'done' }) })).toBe(false);
  });
});

const r = (name: string, over: Partial<AgentRow>): AgentRow => ({
  name, index: 1, status: 'busy', created: true, mode: 'headless', ok: null, costUsd: null, since: 0, branch: `feature/${name}`, base: 'main',
  ports: {}, database: null, lastLine: '', worktree: `/w/${name}`, task: '', changedFiles: null, hasWindow: true, exitCode: null, ...over,
});

describe('settle (wait)', () => {
  it('waits while an agent is queued, starting or busy', () => {
    for (const status of ['queued', 'starting', 'busy'] as const) {
      expect(settle([r('a', { status })], ['a']).done).toBe(false);
    }
    expect(settle([], ['a']).pending).toEqual([{ name: 'a', status: 'unknown' }]);
  });
  it('is done when all finished; failures and agents waiting for the user are problems', () => {
    const s = settle(
      [
        r('ok', { status: 'exited', ok: true, costUsd: 0.0125, lastLine: 'Finished' }),
        r('idle', { status: 'idle', mode: 'interactive' }),
        r('bad', { status: 'exited', ok: false, exitCode: 1 }),
        r('ask', { status: 'waiting', mode: 'interactive' }),
      ],
      ['ok', 'idle', 'bad', 'ask'],
    );
    expect(s.done).toBe(true);
    expect(s.finished.map((f) => [f.name, f.problem])).toEqual([
      ['ok', null],
      ['idle', null],
      ['bad', 'failed (exit 1)'],
      ['ask', 'waits for you'],
    ]);
    expect(s.finished[0]!.line).toBe('ok: ✓ exited · $0.0125 · Finished');
  });
  it('a failed headless result with its program still exiting waits for the exit status, then names it', () => {
    const exiting = r('bad', { status: 'exited', ok: false, exitCode: null, pane: { id: '%2', window: '@2', alive: true } });
    expect(settle([exiting], ['bad']).done).toBe(false);
    const ended = r('bad', { status: 'exited', ok: false, exitCode: 1, pane: { id: '%2', window: '@2', alive: true } });
    expect(settle([ended], ['bad']).finished[0]!.problem).toBe('failed (exit 1)');
    const gone = r('bad', { status: 'exited', ok: false, exitCode: null });
    expect(settle([gone], ['bad']).finished[0]!.problem).toBe('failed'); // its window gone: no exit status will come
  });
  it('a queued agent whose start_after agents stopped working waits for a merge: a problem, not pending', () => {
    const rows = [r('one', { status: 'exited', ok: true }), r('four', { status: 'queued', waitingFor: ['one'] })];
    expect(settle(rows, ['four']).finished[0]!.problem).toBe('waits for one to be merged (treemux merge one)');
    const working = [r('one', { status: 'busy' }), r('four', { status: 'queued', waitingFor: ['one'] })];
    expect(settle(working, ['four']).done).toBe(false);
  });
  it('a queued agent waiting for a slot nothing will free (all held by idle or waiting agents) is a problem', () => {
    const idle = [r('a', { status: 'idle', mode: 'interactive' }), r('b', { status: 'queued', waitingFor: [] })];
    expect(settle(idle, ['b'], 1).finished[0]?.problem).toMatch(/^waits for a free slot/);
    expect(settle(idle, ['b'], 2).done).toBe(false); // a slot is free: the queue starts it
    const busy = [r('a', { status: 'busy' }), r('b', { status: 'queued', waitingFor: [] })];
    expect(settle(busy, ['b'], 1).done).toBe(false);
    const ended = [r('a', { status: 'exited', ok: true }), r('b', { status: 'queued', waitingFor: [] })];
    expect(settle(ended, ['b'], 1).done).toBe(false); // the finished run's window is starting it
  });
});

const ra = (name: string, over: Partial<ReportAgent> = {}): ReportAgent => ({
  name, status: 'exited', mode: 'headless', ok: true, costUsd: 0.0125, turns: 2, durationMs: 1500, commits: 1, filesChanged: 1,
  branch: `feature/${name}`, base: 'main', violations: [], conflicts: [], permissionDenials: [], lastLine: `Finished: ${name}`, ...over,
});

describe('report', () => {
  const agents = [ra('one'), ra('two', { ok: false, costUsd: 0.025, permissionDenials: [{ tool: 'Bash', detail: 'rm -rf /' }] }), ra('three', { status: 'queued', ok: null, costUsd: null, turns: null, durationMs: null, commits: null, filesChanged: null, lastLine: 'a | b' })];
  const report: Report = { project: 'app', agents, totalCostUsd: 0.0375, totals: totalsOf(agents) };
  it('totals sum what is known and count outcomes', () => {
    expect(report.totals).toMatchObject({ agents: 3, ok: 1, failed: 1, unknown: 1, turns: 4, durationMs: 3000, commits: 2, filesChanged: 2 });
    expect(report.totals.costUsd).toBeCloseTo(0.0375, 10);
    expect(totalsOf([ra('x', { costUsd: null })]).costUsd).toBeNull();
  });
  it('text: a row per agent, notes under it, totals last', () => {
    const text = formatText(report).split('\n');
    expect(text[1]).toMatch(/^AGENT\s+STATUS\s+OK\s+COST/);
    expect(text.find((l) => l.startsWith('two'))).toMatch(/✗\s+\$0\.0250/);
    expect(text).toContain('  ! denied: Bash (rm -rf /)');
    expect(text.at(-1)).toContain('3 agents: 1 ok, 1 failed, 1 not finished · cost $0.0375');
  });
  it('markdown: a table with | escaped, the notes, the totals', () => {
    const md = formatMarkdown(report);
    expect(md).toContain('| `one` | exited | ✓ | $0.0125 | 2 | 2s | 1 | 1 | Finished: one |');
    expect(md).toContain('a \\| b');
    expect(md).toContain('- `two`: denied: Bash (rm -rf /)');
    expect(md).toContain('**Total:** 3 agents');
  });
});

describe('print mode arguments and permissions', () => {
  it('adds print mode with stream-json events, replacing another output format', () => {
    expect(printModeArgs([])).toEqual(['-p', '--output-format', 'stream-json', '--verbose']);
    expect(printModeArgs(['--print', '--output-format', 'json', '--model', 'opus'])).toEqual(['-p', '--output-format', 'stream-json', '--verbose', '--model', 'opus']);
    expect(printModeArgs(['--output-format=text', '--verbose'])).toEqual(['-p', '--output-format', 'stream-json', '--verbose']);
  });
  it('warns once, naming the headless Claude agents left in the default permission mode', () => {
    expect(leavesDefaultPermissions([])).toBe(true);
    expect(leavesDefaultPermissions(['--permission-mode', 'default'])).toBe(true);
    expect(leavesDefaultPermissions(['--permission-mode', 'acceptEdits'])).toBe(false);
    expect(leavesDefaultPermissions(['--permission-mode=plan'])).toBe(false);
    expect(leavesDefaultPermissions(['--allowedTools', 'Bash(npm test)'])).toBe(false);
    const ctx = { repo: { root: '/nonexistent' } };
    const specs = [
      { name: 'a', kind: 'claude', mode: 'headless', args: [] },
      { name: 'b', kind: 'claude', mode: 'headless', args: ['--permission-mode', 'acceptEdits'] },
      { name: 'c', kind: 'claude', mode: 'interactive', args: [] },
      { name: 'd', kind: 'other', mode: 'headless', args: [] },
      { name: 'e', kind: 'claude', mode: 'headless', args: [] },
    ];
    expect(headlessPermissionWarning(ctx, specs)).toMatch(/^headless Claude agents a, e run in the default permission mode: every tool that asks/);
    expect(headlessPermissionWarning(ctx, specs.slice(1, 4))).toBeNull();
  });
});
