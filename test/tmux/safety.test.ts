// Text from users and agents reaches programs verbatim: through argv (never a shell, never tmux's
// command parser or format expansion) and through sendText (a paste buffer, never send-keys words).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isolatedTmux, paneDump, waitFor, type IsolatedTmux } from '../helpers/tmux.js';

let t: IsolatedTmux;
let sessionId: string;
let base: string;
let cwd: string;
let n = 0;

beforeAll(async () => {
  t = await isolatedTmux();
  base = path.join(t.dirs.scratch, 'safety');
  mkdirSync(base, { recursive: true });
  const s = await t.tmux.newSession('safety', 'main', { cwd: base, command: ['sleep', '300'] });
  sessionId = s.sessionId;
});
afterAll(async () => {
  await t?.kill();
});
beforeEach(() => {
  cwd = path.join(base, `case-${++n}`);
  mkdirSync(cwd);
});

/** Every place a relative `touch pwned` could have landed: the pane's cwd, HOME, ours, the scratch root. */
function pwnedFiles(): string[] {
  const dirs = [cwd, base, t.dirs.scratch, t.dirs.home, t.dirs.root, process.cwd()];
  const names = ['pwned', 'pwned2', 'pwned3', 'pwned4'];
  return dirs.flatMap((d) => names.map((f) => path.join(d, f))).filter((f) => existsSync(f));
}

const TRICKY = [
  'task;',
  'a\\;',
  ';',
  '\\;',
  '$(touch pwned)',
  '`touch pwned3`',
  '#{session_name}',
  '#(touch pwned2)',
  '#S #W #D ##',
  `"quotes' and`,
  'first line\nsecond line',
  '-e',
  '--',
  '',
  '  spaced  ',
  '{ a; b }',
  '%1',
  '*?[x]~',
];

describe('argument safety', () => {
  it('a window program receives tricky arguments verbatim and nothing is executed', async () => {
    const out = path.join(cwd, 'args.bin');
    const w = await t.tmux.newWindow(sessionId, 'args', {
      cwd,
      command: [
        'sh',
        '-c',
        'out=$1; shift; printf "%s\\0" "$@" > "$out.tmp" && mv "$out.tmp" "$out"; printf "[%s]\\n" "$@"; exec sleep 300',
        'sh',
        out,
        ...TRICKY,
      ],
    });
    const got = await waitFor(() => existsSync(out) && readFileSync(out, 'utf8'), {
      what: 'the program to write its arguments',
      dump: paneDump(t, w.paneId),
    });
    expect(got.split('\0').slice(0, -1)).toEqual(TRICKY);
    const screen = await waitFor(
      async () => {
        const text = await t.tmux.capturePane(w.paneId);
        return text.includes('[*?[x]~]') ? text : null;
      },
      { what: 'the arguments on screen', dump: paneDump(t, w.paneId) },
    );
    expect(screen).toContain('[task;]');
    expect(screen).toContain('[a\\;]');
    expect(screen).toContain('[#{session_name}]');
    expect(screen).toContain('[#(touch pwned2)]');
    expect(screen).toContain(`["quotes' and]`);
    expect(screen).toContain('[first line\nsecond line]');
    expect(pwnedFiles()).toEqual([]);
    await t.tmux.killWindow(w.windowId);
  });

  it('the same holds for newSession and respawnPane', async () => {
    const out = path.join(cwd, 'args.bin');
    const program = (file: string) => [
      'sh',
      '-c',
      'out=$1; shift; printf "%s\\0" "$@" > "$out.tmp" && mv "$out.tmp" "$out"; exec sleep 300',
      'sh',
      file,
      ...TRICKY,
    ];
    const s = await t.tmux.newSession('safety-new', 'w', { cwd, command: program(out) });
    const got = await waitFor(() => existsSync(out) && readFileSync(out, 'utf8'), {
      what: 'the first program to write its arguments',
      dump: paneDump(t, s.paneId),
    });
    expect(got.split('\0').slice(0, -1)).toEqual(TRICKY);

    const out2 = path.join(cwd, 'args2.bin');
    await t.tmux.respawnPane(s.paneId, { cwd, command: program(out2) });
    const got2 = await waitFor(() => existsSync(out2) && readFileSync(out2, 'utf8'), {
      what: 'the respawned program to write its arguments',
      dump: paneDump(t, s.paneId),
    });
    expect(got2.split('\0').slice(0, -1)).toEqual(TRICKY);
    expect(pwnedFiles()).toEqual([]);
    await t.tmux.killSession(s.sessionId);
  });

  it('a working directory containing "#" (and other odd characters) is used as is', async () => {
    const odd = path.join(cwd, 'dir #1 #{session_name} #(touch pwned2); $(touch pwned)');
    mkdirSync(odd);
    const out = path.join(cwd, 'pwd.txt');
    const program = ['sh', '-c', 'pwd > "$1.tmp" && mv "$1.tmp" "$1"; exec sleep 300', 'sh', out];
    const w = await t.tmux.newWindow(sessionId, 'cwd', { cwd: odd, command: program });
    const got = await waitFor(() => existsSync(out) && readFileSync(out, 'utf8'), {
      what: 'the program to write its cwd',
      dump: paneDump(t, w.paneId),
    });
    expect(got).toBe(`${odd}\n`);
    rmSync(out);

    const s = await t.tmux.newSession('safety-cwd', 'w', { cwd: odd, command: program });
    expect(await waitFor(() => existsSync(out) && readFileSync(out, 'utf8'), { what: 'newSession cwd', dump: paneDump(t, s.paneId) })).toBe(`${odd}\n`);
    rmSync(out);

    await t.tmux.respawnPane(w.paneId, { cwd: odd, command: program });
    expect(await waitFor(() => existsSync(out) && readFileSync(out, 'utf8'), { what: 'respawnPane cwd', dump: paneDump(t, w.paneId) })).toBe(`${odd}\n`);
    expect(pwnedFiles()).toEqual([]);
    await t.tmux.killWindow(w.windowId);
    await t.tmux.killSession(s.sessionId);
  });

  it('plain window names are kept', async () => {
    const w = await t.tmux.newWindow(sessionId, 'agent-1 fix; the bug', { cwd, command: ['sleep', '300'] });
    const row = (await t.tmux.listPanes(sessionId)).find((r) => r.window_id === w.windowId);
    expect(row?.window_name).toBe('agent-1 fix; the bug');
    await t.tmux.killWindow(w.windowId);
  });

  // BUG(src/tmux): tmux format-expands `new-session -s`, `new-session -n` and `new-window -n`, and the
  // client passes names unescaped, so `#{…}` is replaced and `#(…)` RUNS A SHELL COMMAND. These tests
  // state the correct behaviour; they are marked `fails` until names are escaped like cwdArg does.
  it('a window name with "#" is kept verbatim', async () => {
    const name = 'w #{session_name} ##';
    const w = await t.tmux.newWindow(sessionId, name, { cwd, command: ['sleep', '300'] });
    try {
      const row = (await t.tmux.listPanes(sessionId)).find((r) => r.window_id === w.windowId);
      expect(row?.window_name).toBe(name); // tmux 3.3a gives 'w safety #'
    } finally {
      await t.tmux.killWindow(w.windowId);
    }
  });

  it('a session name with "#" is kept verbatim', async () => {
    const name = 'team #{session_id}';
    const s = await t.tmux.newSession(name, 'w', { cwd, command: ['sleep', '300'] });
    try {
      expect((await t.tmux.listSessions()).find((x) => x.id === s.sessionId)?.name).toBe(name); // tmux 3.3a gives 'team '
    } finally {
      await t.tmux.killSession(s.sessionId);
    }
  });

  it('the first window name given to newSession with "#" is kept verbatim', async () => {
    const s = await t.tmux.newSession('first-window', 'w #{session_name}', { cwd, command: ['sleep', '300'] });
    try {
      expect((await t.tmux.listPanes(s.sessionId))[0]?.window_name).toBe('w #{session_name}'); // gives 'w first-window'
    } finally {
      await t.tmux.killSession(s.sessionId);
    }
  });
});

describe('sendText', () => {
  /** A pane whose program appends every line it reads, bracketed, to a log file (and the screen). */
  async function reader(): Promise<{ paneId: string; windowId: string; lines: () => string[] }> {
    const log = path.join(cwd, 'got.log');
    const ready = path.join(cwd, 'ready');
    const w = await t.tmux.newWindow(sessionId, 'reader', {
      cwd,
      command: [
        'bash',
        '-c',
        ': > "$1"; touch "$2"; while IFS= read -r l; do printf "got:[%s]\\n" "$l" | tee -a "$1"; done',
        'bash',
        log,
        ready,
      ],
    });
    await waitFor(() => existsSync(ready), { what: 'the reader to start', dump: paneDump(t, w.paneId) });
    return {
      ...w,
      lines: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    };
  }

  it('types each text verbatim and presses Enter; nothing is executed', async () => {
    const r = await reader();
    const texts = [
      'hello world',
      'ends with;',
      'ends with escaped\\;',
      ';',
      '$(touch pwned) and `touch pwned3`',
      `"double" and 'single' quotes`,
      '#{session_name} #(touch pwned2)',
      'Enter C-c',
      '  leading and trailing  ',
    ];
    for (const [i, text] of texts.entries()) {
      await t.tmux.sendText(r.paneId, text);
      await waitFor(() => r.lines().length === i + 1, {
        what: `line ${i + 1} (${JSON.stringify(text)}) to arrive`,
        dump: paneDump(t, r.paneId),
      });
    }
    expect(r.lines()).toEqual(texts.map((x) => `got:[${x}]`));
    expect(await t.tmux.capturePane(r.paneId)).toContain('got:[hello world]');
    expect(pwnedFiles()).toEqual([]);
    // the private paste buffers are deleted by the paste
    expect(await t.run(['list-buffers', '-F', '#{buffer_name}'])).toBe('');
    await t.tmux.killWindow(r.windowId);
  });

  it('a text with a newline arrives as two lines', async () => {
    const r = await reader();
    await t.tmux.sendText(r.paneId, 'first $(touch pwned)\nsecond;');
    await waitFor(() => r.lines().length >= 2, { what: 'two lines to arrive', dump: paneDump(t, r.paneId) });
    expect(r.lines()).toEqual(['got:[first $(touch pwned)]', 'got:[second;]']);
    expect(pwnedFiles()).toEqual([]);
    await t.tmux.killWindow(r.windowId);
  });

  it('enter: false types without pressing Enter; an empty text just presses Enter', async () => {
    const r = await reader();
    await t.tmux.sendText(r.paneId, 'part one, ', { enter: false });
    await t.tmux.sendText(r.paneId, 'part two');
    await waitFor(() => r.lines().length === 1, { what: 'the joined line', dump: paneDump(t, r.paneId) });
    await t.tmux.sendText(r.paneId, '');
    await waitFor(() => r.lines().length === 2, { what: 'the empty line', dump: paneDump(t, r.paneId) });
    expect(r.lines()).toEqual(['got:[part one, part two]', 'got:[]']);
    await t.tmux.killWindow(r.windowId);
  });

  it('pastes bracketed when the program asked for it, so a multi-line text arrives whole, then Enter', async () => {
    const out = path.join(cwd, 'raw.bin');
    const text = 'line 1; $(x)\nline 2';
    const expected = `\x1b[200~${text.replace('\n', '\r')}\x1b[201~\r`;
    const w = await t.tmux.newWindow(sessionId, 'raw', {
      cwd,
      command: [
        'sh',
        '-c',
        // raw mode: bytes arrive as sent (no CR→NL); READY on screen means tmux has seen the ?2004h before it
        'stty raw -echo; printf "\\033[?2004hREADY"; head -c "$2" > "$1.tmp" && mv "$1.tmp" "$1"; exec sleep 300',
        'sh',
        out,
        String(Buffer.byteLength(expected)),
      ],
    });
    await waitFor(async () => (await t.tmux.capturePane(w.paneId)).includes('READY'), {
      what: 'the raw reader to start',
      dump: paneDump(t, w.paneId),
    });
    await t.tmux.sendText(w.paneId, text);
    const got = await waitFor(() => existsSync(out) && readFileSync(out, 'latin1'), {
      what: 'the raw bytes to arrive',
      dump: paneDump(t, w.paneId),
    });
    expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
    await t.tmux.killWindow(w.windowId);
  });

  it('works with cat too (the text shows on screen once echoed and once printed)', async () => {
    const w = await t.tmux.newWindow(sessionId, 'cat', { cwd, command: ['cat'] });
    await waitFor(async () => (await t.tmux.listPanes(sessionId)).find((x) => x.pane_id === w.paneId)?.pane_current_command === 'cat', {
      what: 'cat to run',
      dump: paneDump(t, w.paneId),
    });
    const text = `say "hi"; $(touch pwned) 'q' #{pane_id};`;
    await t.tmux.sendText(w.paneId, text);
    await waitFor(async () => (await t.tmux.capturePane(w.paneId)).split('\n').filter((l) => l === text).length === 2, {
      what: 'the text echoed and printed by cat',
      dump: paneDump(t, w.paneId),
    });
    expect(pwnedFiles()).toEqual([]);
    await t.tmux.killWindow(w.windowId);
  });
});
