// Small tools for bringing agents up (or down) side by side: a bounded parallel loop, a mutex for
// what they share, a promise settled from outside, and progress kept per agent and told in order.
import type { OnEvent, UpEvent } from './events.js';

/** How many agents are brought up (or taken down) at once: their git and tmux calls overlap, and setup commands run side by side. */
export const PARALLEL = 4;

/** Run FN over ITEMS, at most LIMIT at a time; resolves when all are done (FN's own errors are its own to catch). */
export async function eachBounded<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** One at a time: each run waits for the ones before it to settle. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Each agent's progress together, agents in ORDER: the first unfinished agent's events go out as they
 * come; the others' wait until every agent before them finished, then go out at once.
 */
export class OrderedEvents {
  private buffers = new Map<string, UpEvent[]>();
  private finished = new Set<string>();
  private head = 0;

  constructor(
    private order: readonly string[],
    private emit: OnEvent,
  ) {}

  push(agent: string, event: UpEvent): void {
    if (this.order[this.head] === agent) this.emit(event);
    else this.buffers.set(agent, [...(this.buffers.get(agent) ?? []), event]);
  }

  finish(agent: string): void {
    this.finished.add(agent);
    while (this.head < this.order.length && this.finished.has(this.order[this.head]!)) {
      this.head += 1;
      const next = this.order[this.head];
      if (next === undefined) break;
      for (const e of this.buffers.get(next) ?? []) this.emit(e);
      this.buffers.delete(next);
    }
  }
}
