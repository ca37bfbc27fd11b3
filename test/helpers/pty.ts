// A program on a pseudo-terminal whose screen is rendered by a headless xterm, so tests read what a
// person would see (not raw bytes) and type keys into it.
import xterm from '@xterm/headless';
import * as pty from '@lydell/node-pty';

export interface Screen {
  /** the rendered screen, one string per row, right-trimmed */
  lines(): string[];
  text(): string;
  write(data: string): void;
  /** the terminal changes size (as when its window is resized) */
  resize(cols: number, rows: number): void;
  waitFor(predicate: (text: string) => boolean, what: string, timeoutMs?: number): Promise<void>;
  exited: Promise<number>;
  kill(): void;
}

export const KEYS = { up: '\x1b[A', down: '\x1b[B', enter: '\r', esc: '\x1b' } as const;

export function runOnPty(file: string, args: string[], opts: { cwd: string; env: Record<string, string>; cols?: number; rows?: number }): Screen {
  const cols = opts.cols ?? 160;
  const rows = opts.rows ?? 40;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  const proc = pty.spawn(file, args, { name: 'xterm-256color', cols, rows, cwd: opts.cwd, env: opts.env });
  proc.onData((d) => term.write(d));
  const exited = new Promise<number>((resolve) => proc.onExit(({ exitCode }) => resolve(exitCode)));
  const lines = () => {
    const buf = term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < term.rows; i++) out.push(buf.getLine(buf.viewportY + i)?.translateToString(true) ?? '');
    return out;
  };
  const text = () => lines().join('\n');
  return {
    lines,
    text,
    write: (data) => proc.write(data),
    resize: (c, r) => {
      term.resize(c, r);
      proc.resize(c, r);
    },
    async waitFor(predicate, what, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        // let xterm finish parsing what arrived
        await new Promise<void>((r) => term.write('', () => r()));
        if (predicate(text())) return;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen:\n${text()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited,
    kill: () => {
      try {
        proc.kill();
      } catch {
        // already gone
      }
    },
  };
}
