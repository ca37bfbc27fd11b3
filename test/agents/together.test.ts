import { describe, expect, it } from 'vitest';
import { deferred, eachBounded, Mutex, OrderedEvents } from '../../src/agents/lifecycle/together.js';
import type { UpEvent } from '../../src/agents/lifecycle/events.js';

describe('eachBounded', () => {
  it('runs every item, never more than the bound at once', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await eachBounded([5, 1, 4, 2, 3, 0], 2, async (ms, i) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, ms));
      seen.push(i);
      running -= 1;
    });
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });
});

describe('Mutex', () => {
  it('runs one at a time, in order, and goes on after a failure', async () => {
    const m = new Mutex();
    const log: string[] = [];
    const gate = deferred();
    const a = m.run(async () => {
      log.push('a in');
      await gate.promise;
      log.push('a out');
    });
    const b = m.run(async () => {
      log.push('b');
      throw new Error('b failed');
    });
    const c = m.run(async () => log.push('c'));
    gate.resolve();
    await a;
    await expect(b).rejects.toThrow('b failed');
    await c;
    expect(log).toEqual(['a in', 'a out', 'b', 'c']);
  });
});

describe('OrderedEvents', () => {
  const step = (agent: string, line: string): UpEvent => ({ type: 'step', agent, step: 'create-worktree', level: 'info', line });
  it("tells each agent's lines together, agents in layout order, the first one's as they come", () => {
    const out: string[] = [];
    const ev = new OrderedEvents(['one', 'two', 'three'], (e) => out.push(e.type === 'step' ? e.line : e.type));
    ev.push('two', step('two', 'two: a'));
    ev.push('one', step('one', 'one: a'));
    ev.push('three', step('three', 'three: a'));
    expect(out).toEqual(['one: a']);
    ev.finish('three');
    ev.push('two', step('two', 'two: b'));
    expect(out).toEqual(['one: a']);
    ev.finish('one');
    expect(out).toEqual(['one: a', 'two: a', 'two: b']);
    ev.push('two', step('two', 'two: c'));
    ev.finish('two');
    expect(out).toEqual(['one: a', 'two: a', 'two: b', 'two: c', 'three: a']);
  });
});
