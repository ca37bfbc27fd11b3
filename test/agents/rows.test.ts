// An agent's row from what the Observer remembers, and the small readers it uses: pure, no files.
import { describe, expect, it } from 'vitest';
import { freshMemory } from '../../src/agents/status/memory.js';
import { dashIndexOf, notCreatedRow, queuedLine, toRow } from '../../src/agents/status/rows.js';
import { lastHookEvent, lastLineOfText } from '../../src/agents/status/rules.js';
import type { AgentView } from '../../src/agents/inventory.js';
import type { PaneRow } from '../../src/tmux/index.js';

const spec = { name: 'api', index: 2, kind: 'other', mode: 'interactive', branch: 'feature/api', base: 'main', worktree: '/w/api', task: 'Build it', startAfter: ['auth', 'db'], scope: [], avoid: [] };
const agent = (extra: Partial<AgentView> = {}): AgentView => ({ name: 'api', spec, inLayout: true, status: 'stopped', ...extra }) as unknown as AgentView;
const pane = (extra: Partial<PaneRow> = {}): PaneRow => ({ pane_id: '%3', window_id: '@3', window_index: '7', pane_dead: '0', pane_dead_status: '', ...extra }) as PaneRow;

describe('rows', () => {
  it('a queued agent says what it waits for: unmerged start_after agents, else a slot', () => {
    expect(queuedLine(agent(), new Set(['auth']))).toBe('waits for db to be merged into main');
    expect(queuedLine(agent(), new Set(['auth', 'db']))).toBe('waits for a free slot (max_parallel)');
    const row = toRow(agent({ queued: true }), 'queued', freshMemory(5), undefined, new Set(['auth']), 0);
    expect(row).toMatchObject({ status: 'queued', waitingFor: ['db'], lastLine: 'waits for db to be merged into main', since: 5, hasWindow: false });
  });

  it('numbers a window by tmux, else by its place after the dashboard', () => {
    expect(dashIndexOf([pane({ '@treemux-role': 'dash', window_index: '1' } as Partial<PaneRow>)])).toBe(1);
    expect(dashIndexOf([])).toBe(0);
    expect(notCreatedRow(agent(), 9, 1)).toMatchObject({ index: 3, status: 'stopped', created: false, since: 9 });
    expect(toRow(agent({ worktree: { path: '/w/api' } } as Partial<AgentView>), 'idle', freshMemory(0), pane(), new Set(), 1).index).toBe(7);
  });

  it('without worktree or window it shows stopped; a dead pane gives its exit status and outcome', () => {
    expect(toRow(agent(), 'exited', freshMemory(0), undefined, new Set(), 0).status).toBe('stopped');
    const dead = toRow(agent({ worktree: { path: '/w/api' } } as Partial<AgentView>), 'exited', freshMemory(0), pane({ pane_dead: '1', pane_dead_status: '3' }), new Set(), 0);
    expect(dead).toMatchObject({ status: 'exited', exitCode: 3, ok: false, hasWindow: true });
  });
});

describe('readers', () => {
  it('lastHookEvent: the last whole JSON line of a tail', () => {
    expect(lastHookEvent('{"at":1,"event":"Stop"}\n{"at":2,"event":"Notif')).toEqual({ at: 1, event: 'Stop' });
    expect(lastHookEvent('cut"}\n')).toBeUndefined();
  });

  it('lastLineOfText: the last non-empty line, trimmed and cut at 200', () => {
    expect(lastLineOfText('Done.\n  All tests pass  \n\n')).toBe('All tests pass');
    expect(lastLineOfText('x'.repeat(300))).toHaveLength(200);
  });
});
