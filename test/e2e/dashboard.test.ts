// The dashboard as a person uses it: on a pseudo-terminal, read through a headless xterm, with keys
// typed; a jump observed in tmux; the sidebar in every agent window; status and last lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';
import { KEYS, runOnPty, type Screen } from '../helpers/pty.js';

interface Agent {
  name: string;
  status: string;
  lastLine: string;
}

describe('dashboard and sidebar', () => {
  let w: World;
  let dash: Screen | undefined;
  let client: ChildProcess | undefined;
  const ls = async () => JSON.parse((await w.tm(['ls', '--json'])).stdout).agents as Agent[];
  const agent = async (name: string) => (await ls()).find((a) => a.name === name)!;

  beforeAll(async () => {
    w = makeWorld();
    makeAppRepo(w);
    const port = 21000 + Math.floor(Math.random() * 20000);
    const agents = ['a1', 'a2', 'a3', 'a4', 'a5'].map((n) => `  - { name: ${n}, task: task-${n} }`).join('\n');
    w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nports: { web: ${port} }\nsidebar: true\nagents:\n${agents}\n`);
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    dash?.kill();
    client?.kill();
    await w.tm(['down', '--force']);
    w.cleanup();
  });

  it('every agent window has a sidebar listing the other agents, its own marked', async () => {
    const panes = w.tmux(['list-panes', '-t', 'app:a3', '-F', '#{@treemux-role}']).split('\n').filter(Boolean);
    expect(panes.sort()).toEqual(['agent', 'sidebar']);
    await waitFor(() => ['a1', 'a2', 'a4', 'a5'].every((n) => w.screen('app:a3').includes(n)), 'the sidebar lists the agents', () => w.screen('app:a3'));
  });

  it('ls --json has the last line, and an agent that ends is exited', async () => {
    await w.tm(['send', 'a4', 'marker-xyz']);
    await waitFor(async () => (await agent('a4')).lastLine.includes('marker-xyz'), 'a4 last line', () => w.screen('app:a4'));
    await w.tm(['send', 'a5', 'exit']);
    await waitFor(async () => (await agent('a5')).status === 'exited', 'a5 exited', () => w.screen('app:a5'));
    await waitFor(async () => (await agent('a1')).status === 'idle', 'a1 idle once quiet', () => JSON.stringify(ls()), 15_000);
  });

  it('the dashboard lists agents with status, branch, port and last line', async () => {
    const env = { ...w.env };
    delete env.TMUX;
    dash = runOnPty(process.execPath, [BIN, 'dash'], { cwd: w.repo, env });
    await dash.waitFor((t) => ['a1', 'a5', 'feature/a2', 'marker-xyz', 'exited'].every((s) => t.includes(s)), 'the dashboard rows');
  });

  it('Enter moves the attached client to the selected agent', async () => {
    client = spawn('script', ['-qfc', `tmux -L ${w.socket} attach -t app:a1`, '/dev/null'], { env: w.env, stdio: 'pipe' });
    const clientOn = () => w.tmux(['list-clients', '-F', '#{client_control_mode} #{window_name}']).split('\n').filter((l) => l.startsWith('0 ')).map((l) => l.slice(2));
    await waitFor(() => clientOn().includes('a1'), 'a client on a1', () => w.tmux(['list-clients']));
    // the row order: agents as listed on screen
    const order = [...new Set(dash!.text().match(/\ba[1-5]\b/g) ?? [])];
    // a key at a time, each once the screen shows it (Ink reads one chunk as one key press)
    const selected = (name: string) => (t: string) => new RegExp(`^›\\s+\\d+\\s+${name}\\b`, 'm').test(t);
    dash!.write(KEYS.down);
    await dash!.waitFor(selected(order[1]!), `${order[1]} selected`);
    dash!.write(KEYS.down);
    await dash!.waitFor(selected(order[2]!), `${order[2]} selected`);
    dash!.write(KEYS.enter);
    await waitFor(() => clientOn().includes(order[2]!), `the client on ${order[2]}`, () => `${clientOn().join(',')}\n${dash!.text()}`);
  });

  it('n adds an agent: the new row, and the header once (nothing the action prints lands on the screen)', async () => {
    dash!.write('n');
    await dash!.waitFor((t) => t.includes('name'), 'the new-agent form');
    // a key at a time, each once the screen shows it (Ink reads one chunk as one key press)
    dash!.write('a6');
    await dash!.waitFor((t) => t.includes('name: a6'), 'the name typed');
    dash!.write(KEYS.enter);
    await dash!.waitFor((t) => /^task: *(│|$)/m.test(t), 'the task step'); // the empty field (the preview's frame may follow it)
    dash!.write('task six');
    await dash!.waitFor((t) => t.includes('task six'), 'the task typed');
    dash!.write(KEYS.enter);
    await dash!.waitFor((t) => /\ba6\b/.test(t) && t.includes('6 agents'), 'the new row');
    const headers = dash!.lines().filter((l) => l.startsWith('app — '));
    expect(headers, dash!.text()).toHaveLength(1);
    expect(dash!.text()).not.toMatch(/worktree .* on feature\/a6/); // up's progress lines stay out
  });

  it('an agent of the layout removed from a shell shows as not created, as ls says; x on it says so', async () => {
    expect((await w.tm(['rm', 'a2'])).code).toBe(0);
    await dash!.waitFor((t) => /a2 +· not created/.test(t), 'a2 not created');
    expect((await agent('a2')).status).toBe('stopped');
    expect(JSON.parse((await w.tm(['ls', '--json'])).stdout).agents.find((a: { name: string }) => a.name === 'a2').created).toBe(false);
    const selected = () => /› *\d+ +(\S+)/.exec(dash!.text())?.[1];
    // move the selection to a2: up to the top, then down (each key once its move is on screen)
    for (const key of [...Array(7).fill(KEYS.up), ...Array(7).fill(KEYS.down)] as string[]) {
      if (selected() === 'a2') break;
      const before = selected();
      dash!.write(key);
      await dash!.waitFor(() => selected() !== before, 'the selection to move', 1_000).catch(() => undefined); // at the top or bottom it stays
    }
    expect(selected(), dash!.text()).toBe('a2');
    dash!.write('x');
    await dash!.waitFor((t) => t.includes('a2 is not created, only declared in the layout file'), 'the message');
  });

  it('q quits, and the agents keep running', async () => {
    dash!.write('q');
    expect(await dash!.exited).toBe(0);
    dash = undefined;
    expect((await agent('a1')).status).not.toBe('stopped');
  });

  it('logs shows the agent output without terminal codes', async () => {
    const r = await w.tm(['logs', 'a4', '-n', '5']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('working on:[marker-xyz]');
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });
});
