// End to end, as a user: the built treemux on a real git repository and a real tmux server.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';

const INJECT_TASK = `Fix it; rm -rf / $(touch pwned-task) \`touch pwned-tick\` "double" 'single' #{session_name} #(touch pwned-fmt) end;`;

function layout(extra = ''): string {
  return `version: 1
project: app
agent:
  command: ${FAKE_AGENT}
agents:
  - name: auth
    task: Build email/password authentication
    scope: ["src/auth/**", "tests/auth/**"]
    avoid: ["src/payments/**"]
    done: ["All tests in tests/auth/ pass"]
  - name: payments
    task: ${JSON.stringify(INJECT_TASK)}
  - name: dashboard
    task: Build the dashboard
${extra}`;
}

interface LsJson {
  project: string;
  session: string;
  agents: { name: string; branch: string; base: string; worktree: string; window: string | null; status: string; lastLine: string }[];
}

describe('treemux foundation, end to end', () => {
  let w: World;
  const ls = async (): Promise<LsJson> => {
    const r = await w.tm(['ls', '--json']);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as LsJson;
  };
  const windows = () => w.tmux(['list-windows', '-a', '-F', '#{window_name}']).split('\n').filter(Boolean).sort();
  const shows = (target: string, text: string) => waitFor(() => w.screen(target).includes(text), `"${text}" in ${target}`, () => w.screen(target));

  beforeAll(() => {
    w = makeWorld();
    makeAppRepo(w);
    w.write('treemux.yaml', layout());
    w.git(['add', 'treemux.yaml']);
    w.git(['commit', '-qm', 'layout']);
  });
  afterAll(() => w.cleanup());

  it('up makes a worktree, branch, instructions and a named window per agent', async () => {
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
    expect(windows()).toEqual(['auth', 'dash', 'dashboard', 'payments']);
    const list = w.git(['worktree', 'list', '--porcelain']);
    for (const name of ['auth', 'payments', 'dashboard']) {
      expect(list).toContain(`branch refs/heads/feature/${name}`);
      expect(existsSync(join(w.dir, `app-${name}`))).toBe(true);
    }
    const md = readFileSync(join(w.dir, 'app-auth', 'CLAUDE.local.md'), 'utf8');
    expect(md).toContain('Build email/password authentication');
    expect(md).toContain('`src/auth/**`');
    expect(md).toContain('`src/payments/**`');
    expect(md).toContain('All tests in tests/auth/ pass');
    expect(md).toContain('npm test');
    await shows('app:auth', 'task:[Build email/password authentication]');
  });

  it('passes the task verbatim as one argument, executing nothing', async () => {
    await shows('app:payments', `task:[${INJECT_TASK}]`);
    expect(w.screen('app:payments')).toContain('argc:1');
    for (const f of ['pwned-task', 'pwned-tick', 'pwned-fmt']) {
      expect(existsSync(join(w.dir, 'app-payments', f))).toBe(false);
      expect(existsSync(join(w.repo, f))).toBe(false);
    }
  });

  it('keeps its own files out of git status', async () => {
    expect(w.git(['status', '--porcelain'], join(w.dir, 'app-auth'))).toBe('');
    expect(readFileSync(join(w.repo, '.gitignore'), 'utf8')).toBe('node_modules\n.env\n');
  });

  it('ls --json reports every agent', async () => {
    const j = await ls();
    expect(j.project).toBe('app');
    expect(j.session).toBe('app');
    expect(j.agents.map((a) => a.name)).toEqual(['auth', 'payments', 'dashboard']);
    for (const a of j.agents) {
      expect(a.branch).toBe(`feature/${a.name}`);
      expect(a.base).toBe('main');
      expect(a.worktree).toBe(join(w.dir, `app-${a.name}`));
      expect(a.window).toBe(a.name);
      expect(['starting', 'busy', 'idle', 'waiting']).toContain(a.status);
    }
    expect(j.agents[0]!.lastLine).not.toBe('');
  });

  it('a second up makes no duplicates', async () => {
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
    expect(windows()).toEqual(['auth', 'dash', 'dashboard', 'payments']);
    expect(w.git(['worktree', 'list']).split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('send types text verbatim and presses Enter', async () => {
    expect((await w.tm(['send', 'auth', 'hello there'])).code).toBe(0);
    await shows('app:auth', 'working on:[hello there]');
    const nasty = `$(touch pwned-send); rm -rf x "q" 'q' \\; end;`;
    expect((await w.tm(['send', 'auth', nasty])).code).toBe(0);
    await shows('app:auth', `working on:[${nasty}]`);
    expect((await w.tm(['send', 'auth', 'line one\nline two'])).code).toBe(0);
    await shows('app:auth', 'working on:[line two]');
    expect(w.screen('app:auth')).toContain('working on:[line one]');
    expect(existsSync(join(w.dir, 'app-auth', 'pwned-send'))).toBe(false);
    const lines = (await ls()).agents.find((a) => a.name === 'auth')!.lastLine;
    expect(lines).toContain('line two');
  });

  it('send --all reaches every running agent', async () => {
    expect((await w.tm(['send', '--all', 'to everyone'])).code).toBe(0);
    for (const a of ['auth', 'payments', 'dashboard']) await shows(`app:${a}`, 'working on:[to everyone]');
  });

  it('an agent that ends is exited, and up starts it again', async () => {
    await w.tm(['send', 'dashboard', 'exit 3']);
    await waitFor(async () => (await ls()).agents.find((a) => a.name === 'dashboard')!.status === 'exited', 'dashboard exited', () => w.screen('app:dashboard'));
    const r = await w.tm(['up', '--no-attach', 'dashboard']);
    expect(r.code, r.stderr).toBe(0);
    await waitFor(async () => (await ls()).agents.find((a) => a.name === 'dashboard')!.status !== 'exited', 'dashboard restarted', () => w.screen('app:dashboard'));
  });

  it('a lost state file and a killed window: ls says stopped, up brings it back', async () => {
    rmSync(join(w.repo, '.git', 'treemux', 'state.json'));
    w.tmux(['kill-window', '-t', 'app:payments']);
    const j = await ls();
    expect(j.agents.find((a) => a.name === 'payments')!.status).toBe('stopped');
    expect(j.agents).toHaveLength(3);
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    expect(windows()).toEqual(['auth', 'dash', 'dashboard', 'payments']);
    await shows('app:payments', 'task:[');
  });

  it('a killed tmux server loses no agent', async () => {
    w.tmux(['kill-server']);
    expect((await ls()).agents.every((a) => a.status === 'stopped')).toBe(true);
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    expect(windows()).toEqual(['auth', 'dash', 'dashboard', 'payments']);
  });

  it('rm removes a clean agent: window, worktree, and its merged branch', async () => {
    const r = await w.tm(['rm', 'payments']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(w.dir, 'app-payments'))).toBe(false);
    expect(windows()).not.toContain('payments');
    expect(w.git(['branch', '--list', 'feature/payments'])).toBe('');
  });

  it('rm refuses uncommitted work, and --force saves it to the trash first', async () => {
    const wt = join(w.dir, 'app-dashboard');
    writeFileSync(join(wt, 'src', 'new-file.ts'), 'precious work\n');
    writeFileSync(join(wt, 'src', 'a.ts'), 'export const a = 1;\nchanged\n');
    const refused = await w.tm(['rm', 'dashboard']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/dashboard has 2 uncommitted files/);
    expect(existsSync(join(wt, 'src', 'new-file.ts'))).toBe(true);
    expect(windows()).toContain('dashboard');

    const forced = await w.tm(['rm', 'dashboard', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(wt)).toBe(false);
    const trash = join(w.repo, '.git', 'treemux', 'trash');
    const [saved] = readdirSync(trash).filter((d) => d.startsWith('dashboard-'));
    expect(saved).toBeDefined();
    expect(readFileSync(join(trash, saved!, 'diff.patch'), 'utf8')).toContain('+changed');
    const listing = execTar(join(trash, saved!, 'untracked.tar.gz'));
    expect(listing).toContain('src/new-file.ts');
  });

  it('down refuses unmerged commits as a whole, then --force removes all but keeps the branch', async () => {
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0); // payments and dashboard come back
    const wt = join(w.dir, 'app-auth');
    writeFileSync(join(wt, 'src', 'auth.ts'), 'export const auth = true;\n');
    w.git(['add', '-A'], wt);
    w.git(['commit', '-qm', 'auth work'], wt);
    const refused = await w.tm(['down']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/auth has 1 commit not in main/);
    expect(windows()).toEqual(['auth', 'dash', 'dashboard', 'payments']);
    expect(existsSync(join(w.dir, 'app-payments'))).toBe(true);

    const forced = await w.tm(['down', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    for (const name of ['auth', 'payments', 'dashboard']) expect(existsSync(join(w.dir, `app-${name}`))).toBe(false);
    expect(w.git(['branch', '--list', 'feature/auth']).trim()).toBe('feature/auth');
    expect(w.git(['log', '--format=%s', '-1', 'feature/auth']).trim()).toBe('auth work');
    expect(() => w.tmux(['has-session', '-t', '=app'])).toThrow();
    expect((await ls()).agents.every((a) => a.status === 'stopped')).toBe(true);
  });

  it('a bad agent name is refused in one line, with nothing made', async () => {
    w.write('bad.yaml', 'version: 1\nagents:\n  - name: "../evil"\n    task: x\n');
    const r = await w.tm(['up', '--no-attach', '--layout', 'bad.yaml']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('treemux: bad.yaml:3:11: agents[0].name: must match [a-z0-9][a-z0-9-]*');
    expect(w.git(['branch', '--list', '*evil*'])).toBe('');
    expect(existsSync(join(w.dir, 'evil'))).toBe(false);
    expect(() => w.tmux(['has-session', '-t', '=app'])).toThrow();
  });

  it('a failing agent is undone and reported; the others still come up', async () => {
    writeFileSync(join(w.dir, 'app-payments'), 'in the way\n'); // a file where the worktree should go
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/payments: .*app-payments.*exists/);
    expect(windows()).toEqual(['auth', 'dash', 'dashboard']);
    expect(w.git(['branch', '--list', 'feature/payments'])).toBe('');
    expect(readFileSync(join(w.dir, 'app-payments'), 'utf8')).toBe('in the way\n');
    rmSync(join(w.dir, 'app-payments'));
    expect((await w.tm(['down', '--force'])).code).toBe(0);
  });
});

function execTar(file: string): string {
  return execFileSync('tar', ['-tzf', file], { encoding: 'utf8' });
}
