// Sidebar panes against a real tmux server on a private socket: made at their width before the
// program starts, kept at it when the window is resized, found with tty and size, written to.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionSidebars } from '../../src/tmux/index.js';
import { SEP } from '../../src/tmux/format.js';
import { sidebarsIn, writeTty } from '../../src/tmux/sidebars.js';
import { isolatedTmux, waitFor, type IsolatedTmux } from '../helpers/tmux.js';

let t: IsolatedTmux;
let cwd: string;

beforeAll(async () => {
  t = await isolatedTmux();
  cwd = path.join(t.dirs.scratch, 'sidebars');
  mkdirSync(cwd, { recursive: true });
  await t.tmux.newSession('anchor', 'w', { cwd, command: ['sleep', '300'] });
});
afterAll(async () => {
  await t?.kill();
});

describe('sidebar panes', () => {
  it('a window with a sidebar: at its left, its width, full height; found, written to, kept at its width', async () => {
    const session = await t.tmux.newSession('sb', 'dash', { cwd, command: ['sleep', '300'] });
    const w = await t.tmux.newWindow(session.sessionId, 'auth', { cwd, command: ['sleep', '300'], windowOptions: { '@treemux-agent': 'auth' } }, { sidebar: { width: 24 } });
    const layout = async () => (await t.run(['list-panes', '-t', w.windowId, '-F', '#{pane_left} #{pane_width} #{pane_height} #{@treemux-role} #{pane_id}'])).split('\n');
    const [left, right] = await layout();
    expect(left).toMatch(/^0 24 24 sidebar %\d+$/);
    expect(right).toContain(w.paneId);

    const sidebars = new SessionSidebars(t.tmux, 'sb');
    let changes = 0;
    sidebars.onChange(() => (changes += 1));
    try {
      const [pane, ...more] = await sidebars.panes();
      expect(more).toEqual([]);
      expect(pane).toMatchObject({ agent: 'auth', width: 24, height: 24 });
      expect(pane!.tty).toMatch(/^\/dev\//);

      expect(await sidebars.write(pane!, '\x1b[?25l\x1b[1;1Hpainted here\x1b[2;1Hsecond line')).toBe(true);
      await waitFor(async () => (await t.run(['capture-pane', '-p', '-t', pane!.paneId])).startsWith('painted here\nsecond line'), { what: 'the text in the sidebar' });

      // a larger window: tmux shares the columns out, the window's hook gives the sidebar its width back
      await t.run(['resize-window', '-t', w.windowId, '-x', '150', '-y', '40']);
      await waitFor(() => changes > 0, { what: 'a layout change noticed' });
      const [after] = await sidebars.panes();
      expect(after).toMatchObject({ paneId: pane!.paneId, width: 24, height: 40 });
    } finally {
      sidebars.close();
    }
  });

  it('keys typed into a sidebar show nothing and do not end it', async () => {
    const session = await t.tmux.newSession('sb-keys', 'dash', { cwd, command: ['sleep', '300'] });
    await t.tmux.newWindow(session.sessionId, 'a', { cwd, command: ['sleep', '300'], windowOptions: { '@treemux-agent': 'a' } }, { sidebar: { width: 20 } });
    const sidebars = new SessionSidebars(t.tmux, 'sb-keys');
    try {
      const [pane] = await waitFor(async () => {
        const found = await sidebars.panes();
        const ready = found[0] ? await t.run(['display-message', '-p', '-t', found[0].paneId, '#{pane_current_command}']) : '';
        return ready === 'cat' ? found : null;
      }, { what: 'the sidebar running cat' });
      await t.run(['send-keys', '-t', pane!.paneId, 'hello', 'Enter', 'C-c', 'C-z', 'C-d']);
      await sidebars.write(pane!, '\x1b[1;1Hmarker');
      await waitFor(async () => (await t.run(['capture-pane', '-p', '-t', pane!.paneId])).includes('marker'), { what: 'the marker' });
      expect(await t.run(['capture-pane', '-p', '-t', pane!.paneId])).not.toContain('hello');
      expect(await t.run(['display-message', '-p', '-t', pane!.paneId, '#{pane_dead} #{pane_current_command}'])).toBe('0 cat');
    } finally {
      sidebars.close();
    }
  });

  it('only sidebars that run the sidebar program (not an older treemux sidebar, not other panes)', () => {
    const row = (id: string, role: string, ours: string, dead = '0') => [id, `/dev/pts/${id.slice(1)}`, '32', '20', dead, role, 'a', ours].join(SEP);
    const out = [row('%1', 'sidebar', '1'), row('%2', 'sidebar', '0'), row('%3', 'agent', '1'), row('%4', 'sidebar', '1', '1')].join('\n');
    expect(sidebarsIn(out).map((p) => p.paneId)).toEqual(['%1']);
  });

  it('writes only to a terminal under /dev', async () => {
    expect(await writeTty('/etc/hostname', 'x')).toBe(false);
    expect(await writeTty('/dev/../etc/hostname', 'x')).toBe(false);
    expect(await writeTty('/dev/pts/999999', 'x')).toBe(false);
    expect(await writeTty('/dev/shm', 'x')).toBe(false);
  });

  it('a session that does not exist has no sidebars', async () => {
    const sidebars = new SessionSidebars(t.tmux, 'nowhere');
    expect(await sidebars.panes()).toEqual([]);
    sidebars.close();
  });
});
