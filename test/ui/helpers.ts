// Fakes for the UI tests: an in-memory Source you can push snapshots to, Actions that record their
// calls, agent rows, key sequences, and `until`, which polls the rendered frame (no fixed sleeps).
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';
import type { Actions, AgentRow, Snapshot, Source } from '../../src/ui/model.js';

export function row(name: string, index: number, over: Partial<AgentRow> = {}): AgentRow {
  return {
    name,
    index,
    status: 'idle',
    created: true,
    mode: 'interactive',
    ok: null,
    costUsd: null,
    since: Date.now() - 4 * 60_000,
    branch: `feature/${name}`,
    base: 'main',
    ports: { web: 3000 + index, api: 4000 + index },
    database: `shop_dev_${name}`,
    lastLine: `${name} last line`,
    worktree: `/src/shop-${name}`,
    task: `Task of ${name}.`,
    changedFiles: 3,
    hasWindow: true,
    exitCode: null,
    ...over,
  };
}

export class FakeSource implements Source {
  private listeners = new Set<(s: Snapshot) => void>();
  snapshot: Snapshot;

  constructor(agents: AgentRow[], project = 'shop') {
    this.snapshot = { project, session: project, agents, at: Date.now() };
  }
  current(): Snapshot {
    return this.snapshot;
  }
  subscribe(listener: (s: Snapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  push(agents: AgentRow[]): void {
    this.snapshot = { ...this.snapshot, agents, at: Date.now() };
    for (const l of this.listeners) l(this.snapshot);
  }
}

export type Call = [method: string, ...args: unknown[]];

export interface FakeActions extends Actions {
  calls: Call[];
  /** what removalBlocker answers */
  blocker: string | null;
  logLines: string[];
  /** what the message-returning actions answer */
  reply: string | null;
  /** the screen reads asked for (pane, lines), apart from `calls` */
  screens: [pane: string, lines: number][];
  /** what screen answers for a pane (default: nothing on it) */
  screenOf: (pane: string, lines: number) => string[] | Promise<string[]>;
}

export function fakeActions(): FakeActions {
  const a: FakeActions = {
    calls: [],
    blocker: null,
    logLines: [],
    reply: null,
    screens: [],
    screenOf: () => [],
    screen: async (pane, lines) => (a.screens.push([pane, lines]), a.screenOf(pane, lines)),
    jump: async (name) => (a.calls.push(['jump', name]), a.reply),
    send: async (name, text) => (a.calls.push(['send', name, text]), a.reply),
    sendAll: async (text) => (a.calls.push(['sendAll', text]), a.reply),
    add: async (name, task) => (a.calls.push(['add', name, task]), a.reply),
    removalBlocker: async (name) => (a.calls.push(['removalBlocker', name]), a.blocker),
    remove: async (name, force) => (a.calls.push(['remove', name, force]), a.reply),
    restart: async (name) => (a.calls.push(['restart', name]), a.reply),
    log: async (name, lines) => (a.calls.push(['log', name, lines]), a.logLines),
    quit: () => {
      a.calls.push(['quit']);
    },
  };
  return a;
}

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  enter: '\r',
  esc: '\x1b',
  backspace: '\x7f',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
} as const;

/** Poll until `cond` holds (each poll lets Ink and React run); throws with `describe()` on timeout. */
export async function until(cond: () => boolean, describe: () => string = () => '', timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms\n${describe()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}


/** Render, wait until Ink listens to stdin, and return the frame and key helpers. */
export async function mount(tree: ReactElement) {
  const r = render(tree);
  const frame = () => r.lastFrame() ?? '';
  await until(() => r.stdin.listenerCount('readable') > 0 && frame() !== '', frame);
  return {
    ...r,
    frame,
    press: (keys: string) => r.stdin.write(keys),
    /** wait until the frame shows `text` */
    sees: (text: string) => until(() => frame().includes(text), frame),
    /** wait until the frame no longer shows `text` */
    gone: (text: string) => until(() => !frame().includes(text), frame),
    /** the frame's line that contains `text` */
    line: (text: string) => frame().split('\n').find((l) => l.includes(text)) ?? '',
    /** make the fake terminal `columns` wide (and `rows` high) and tell Ink */
    resize: (columns: number, rows?: number) => {
      Object.defineProperty(r.stdout, 'columns', { get: () => columns, configurable: true });
      if (rows !== undefined) Object.defineProperty(r.stdout, 'rows', { get: () => rows, configurable: true });
      r.stdout.emit('resize');
    },
  };
}
