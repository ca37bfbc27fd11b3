// When the leading watcher starts queued agents (a slot freed under max_parallel), with the queue
// drainer it was given; and when a follower tries to take the lead.
import { describe, expect, it } from 'vitest';
import { slotFree, SlotWatch } from '../../src/agents/status/slots.js';
import { triesToLead } from '../../src/agents/status/leader.js';
import type { AgentRow } from '../../src/agents/status/snapshot.js';
import type { Status } from '../../src/agents/status/status.js';
import type { Ctx } from '../../src/project/context.js';
import { SILENT } from '../../src/util/output.js';

const row = (status: Status, waitingFor?: string[]): AgentRow => ({ name: status, status, ...(waitingFor ? { waitingFor } : {}) }) as AgentRow;

describe('slotFree', () => {
  it('a queued agent waiting for a slot only, and fewer agents holding slots than max_parallel', () => {
    expect(slotFree([row('busy'), row('exited'), row('queued')], 2)).toBe(true);
    expect(slotFree([row('busy'), row('idle'), row('queued')], 2)).toBe(false);
    expect(slotFree([row('starting'), row('waiting'), row('queued')], 2)).toBe(false);
  });

  it('never without a limit, nor for an agent waiting for a merge', () => {
    expect(slotFree([row('queued')], 0)).toBe(false);
    expect(slotFree([row('stopped'), row('queued', ['auth'])], 2)).toBe(false);
    expect(slotFree([row('stopped'), row('queued', [])], 2)).toBe(true);
  });
});

describe('SlotWatch', () => {
  const ctx = { layout: { layout: { max_parallel: 1 } }, out: { print: () => undefined } } as unknown as Ctx;

  it('drains with the given drainer, quietly, once at a time and not twice within 2 s', async () => {
    const calls: Ctx[] = [];
    let finish!: () => void;
    const watch = new SlotWatch(ctx, (c) => {
      calls.push(c);
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const freed = [row('exited'), row('queued')];
    watch.check(freed, 10_000);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.out).toBe(SILENT);
    watch.check(freed, 13_000); // the first drain still runs
    expect(calls).toHaveLength(1);
    finish();
    await new Promise((r) => setImmediate(r));
    watch.check(freed, 11_000); // done, but within 2 s of the last
    expect(calls).toHaveLength(1);
    watch.check(freed, 12_000);
    expect(calls).toHaveLength(2);
  });

  it('a drainer that fails lets the next free slot drain again', async () => {
    let calls = 0;
    const watch = new SlotWatch(ctx, async () => {
      calls += 1;
      throw new Error('lock held');
    });
    watch.check([row('queued')], 10_000);
    await new Promise((r) => setImmediate(r));
    watch.check([row('queued')], 20_000);
    expect(calls).toBe(2);
  });

  it('nothing while every slot is held', () => {
    let calls = 0;
    const watch = new SlotWatch(ctx, async () => void (calls += 1));
    watch.check([row('idle'), row('queued')], 10_000);
    expect(calls).toBe(0);
  });
});

describe('triesToLead', () => {
  it('on the first tick, then every third', () => {
    expect([1, 2, 3, 4, 5, 6, 7].filter(triesToLead)).toEqual([1, 3, 6]);
  });
});
