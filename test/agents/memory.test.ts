// The Observer's memory rules, step by step with no files: a resize's redraw is not work, a status
// dates from when it began, and changed files are read when the agent worked or git moved.
import { describe, expect, it } from 'vitest';
import { changedFilesDue, freshMemory, noteLog, noteSize, noteStatus, RESIZE_GRACE_MS, screenDue, WAITING_REREAD_MS } from '../../src/agents/status/memory.js';

const T = 1_000_000;

describe('noteSize and noteLog', () => {
  it('the first size seen is no resize; the first log size seen dates from the file', () => {
    const mem = freshMemory(T);
    expect(noteSize(mem, '80x24', T)).toBe(false);
    expect(mem.resizedAt).toBeUndefined();
    expect(noteLog(mem, { size: 10, mtimeMs: T - 60_000 }, false, T)).toBe(true);
    expect(mem.logGrewAt).toBe(T - 60_000);
    expect(noteLog(mem, { size: 10, mtimeMs: T }, false, T + 1000)).toBe(false); // same size: no change
  });

  it('growth within the grace after a resize is a redraw, not work; later growth is', () => {
    const mem = freshMemory(T);
    noteSize(mem, '80x24', T);
    noteLog(mem, { size: 10, mtimeMs: T - 60_000 }, false, T);
    const redrawing = noteSize(mem, '200x49', T + 1000);
    expect(redrawing).toBe(true);
    noteLog(mem, { size: 50, mtimeMs: T + 1000 }, redrawing, T + 1000);
    expect(mem.logGrewAt).toBe(T - 60_000);
    expect(mem.logSize).toBe(50);
    const later = T + 1000 + RESIZE_GRACE_MS + 1;
    noteLog(mem, { size: 60, mtimeMs: later }, noteSize(mem, '200x49', later), later);
    expect(mem.logGrewAt).toBe(later);
  });

  it('growth read on the look before the new size was seen is taken back', () => {
    const mem = freshMemory(T);
    noteSize(mem, '80x24', T);
    noteLog(mem, { size: 10, mtimeMs: T - 60_000 }, false, T);
    noteLog(mem, { size: 40, mtimeMs: T + 1000 }, noteSize(mem, '80x24', T + 1000), T + 1000);
    expect(mem.logGrewAt).toBe(T + 1000);
    noteSize(mem, '200x49', T + 2000);
    expect(mem.logGrewAt).toBe(T - 60_000);
    expect(mem.redrawn).toBe(true);
  });
});

describe('noteStatus', () => {
  it('the first status dates from the last output unless busy; a change starts now', () => {
    const idle = freshMemory(T);
    idle.logGrewAt = T - 5000;
    noteStatus(idle, 'idle', T);
    expect(idle.since).toBe(T - 5000);
    const busy = freshMemory(T);
    busy.logGrewAt = T - 1000;
    noteStatus(busy, 'busy', T);
    expect(busy.since).toBe(T);
    noteStatus(busy, 'idle', T + 3000);
    expect(busy).toMatchObject({ status: 'idle', since: T + 3000, before: { status: 'busy', since: T } });
    noteStatus(busy, 'idle', T + 9000);
    expect(busy.since).toBe(T + 3000); // no change: the same since
  });

  it('back to the status before a redraw taken back: as if it never changed', () => {
    const mem = freshMemory(T);
    noteStatus(mem, 'idle', T);
    noteStatus(mem, 'busy', T + 1000);
    mem.redrawn = true;
    noteStatus(mem, 'idle', T + 2000);
    expect(mem).toMatchObject({ status: 'idle', since: T });
  });
});

describe('changedFilesDue', () => {
  it('reads at once the first time, then after activity at most every 30 s', () => {
    const mem = freshMemory(T);
    expect(changedFilesDue(mem, 'a', T)).toEqual({ due: true, gitMoved: false });
    mem.changed = { count: 1, at: T, logSize: 10, stamp: 'a' };
    mem.logSize = 20; // it worked since
    expect(changedFilesDue(mem, 'a', T + 10_000).due).toBe(false);
    expect(changedFilesDue(mem, 'a', T + 30_001).due).toBe(true);
    mem.logSize = 10; // idle since the last read
    expect(changedFilesDue(mem, 'a', T + 60_000).due).toBe(false);
  });

  it('reads within 2 s when git moved (a commit from a shell), and says so to the radar', () => {
    const mem = freshMemory(T);
    mem.changed = { count: 1, at: T, logSize: undefined, stamp: 'a' };
    expect(changedFilesDue(mem, 'b', T + 1000)).toEqual({ due: false, gitMoved: false });
    expect(changedFilesDue(mem, 'b', T + 2001)).toEqual({ due: true, gitMoved: true });
    expect(changedFilesDue(mem, 'a', T + 2001)).toEqual({ due: false, gitMoved: false });
  });
});

describe('screenDue', () => {
  it('reads the screen after a change or when never read', () => {
    const mem = freshMemory(0);
    expect(screenDue(mem, false, 0)).toBe(true);
    mem.screen = 'x';
    mem.screenAt = 0;
    expect(screenDue(mem, false, 10)).toBe(false);
    expect(screenDue(mem, true, 10)).toBe(true);
  });

  it('reads a waiting agent\'s screen again once a second: its answer may have come after the last read', () => {
    const mem = freshMemory(0);
    mem.screen = 'Do you want to proceed?';
    mem.screenAt = 0;
    mem.status = 'waiting';
    expect(screenDue(mem, false, WAITING_REREAD_MS - 1)).toBe(false);
    expect(screenDue(mem, false, WAITING_REREAD_MS)).toBe(true);
    mem.status = 'idle';
    expect(screenDue(mem, false, 10 * WAITING_REREAD_MS)).toBe(false);
  });
});
