// The Tmux client against a real tmux server on a private socket: ids, rows, options, dead panes.
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tmux, type PaneRow } from '../../src/tmux/index.js';
import { isolatedTmux, nudgeServer, paneDump, waitFor, type IsolatedTmux } from '../helpers/tmux.js';

let t: IsolatedTmux;
let cwd: string;
let n = 0;
/** A session name of its own per test, so tests on the shared server do not see each other. */
const sessionName = (base: string) => `${base}-${++n}`;
const SLEEP = ['sleep', '300'];

beforeAll(async () => {
  t = await isolatedTmux();
  cwd = path.join(t.dirs.scratch, 'client');
  mkdirSync(cwd, { recursive: true });
  // As with a real server, there is always some session (see errors.test.ts for a server without any).
  await t.tmux.newSession('anchor', 'w', { cwd, command: SLEEP });
});
afterAll(async () => {
  await t?.kill();
});

/** Polls until the pane is dead with an exit status (nudging tmux, see nudgeServer); gives its row. */
async function deadRow(sessionId: string, paneId: string, status: string): Promise<PaneRow> {
  return waitFor(
    async () => {
      const r = await paneRow(t.tmux, sessionId, paneId);
      if (r?.pane_dead === '1' && r.pane_dead_status === '') await nudgeServer(t);
      return r?.pane_dead === '1' && r.pane_dead_status === status ? r : null;
    },
    { what: `pane ${paneId} to be dead with status ${status}`, dump: paneDump(t, paneId) },
  );
}

async function paneRow(tmux: Tmux, sessionId: string, paneId: string): Promise<PaneRow | undefined> {
  return (await tmux.listPanes(sessionId)).find((r) => r.pane_id === paneId);
}

describe('isolation', () => {
  it('runs on a private socket under the temp TMUX_TMPDIR, without the outer tmux', async () => {
    expect(t.socket).toMatch(/^tmx-[0-9a-f]+$/);
    expect(process.env.TMUX).toBeUndefined();
    expect(process.env.TMUX_PANE).toBeUndefined();
    expect(process.env.TMUX_TMPDIR).toBe(t.dirs.tmuxTmpdir);
    expect(process.env.HOME).toBe(t.dirs.home);
    expect(existsSync(t.socketPath)).toBe(true);
    expect(t.tmux.serverArgs()).toEqual(['-L', t.socket]);
    const s = await t.tmux.newSession(sessionName('iso'), 'w', { cwd, command: SLEEP });
    expect(await t.tmux.socketPath(s.sessionId)).toBe(t.socketPath);
    expect(await t.run(['display-message', '-p', '#{pid}'])).toBe(String(t.serverPid));
    await t.tmux.killSession(s.sessionId);
  });

  it('reports the tmux version', async () => {
    expect(await t.tmux.version()).toMatch(/^\d+\.\d+/);
  });
});

describe('sessions, windows and panes', () => {
  it('newSession and newWindow return $N/@N/%N ids that listPanes reports, with names and our options', async () => {
    const name = sessionName('app');
    const s = await t.tmux.newSession(name, 'main', {
      cwd,
      command: SLEEP,
      windowOptions: { '@treemux-agent': 'agent-one' },
      paneOptions: { '@treemux-role': 'agent' },
    });
    expect(s.sessionId).toMatch(/^\$\d+$/);
    expect(s.windowId).toMatch(/^@\d+$/);
    expect(s.paneId).toMatch(/^%\d+$/);

    const w = await t.tmux.newWindow(s.sessionId, 'second', {
      cwd,
      command: SLEEP,
      windowOptions: { '@treemux-agent': 'agent-two' },
      paneOptions: { '@treemux-role': 'shell' },
    });
    expect(w.sessionId).toBe(s.sessionId);
    expect(w.windowId).toMatch(/^@\d+$/);
    expect(w.paneId).toMatch(/^%\d+$/);
    expect(w.windowId).not.toBe(s.windowId);
    expect(w.paneId).not.toBe(s.paneId);

    const rows = await t.tmux.listPanes(s.sessionId);
    expect(rows).toHaveLength(2);
    const first = rows.find((r) => r.pane_id === s.paneId);
    const second = rows.find((r) => r.pane_id === w.paneId);
    expect(first).toMatchObject({
      session_id: s.sessionId,
      window_id: s.windowId,
      window_name: 'main',
      window_index: '0',
      pane_index: '0',
      pane_dead: '0',
      '@treemux-agent': 'agent-one',
      '@treemux-role': 'agent',
    });
    expect(second).toMatchObject({
      session_id: s.sessionId,
      window_id: w.windowId,
      window_name: 'second',
      window_index: '1',
      pane_dead: '0',
      '@treemux-agent': 'agent-two',
      '@treemux-role': 'shell',
    });
    expect(Number(first?.pane_pid)).toBeGreaterThan(0);
    expect(Number(first?.window_activity)).toBeGreaterThan(0);
    // the real program replaced the placeholder (`sleep 300`, not `sleep 2147483647`)
    await waitFor(async () => (await paneRow(t.tmux, s.sessionId, s.paneId))?.pane_current_command === 'sleep', {
      what: 'sleep to run in the first pane',
      dump: paneDump(t, s.paneId),
    });
    const pid = (await paneRow(t.tmux, s.sessionId, s.paneId))?.pane_pid ?? '';
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)).toEqual(SLEEP);

    // new windows are created detached: the first window stays current
    expect(await t.run(['display-message', '-p', '-t', s.sessionId, '#{window_id}'])).toBe(s.windowId);

    const sessions = await t.tmux.listSessions();
    expect(sessions).toContainEqual({ id: s.sessionId, name, attached: false });
    expect(await t.tmux.findSession(name)).toEqual({ id: s.sessionId, name, attached: false });
    await t.tmux.killSession(s.sessionId);
    expect(await t.tmux.findSession(name)).toBeNull();
  });

  it('panes without our options give "" for them', async () => {
    const s = await t.tmux.newSession(sessionName('plain'), 'w', { cwd, command: SLEEP });
    const row = await paneRow(t.tmux, s.sessionId, s.paneId);
    expect(row?.['@treemux-agent']).toBe('');
    expect(row?.['@treemux-role']).toBe('');
    await t.tmux.killSession(s.sessionId);
  });

  it('option values and env values reach tmux verbatim (";", "\\;", formats)', async () => {
    const tricky = ['task;', 'a\\;', ';', '#{session_name}', '#(echo hi)', '-x', 'two words', ''];
    const s = await t.tmux.newSession(sessionName('opts'), 'w', {
      cwd,
      command: ['sh', '-c', 'printenv TREEMUX_V > "$0.tmp" && mv "$0.tmp" "$0"; exec sleep 300', path.join(cwd, 'env-out')],
      env: { TREEMUX_V: 'v;#{session_name}' },
      windowOptions: { '@treemux-agent': 'end;' },
      paneOptions: { '@treemux-role': '#{pane_id}' },
    });
    const row = await paneRow(t.tmux, s.sessionId, s.paneId);
    expect(row?.['@treemux-agent']).toBe('end;');
    expect(row?.['@treemux-role']).toBe('#{pane_id}');
    for (const [i, value] of tricky.entries()) {
      await t.tmux.setWindowOption(s.windowId, `@v${i}`, value);
      expect(await t.run(['show-options', '-w', '-v', '-t', s.windowId, `@v${i}`])).toBe(value);
    }
    await t.tmux.setSessionOption(s.sessionId, '@sv', 'x;');
    expect(await t.run(['show-options', '-v', '-t', s.sessionId, '@sv'])).toBe('x;');
    await t.tmux.setServerOption('@srv', 'a\\;');
    expect(await t.run(['show-options', '-s', '-v', '@srv'])).toBe('a\\;');
    const envOut = path.join(cwd, 'env-out');
    const got = await waitFor(() => existsSync(envOut) && readFileSync(envOut, 'utf8'), {
      what: 'the pane to write its environment',
      dump: paneDump(t, s.paneId),
    });
    expect(got).toBe('v;#{session_name}\n');
    await t.tmux.killSession(s.sessionId);
  });

  it('runs a one-word command directly, even with spaces and "#" in its path', async () => {
    const dir = path.join(cwd, 'bin dir #1');
    mkdirSync(dir, { recursive: true });
    const script = path.join(dir, 'my script');
    const out = path.join(cwd, 'one-word-out');
    writeFileSync(script, `#!/bin/sh\necho "ran:$PWD" > '${out}.tmp' && mv '${out}.tmp' '${out}'\nexec sleep 300\n`);
    chmodSync(script, 0o755);
    const s = await t.tmux.newSession(sessionName('oneword'), 'w', { cwd: dir, command: [script] });
    const got = await waitFor(() => existsSync(out) && readFileSync(out, 'utf8'), {
      what: 'the one-word command to run',
      dump: paneDump(t, s.paneId),
    });
    expect(got).toBe(`ran:${dir}\n`);
    await t.tmux.killSession(s.sessionId);
  });

  it('a program that exits at once leaves a dead pane with its exit status', async () => {
    const s = await t.tmux.newSession(sessionName('dead'), 'main', { cwd, command: SLEEP });
    const w = await t.tmux.newWindow(s.sessionId, 'quick', { cwd, command: ['sh', '-c', 'exit 3'] });
    const row = await deadRow(s.sessionId, w.paneId, '3');
    expect(row).toMatchObject({ window_id: w.windowId, window_name: 'quick', pane_dead: '1', pane_dead_status: '3' });

    // the first window of a session too
    const s2 = await t.tmux.newSession(sessionName('dead-first'), 'only', { cwd, command: ['sh', '-c', 'exit 3'] });
    await deadRow(s2.sessionId, s2.paneId, '3');
    await t.tmux.killSession(s.sessionId);
    await t.tmux.killSession(s2.sessionId);
  });

  it('remainOnExit: false lets the window close when its program ends', async () => {
    const s = await t.tmux.newSession(sessionName('noremain'), 'main', { cwd, command: SLEEP });
    const w = await t.tmux.newWindow(s.sessionId, 'gone', { cwd, command: ['sh', '-c', 'exit 0'], remainOnExit: false });
    await waitFor(async () => !(await t.tmux.listPanes(s.sessionId)).some((r) => r.window_id === w.windowId), {
      what: 'the window to close',
      dump: paneDump(t, s.paneId),
    });
    expect(await t.run(['show-options', '-w', '-v', '-t', s.windowId, 'remain-on-exit'])).toBe('on');
    await t.tmux.killSession(s.sessionId);
  });

  it('respawnPane restarts a dead pane with a new program', async () => {
    const s = await t.tmux.newSession(sessionName('respawn'), 'w', { cwd, command: ['sh', '-c', 'exit 7'] });
    await deadRow(s.sessionId, s.paneId, '7');
    await t.tmux.respawnPane(s.paneId, {
      cwd,
      command: ['sh', '-c', 'echo "respawned in $PWD as $TREEMUX_X"; exec sleep 300'],
      env: { TREEMUX_X: 'x;y' },
    });
    await waitFor(async () => (await t.tmux.capturePane(s.paneId)).includes(`respawned in ${cwd} as x;y`), {
      what: 'the respawned program to print',
      dump: paneDump(t, s.paneId),
    });
    const row = await paneRow(t.tmux, s.sessionId, s.paneId);
    expect(row?.pane_dead).toBe('0');
    expect(row?.window_id).toBe(s.windowId);

    // a live pane is restarted too (-k)
    const before = row?.pane_pid;
    await t.tmux.respawnPane(s.paneId, { cwd, command: ['sh', '-c', 'echo second run; exec sleep 300'] });
    await waitFor(async () => (await t.tmux.capturePane(s.paneId)).includes('second run'), {
      what: 'the second program to print',
      dump: paneDump(t, s.paneId),
    });
    expect((await paneRow(t.tmux, s.sessionId, s.paneId))?.pane_pid).not.toBe(before);
    await t.tmux.killSession(s.sessionId);
  });

  it('capturePane returns the screen text', async () => {
    const s = await t.tmux.newSession(sessionName('capture'), 'w', {
      cwd,
      command: ['sh', '-c', 'printf "line one\\nline two\\n"; exec sleep 300'],
    });
    const screen = await waitFor(
      async () => {
        const text = await t.tmux.capturePane(s.paneId);
        return text.includes('line two') ? text : null;
      },
      { what: 'the two lines on screen', dump: paneDump(t, s.paneId) },
    );
    expect(screen.split('\n').slice(0, 2)).toEqual(['line one', 'line two']);
    await t.tmux.killSession(s.sessionId);
  });

  it('killWindow removes a window and does not throw when it is already gone', async () => {
    const s = await t.tmux.newSession(sessionName('killw'), 'main', { cwd, command: SLEEP });
    const w = await t.tmux.newWindow(s.sessionId, 'doomed', { cwd, command: SLEEP });
    await t.tmux.killWindow(w.windowId);
    expect((await t.tmux.listPanes(s.sessionId)).map((r) => r.window_id)).toEqual([s.windowId]);
    await expect(t.tmux.killWindow(w.windowId)).resolves.toBeUndefined();
    await expect(t.tmux.killWindow('@999999')).resolves.toBeUndefined();
    await t.tmux.killSession(s.sessionId);
    // the session (and so the window) is gone now
    await expect(t.tmux.killWindow(s.windowId)).resolves.toBeUndefined();
    await expect(t.tmux.killSession(s.sessionId)).resolves.toBeUndefined();
    expect(await t.tmux.listPanes(s.sessionId)).toEqual([]);
  });

  it('selectWindow makes a window current', async () => {
    const s = await t.tmux.newSession(sessionName('select'), 'main', { cwd, command: SLEEP });
    const w = await t.tmux.newWindow(s.sessionId, 'other', { cwd, command: SLEEP });
    await t.tmux.selectWindow(w.windowId);
    expect(await t.run(['display-message', '-p', '-t', s.sessionId, '#{window_id}'])).toBe(w.windowId);
    await t.tmux.killSession(s.sessionId);
  });

  it('findSession matches exact names only', async () => {
    const s2 = await t.tmux.newSession('app-2', 'w', { cwd, command: SLEEP });
    expect(await t.tmux.findSession('app')).toBeNull();
    expect(await t.tmux.findSession('app-')).toBeNull();
    expect((await t.tmux.findSession('app-2'))?.id).toBe(s2.sessionId);
    const s = await t.tmux.newSession('app', 'w', { cwd, command: SLEEP });
    expect((await t.tmux.findSession('app'))?.id).toBe(s.sessionId);
    expect((await t.tmux.findSession('app-2'))?.id).toBe(s2.sessionId);
    await t.tmux.killSession(s.sessionId);
    await t.tmux.killSession(s2.sessionId);
  });

  it('show() without a terminal and outside tmux reports no-terminal; attachHint names the socket', async () => {
    const s = await t.tmux.newSession(sessionName('show'), 'w', { cwd, command: SLEEP });
    expect(await t.tmux.show(s.sessionId, s.windowId, { isTTY: false })).toBe('no-terminal');
    expect(t.tmux.attachHint('my-app')).toBe(`tmux -L ${t.socket} attach -t my-app`);
    expect(new Tmux().attachHint('x')).toBe('tmux attach -t x');
    await t.tmux.killSession(s.sessionId);
  });
});
