// The other commands end to end: init, doctor, demo, jump, and the one-line errors of bad input.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
  makeAppRepo(w);
});
afterEach(() => w.cleanup());

const simpleLayout = (agents: string) => `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nagents:\n${agents}`;

describe('init', () => {
  it('writes a layout from a template that up accepts, and refuses to overwrite it', async () => {
    const r = await w.tm(['init', '--template', 'node']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(w.repo, 'treemux.yaml'), 'utf8')).toContain('version: 1');
    const again = await w.tm(['init']);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('treemux: treemux.yaml already exists (use --force to overwrite it)');
    expect((await w.tm(['doctor'])).stdout).toMatch(/ok +layout treemux.yaml/);
  });

  it('names the templates when one is unknown', async () => {
    const r = await w.tm(['init', '--template', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^treemux: unknown template "nope" \(templates: .*default.*\)$/);
    expect(existsSync(join(w.repo, 'treemux.yaml'))).toBe(false);
  });
});

describe('doctor', () => {
  it('says all good for a working setup', async () => {
    w.write('treemux.yaml', simpleLayout('  - { name: auth, task: a }\n'));
    const r = await w.tm(['doctor']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/ok +tmux 3\./);
    expect(r.stdout).toMatch(/ok +git 2\./);
    expect(r.stdout).toContain('all good');
  });

  it('names what is wrong and how to fix it', async () => {
    w.write('treemux.yaml', 'version: 1\nbase: develop\nagent: { command: no-such-agent-cmd }\nagents:\n  - { name: auth, task: a }\n');
    const r = await w.tm(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  base branch develop does not exist');
    expect(r.stdout).toContain('FAIL  agent command no-such-agent-cmd not found on PATH');
    expect(r.stdout).toContain('2 problems to fix');
  });

  it('checks ports and database reachability', async () => {
    w.write('treemux.yaml', 'version: 1\nports: { web: 1 }\ndatabase: { kind: postgres, url: "postgresql://app:pw@127.0.0.1:1/app_dev" }\nagent: { command: sh }\nagents:\n  - { name: auth, task: a }\n');
    const r = await w.tm(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ok +port web: /);
    expect(r.stdout).toMatch(/FAIL +.*127\.0\.0\.1:1/);
    expect(r.stdout).not.toContain(':pw@');
  });

  it('reports a broken layout with its line', async () => {
    w.write('treemux.yaml', 'version: 1\nagentz: []\n');
    const r = await w.tm(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL +treemux.yaml:2:1: agentz: unknown key \(did you mean "agents"\?\)/);
  });
});

describe('bad input is one clear line and makes nothing', () => {
  it('outside a git repository', async () => {
    const r = await w.tm(['ls'], { cwd: w.dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not inside a git repository/);
  });

  it('without a layout file', async () => {
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('treemux: treemux.yaml: not found (run `treemux init` to write one)');
  });

  it('an unknown agent name', async () => {
    w.write('treemux.yaml', simpleLayout('  - { name: auth, task: a }\n'));
    const r = await w.tm(['send', 'nobody', 'hi']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('treemux: no agent named "nobody" (agents: auth)');
  });

  it('a missing base fails that agent only, undone, and the rest come up', async () => {
    w.write('treemux.yaml', simpleLayout('  - { name: auth, task: a }\n  - { name: late, task: b, base: develop }\n'));
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/treemux: late: base branch "develop" does not exist/);
    expect(w.git(['branch', '--list', 'feature/late'])).toBe('');
    expect(existsSync(join(w.dir, 'app-late'))).toBe(false);
    const windows = w.tmux(['list-windows', '-t', '=app', '-F', '#{window_name}']);
    expect(windows).toContain('auth');
    expect(windows).not.toContain('late');
  });

  it('a branch already checked out elsewhere', async () => {
    w.git(['branch', 'feature/auth']);
    w.git(['worktree', 'add', '-q', join(w.dir, 'elsewhere'), 'feature/auth']);
    w.write('treemux.yaml', simpleLayout('  - { name: auth, task: a }\n'));
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/auth: branch feature\/auth is already checked out at .*elsewhere/);
  });

  it('an unknown option', async () => {
    const r = await w.tm(['ls', '--jsn']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("treemux: unknown option '--jsn' (Did you mean --json?)");
  });
});

describe('demo', () => {
  it('makes a throwaway repo with three agents, brings it up, and says how to remove it', async () => {
    const env = { ...w.env, PATH: '/usr/bin:/bin', TMPDIR: w.dir };
    const { execa } = await import('execa');
    const r = await execa(process.execPath, [join(process.cwd(), 'bin', 'treemux.js'), 'demo', '--no-attach'], {
      cwd: w.dir,
      env,
      extendEnv: false,
      reject: false,
      input: '',
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const removal = String(r.stderr).match(/remove the demo with: (.*)$/m)?.[1];
    expect(removal).toMatch(/ down --force/);
    const repo = String(r.stderr).match(/demo repository: (\S+)/)?.[1];
    expect(repo).toBeDefined();
    expect(repo!.startsWith(w.dir)).toBe(true);
    const windows = () => w.tmux(['list-windows', '-t', '=shop', '-F', '#{window_name}']).split('\n').filter(Boolean);
    expect(windows()).toEqual(['dash', 'cart', 'catalog', 'auth']);
    await waitFor(() => w.screen('shop:cart').includes('treemux demo agent'), 'the stand-in agent', () => w.screen('shop:cart'));
    expect(readFileSync(join(repo!, '..', 'shop-cart', 'CLAUDE.local.md'), 'utf8')).toContain('discount codes');
    // the printed removal command works as printed
    const removed = await execa('sh', ['-c', removal!], { env, extendEnv: false, reject: false });
    expect(removed.exitCode, String(removed.stderr)).toBe(0);
    expect(existsSync(repo!)).toBe(false);
    expect(() => w.tmux(['has-session', '-t', '=shop'])).toThrow();
  });
});

describe('jump', () => {
  let client: ChildProcess | undefined;
  afterEach(() => client?.kill());

  it('without a terminal selects the window and prints how to attach', async () => {
    w.write('treemux.yaml', simpleLayout('  - { name: auth, task: a }\n  - { name: pay, task: b }\n'));
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    const r = await w.tm(['jump', 'pay']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`attach with: tmux -L ${w.socket} attach -t app`);
    expect(w.tmux(['display-message', '-p', '-t', '=app:', '#{window_name}']).trim()).toBe('pay');
  });

  it('inside tmux on the same server switches the client to the window', async () => {
    w.write('treemux.yaml', simpleLayout('  - { name: auth, task: a }\n  - { name: pay, task: b }\n'));
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    // a real client attached through a pseudo-terminal
    client = spawn('script', ['-qfc', `tmux -L ${w.socket} attach -t app:auth`, '/dev/null'], { env: w.env, stdio: 'pipe' });
    // real clients only: a dashboard's watcher attaches a control-mode client too
    const clientOn = () =>
      w.tmux(['list-clients', '-F', '#{client_control_mode} #{window_name}']).split('\n').filter((l) => l.startsWith('0 ')).map((l) => l.slice(2)).join(',');
    await waitFor(() => clientOn() === 'auth', 'a client on auth', () => w.tmux(['list-clients']));
    const socketPath = w.tmux(['display-message', '-p', '-t', '=app', '#{socket_path}']).trim();
    const env = { ...w.env, TMUX: `${socketPath},1,0` };
    const { execa } = await import('execa');
    const r = await execa(process.execPath, [join(process.cwd(), 'bin', 'treemux.js'), 'jump', 'pay'], { cwd: w.repo, env, extendEnv: false, reject: false });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    await waitFor(() => clientOn() === 'pay', 'the client on pay', () => w.tmux(['list-clients', '-F', '#{client_name} #{window_name}']));
  });
});
