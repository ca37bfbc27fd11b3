// Sidebars that cost nothing, on a real tmux server: no treemux process per sidebar (the dashboard
// paints them), each lists every agent with its port and its own agent's branch, keeps its width when
// a 200×50 client attaches, follows status changes, and is painted again at its new size.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';
import { runOnPty, type Screen } from '../helpers/pty.js';

const WIDTH = 30;
const AGENTS = ['a1', 'a2', 'a3', 'a4'];

/** treemux node processes of this world (its socket in their environment), by command. */
function treemuxProcesses(socket: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf(BIN);
      if (i < 0) continue;
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`TREEMUX_SOCKET=${socket}`)) continue;
      found.push(argv[i + 1] ?? '');
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found.sort();
}

describe('sidebars painted by the dashboard', () => {
  let w: World;
  let client: Screen | undefined;
  let ports: Record<string, number> = {};

  const tmux = (args: string[]) => w.tmux(args).trim();
  const sidebarOf = (window: string) => tmux(['list-panes', '-t', `app:${window}`, '-F', '#{@treemux-role} #{pane_id}']).split('\n').find((l) => l.startsWith('sidebar '))!.split(' ')[1]!;
  const sidebarText = (window: string) => w.tmux(['capture-pane', '-p', '-t', sidebarOf(window)]);
  const sizeOf = (target: string, what: 'pane' | 'window') => tmux(['display-message', '-p', '-t', target, `#{${what}_width}x#{${what}_height}`]).split('x').map(Number) as [number, number];
  const seen = (window: string) => () => `window ${sizeOf(`app:${window}`, 'window').join('x')}, sidebar ${sizeOf(sidebarOf(window), 'pane').join('x')}:\n${sidebarText(window)}`;

  beforeAll(async () => {
    w = makeWorld();
    makeAppRepo(w);
    const port = 21000 + Math.floor(Math.random() * 20000);
    const agents = AGENTS.map((n) => `  - { name: ${n}, task: task-${n} }`).join('\n');
    w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nports: { web: ${port} }\nsidebar: { width: ${WIDTH} }\nagents:\n${agents}\n`);
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
    const listed = JSON.parse((await w.tm(['ls', '--json'])).stdout).agents as { name: string; ports: Record<string, number> }[];
    ports = Object.fromEntries(listed.map((a) => [a.name, a.ports.web!]));
  });
  afterAll(async () => {
    client?.kill();
    await w.tm(['down', '--force']);
    w.cleanup();
  });

  it('no treemux process runs in a sidebar: the dashboard is the only one', async () => {
    const rows = tmux(['list-panes', '-s', '-t', 'app', '-F', '#{@treemux-role}\t#{pane_current_command}\t#{pane_start_command}']).split('\n').map((l) => l.split('\t'));
    const sidebars = rows.filter(([role]) => role === 'sidebar');
    expect(sidebars).toHaveLength(AGENTS.length);
    for (const [, current, start] of sidebars) {
      expect(start).not.toContain('treemux');
      expect(current).toBe('cat');
    }
    await waitFor(() => treemuxProcesses(w.socket).join(' ') === 'dash', 'only the dashboard', () => treemuxProcesses(w.socket).join(' '));
  });

  it('a 200×50 client: the window takes its size, the sidebar keeps its width and lists every agent with its port, its own with its branch', async () => {
    const env = { ...w.env };
    delete env.TMUX;
    client = runOnPty('tmux', ['-L', w.socket, 'attach', '-t', 'app:a3'], { cwd: w.repo, env, cols: 200, rows: 50 });
    await waitFor(() => sizeOf('app:a3', 'window')[0] >= 150, 'the window at the client size', seen('a3'));
    await waitFor(() => sizeOf(sidebarOf('a3'), 'pane')[0] === WIDTH && sizeOf(sidebarOf('a3'), 'pane')[1] >= 45, `the sidebar ${WIDTH} wide, the window's height`, seen('a3'));
    const complete = () => {
      const text = sidebarText('a3');
      return AGENTS.every((n) => new RegExp(`\\b${n} :${ports[n]}\\b`).test(text)) && text.includes('feature/a3') && /▸3 /.test(text);
    };
    await waitFor(complete, 'every agent with its port, and a3 with its branch', seen('a3'));
    expect(Math.max(...sidebarText('a3').split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(WIDTH);
    // the last lines (the stand-in agent's last is `argc:1`): its own, and the others' (there is room at 49 rows)
    await waitFor(() => sidebarText('a3').split('\n').filter((l) => l.trim() === 'argc:1').length === AGENTS.length, 'the last lines', seen('a3'));
  });

  it('another window, shown to the client: resized then, its sidebar kept narrow and painted for its agent', async () => {
    tmux(['select-window', '-t', 'app:a1']);
    await waitFor(() => sizeOf('app:a1', 'window')[0] >= 150 && sizeOf(sidebarOf('a1'), 'pane')[0] === WIDTH, 'a1 at the client size, its sidebar narrow', seen('a1'));
    await waitFor(() => sidebarText('a1').includes('feature/a1') && /▸1 /.test(sidebarText('a1')), 'a1 its own agent', seen('a1'));
    tmux(['select-window', '-t', 'app:a3']);
  });

  it('follows a status change', async () => {
    expect(sidebarText('a3')).not.toMatch(/2 ✗ a2/);
    await w.tm(['send', 'a2', 'exit 3']);
    await waitFor(() => /2 ✗ a2/.test(sidebarText('a3')) && /2 ✗ a2/.test(sidebarText('a4')), 'a2 exited in the sidebars', seen('a3'));
  });

  it('a smaller client: painted again at the new size (scrolled around its own agent), still its width', async () => {
    client!.resize(120, 6);
    await waitFor(() => sizeOf('app:a3', 'window')[1] <= 6, 'the window at the new size', seen('a3'));
    await waitFor(() => /[↑↓] \d+ more/.test(sidebarText('a3')) && sidebarText('a3').includes('▸3'), 'the sidebar scrolled to fit 5 rows', seen('a3'));
    expect(sizeOf(sidebarOf('a3'), 'pane')[0]).toBe(WIDTH);
    client!.resize(200, 50);
    await waitFor(() => !/more/.test(sidebarText('a3')) && sidebarText('a3').includes('feature/a3'), 'all agents again', seen('a3'));
  });

  it('keys typed in a sidebar are neither shown nor able to end it', async () => {
    const pane = sidebarOf('a4');
    tmux(['send-keys', '-t', pane, 'typed-into-sidebar', 'Enter', 'C-c', 'C-d', 'C-z']);
    await w.tm(['send', 'a4', 'still-here']); // news that repaints the sidebars
    await waitFor(() => /4 . a4/.test(sidebarText('a4')) && !sidebarText('a4').includes('typed-into-sidebar'), 'a4 painted without the keys', seen('a4'));
    expect(tmux(['display-message', '-p', '-t', pane, '#{pane_dead} #{pane_current_command}'])).toBe('0 cat');
  });
});
