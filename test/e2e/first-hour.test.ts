// What a new user meets in their first hour, each a fix of issue 11 held by a test: an agent that
// ends at once is a failure up reports; every command treemux prints works in the user's shell; -C;
// init says to commit the layout and lists its templates; send says what it did; nothing of a removed
// agent lingers; error paths are plain; jump reaches the dashboard; treemux's tmux keys are given back;
// windows are numbered as the dashboard numbers them.
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
  makeAppRepo(w);
});
afterEach(() => w.cleanup());

const layout = (agents: string, extra = '') => `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\n${extra}agents:\n${agents}`;
const ls = async () => JSON.parse((await w.tm(['ls', '--json'])).stdout).agents as { name: string; status: string; lastLine: string; created: boolean }[];

describe('an agent whose program ends at once', () => {
  it('is a failure up reports with the program’s own last words; logs, ls and doctor say the same', async () => {
    w.write('treemux.yaml', 'version: 1\nproject: app\nagent: { command: bash }\nagents:\n  - { name: a, task: "Build the thing" }\n  - { name: b, command: ' + FAKE_AGENT + ', task: fine }\n');
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('treemux: a: its program ended at once (exit 127): bash: Build the thing: No such file or directory (`treemux logs a` has its output)');
    expect(r.stderr).toContain('app: 1/2 agents up in tmux session app; failed: a');
    const logs = await w.tm(['logs', 'a']);
    expect(logs.stdout).toContain('bash: Build the thing: No such file or directory');
    const a = (await ls()).find((x) => x.name === 'a')!;
    expect(a.status).toBe('exited');
    expect(a.lastLine).toContain('No such file or directory');
    expect((await ls()).find((x) => x.name === 'b')!.status).not.toBe('exited');
    const doctor = await w.tm(['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('FAIL  agent a exited with status 127: bash: Build the thing: No such file or directory');
    expect(doctor.stdout).toContain('fix: read `treemux logs a`, fix its command or args in the layout, then `treemux up a`');
  });
});

describe('commands treemux prints for the user', () => {
  it('say `treemux` when the user’s PATH runs this treemux, else node and the launcher; both work as printed', async () => {
    w.write('treemux.yaml', layout('  - { name: auth, task: a }\n'));
    const onPath = await w.tm(['jump', 'auth']);
    expect(onPath.stderr.trim()).toBe('treemux: auth has no window (status stopped): run `treemux up auth`');

    // npx puts node_modules/.bin on the PATH of what it runs, never of the user's shell: it does not count
    const PATH = `${join(process.cwd(), 'node_modules', '.bin')}:/usr/bin:/bin`;
    const r = await execa(process.execPath, [BIN, 'jump', 'auth'], { cwd: w.repo, env: { ...w.env, PATH }, extendEnv: false, reject: false });
    const printed = /run `(.*)`$/.exec(String(r.stderr).trim())?.[1];
    expect(printed).toBe(`${process.execPath} ${BIN} up auth`);
    const ran = await execa('sh', ['-c', printed!], { cwd: w.repo, env: { ...w.env, PATH: '/usr/bin:/bin' }, extendEnv: false, reject: false });
    expect(ran.exitCode, String(ran.stderr)).toBe(0);
    expect((await ls())[0]!.status).not.toBe('stopped');
  });

  it('repeat --layout when it was given (as an absolute path)', async () => {
    w.write('other.yaml', layout('  - { name: auth, task: a }\n'));
    const r = await w.tm(['--layout', 'other.yaml', 'jump', 'auth'], { cwd: w.repo });
    expect(r.stderr.trim()).toBe(`treemux: auth has no window (status stopped): run \`treemux --layout ${join(w.repo, 'other.yaml')} up auth\``);
  });

  it('-C DIR runs as if started in DIR; a DIR that is not there is one line and exit 2', async () => {
    w.write('treemux.yaml', layout('  - { name: auth, task: a }\n'));
    const r = await w.tm(['-C', w.repo, 'ls', '--json'], { cwd: w.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).agents[0].name).toBe('auth');
    const bad = await w.tm(['-C', join(w.dir, 'nope'), 'ls']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`treemux: -C ${join(w.dir, 'nope')}: no such directory`);
  });

  it('init says to commit the layout, with the command; init --help lists the templates', async () => {
    const r = await w.tm(['init']);
    expect(r.stdout.trim()).toBe("wrote treemux.yaml from template default: edit the agents, commit it (`git add -- treemux.yaml && git commit -m 'treemux layout' -- treemux.yaml`), then run `treemux up`");
    // from a subfolder, the printed command works there as printed, committing only the layout
    w.write('staged.txt', 'not mine to commit\n');
    w.git(['add', 'staged.txt']);
    const sub = await w.tm(['init', '--force'], { cwd: join(w.repo, 'src') });
    const commit = /commit it \(`(.*)`\)/.exec(sub.stdout)?.[1];
    const abs = join(w.repo, 'treemux.yaml');
    expect(commit).toBe(`git add -- ${abs} && git commit -m 'treemux layout' -- ${abs}`);
    expect((await execa('sh', ['-c', commit!], { cwd: join(w.repo, 'src'), env: w.env, extendEnv: false, reject: false })).exitCode).toBe(0);
    expect(w.git(['show', '--name-only', '--format=', 'HEAD']).trim()).toBe('treemux.yaml');
    expect(w.git(['diff', '--cached', '--name-only']).trim()).toBe('staged.txt');
    const help = await w.tm(['init', '--help']);
    expect(help.stdout).toContain('Templates (--template NAME):');
    for (const t of ['default', 'node', 'postgres', 'nextjs-postgres', 'laravel-mysql', 'split-and-merge']) expect(help.stdout).toMatch(new RegExp(`^  ${t} +\\S`, 'm'));
  });

  it('a layout error names a file outside the current directory by its absolute path', async () => {
    w.write('../bad.yaml', 'version: 1\nagentz: []\n');
    const r = await w.tm(['ls', '--layout', '../../bad.yaml'], { cwd: join(w.repo, 'src') });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`treemux: ${join(w.dir, 'bad.yaml')}:2:1: agentz: unknown key (did you mean "agents"?)`);
  });
});

describe('send, jump, down', () => {
  it('send says what it sent', async () => {
    w.write('treemux.yaml', layout('  - { name: auth, task: a }\n'));
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    const r = await w.tm(['send', 'auth', 'hello there']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim()).toBe('sent to auth (11 characters and Enter)');
  });

  it('jump dash, or jump alone, goes to the dashboard window', async () => {
    w.write('treemux.yaml', layout('  - { name: auth, task: a }\n'));
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    w.tmux(['select-window', '-t', '=app:auth']);
    const r = await w.tm(['jump', 'dash']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('selected the dashboard; attach with: tmux -L');
    expect(w.tmux(['display-message', '-p', '-t', '=app:', '#{window_name}']).trim()).toBe('dash');
    w.tmux(['select-window', '-t', '=app:auth']);
    expect((await w.tm(['jump'])).code).toBe(0);
    expect(w.tmux(['display-message', '-p', '-t', '=app:', '#{window_name}']).trim()).toBe('dash');
  });

  it('after down, ls shows no last line of the agents that are gone, and a new one of that name starts with an empty log', async () => {
    w.write('treemux.yaml', layout('  - { name: auth, task: a }\n'));
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    await w.tm(['send', 'auth', 'marker-old']);
    await waitFor(async () => (await ls())[0]!.lastLine.includes('marker-old'), 'the last line', () => w.screen('app:auth'));
    expect((await w.tm(['down', '--force'])).code).toBe(0);
    const after = (await ls())[0]!;
    expect(after).toMatchObject({ name: 'auth', created: false, status: 'stopped', lastLine: '' });
    expect(existsSync(join(w.repo, '.git', 'treemux', 'logs', 'auth.log'))).toBe(false);
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    await waitFor(async () => (await w.tm(['logs', 'auth'])).stdout.includes('agent ready'), 'the new agent', () => w.screen('app:auth'));
    expect((await w.tm(['logs', 'auth'])).stdout).not.toContain('marker-old');
  });

  it('prefix g/J/K are bound while a treemux session lives, and given back after down', async () => {
    // the user's own server, with a session of their own and their own bindings for J and K (repeating)
    w.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', 'mine']);
    w.tmux(['bind-key', '-T', 'prefix', 'J', 'display-message', 'mine']);
    w.tmux(['bind-key', '-r', '-T', 'prefix', 'K', 'resize-pane', '-U', '5']);
    const key = (k: string) => {
      try {
        return w.tmux(['list-keys', '-T', 'prefix', k]).trim();
      } catch {
        return '';
      }
    };
    const [g, k] = [key('g'), key('K')];
    w.write('treemux.yaml', layout('  - { name: auth, task: a }\n'));
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    expect(key('J')).toContain('#{@treemux-project}');
    expect(key('J')).toContain('display-message mine'); // other sessions keep the old binding
    expect(key('K')).toMatch(/^bind-key -r /); // and keep repeating
    expect(key('g')).toContain('select-window -t :=dash');
    expect(w.tmux(['show-options', '-v', '-t', 'app', 'status-right'])).toContain('prefix g: dashboard');
    expect((await w.tm(['down'])).code).toBe(0);
    expect(key('J')).toBe('bind-key -T prefix J display-message mine');
    expect(key('g')).toBe(g);
    expect(key('K')).toBe(k);
    expect(k).toBe('bind-key -r -T prefix K resize-pane -U 5');
  });

  it('agent windows have the numbers the dashboard shows: their place in the layout, also after rm and up', async () => {
    w.write('treemux.yaml', layout('  - { name: a1, task: a }\n  - { name: a2, task: b }\n  - { name: a3, task: c }\n'));
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    const windows = () => w.tmux(['list-windows', '-t', '=app', '-F', '#{window_index}:#{window_name}']).trim().split('\n');
    expect(windows()).toEqual(['0:dash', '1:a1', '2:a2', '3:a3']);
    expect((await w.tm(['rm', 'a2'])).code).toBe(0);
    expect((await w.tm(['add', 'extra', '--task', 'more'])).code).toBe(0);
    expect((await w.tm(['up', '--no-attach', 'a2'])).code).toBe(0);
    expect(windows()).toEqual(['0:dash', '1:a1', '2:a2', '3:a3', '4:extra']);
  });

  it('with tmux\'s base-index 1, dash is 1 and agent N is window N+1, in the dashboard’s numbers too', async () => {
    w.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', 'mine']);
    w.tmux(['set-option', '-g', 'base-index', '1']);
    w.write('treemux.yaml', layout('  - { name: a1, task: a }\n  - { name: a2, task: b }\n'));
    expect((await w.tm(['up', '--no-attach', 'a2'])).code).toBe(0);
    const windows = () => w.tmux(['list-windows', '-t', '=app', '-F', '#{window_index}:#{window_name}']).trim().split('\n');
    expect(windows()).toEqual(['1:dash', '3:a2']);
    // the numbers the dashboard shows: the snapshot its watcher (in the session's dash window) writes
    const file = join(w.repo, '.git', 'treemux', 'status.json');
    let rows: { name: string; index: number }[] = [];
    await waitFor(() => {
      try {
        rows = JSON.parse(readFileSync(file, 'utf8')).agents;
      } catch {
        return false;
      }
      return rows.length === 2;
    }, 'the snapshot', () => JSON.stringify(rows));
    expect(rows.map((r) => `${r.index}:${r.name}`)).toEqual(['2:a1', '3:a2']);
  });
});

describe('the demo', () => {
  it('shows treemux at work: ports, a database and .env per agent, edits and commits, a predicted conflict, a merge that stops cleanly', async () => {
    const env = { ...w.env, TMPDIR: w.dir, TREEMUX_DEMO_PACE: '0.2' };
    const r = await execa(process.execPath, [BIN, 'demo', '--no-attach'], { cwd: w.dir, env, extendEnv: false, reject: false });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const repo = /demo repository: (\S+)/.exec(String(r.stderr))?.[1];
    expect(repo && repo.startsWith(w.dir)).toBe(true);
    expect(String(r.stderr)).toContain('prefix g goes to the dashboard, prefix J / K to the next / previous agent window');
    const tm = (args: string[]) => execa(process.execPath, [BIN, ...args], { cwd: repo!, env, extendEnv: false, reject: false });
    const agents = async () => JSON.parse(String((await tm(['ls', '--json'])).stdout)).agents as { name: string; status: string; ports: Record<string, number>; database: { name: string }; worktree: string }[];
    const list = await agents();
    expect(list.map((a) => a.name)).toEqual(['cart', 'catalog', 'auth']);
    const ports = list.map((a) => a.ports.web);
    expect(new Set(ports).size).toBe(3);
    for (const a of list) {
      expect(a.database.name).toBe('db/shop.sqlite');
      expect(readFileSync(join(a.worktree, 'db', 'shop.sqlite')).subarray(0, 15).toString()).toBe('SQLite format 3');
      const dotenv = readFileSync(join(a.worktree, '.env'), 'utf8');
      expect(dotenv).toContain(`PORT=${a.ports.web}`);
      expect(dotenv).toContain('SHOP_SECRET=demo-secret-not-for-production');
      expect(w.tmux(['list-panes', '-t', `=shop:${a.name}`, '-F', '#{@treemux-role}']).split('\n').filter(Boolean).sort()).toEqual(['agent', 'sidebar']);
    }
    // the agents work: auth asks first (waiting), the others commit
    const status = async (n: string) => (await agents()).find((a) => a.name === n)!.status;
    await waitFor(async () => (await status('auth')) === 'waiting', 'auth asks a question', () => w.screen('shop:auth'), 20_000);
    const commits = (n: string) => Number(w.git(['rev-list', '--count', `main..feature/${n}`], repo));
    await waitFor(() => commits('cart') === 1 && commits('catalog') === 1, 'cart and catalog commit', () => w.screen('shop:cart') + w.screen('shop:catalog'), 30_000);
    expect((await tm(['send', 'auth', 'y'])).exitCode).toBe(0);
    await waitFor(() => commits('auth') === 1, 'auth commits once answered', () => w.screen('shop:auth'), 30_000);

    const conflicts = await tm(['conflicts']);
    expect(String(conflicts.stdout)).toContain('CONFLICT  cart <-> catalog: src/cart.js');
    const merge = await tm(['merge']);
    expect(merge.exitCode).toBe(1);
    expect(String(merge.stdout)).toContain('stopped at catalog: conflicts with cart in src/cart.js');
    // the printed way on: ask the agent, then merge again
    const ask = /^ {2}(.*treemux.* send catalog .*)$/m.exec(String(merge.stdout))?.[1];
    expect(ask).toBeDefined();
    expect((await execa('sh', ['-c', ask!], { cwd: repo!, env, extendEnv: false, reject: false })).exitCode).toBe(0);
    await waitFor(() => w.git(['log', '-1', '--format=%s', 'feature/catalog'], repo).startsWith('Merge branch'), 'catalog merges main in', () => w.screen('shop:catalog'), 30_000);
    const again = await tm(['merge']);
    expect(again.exitCode, String(again.stdout)).toBe(0);
    expect(String(again.stdout)).toContain('merged into main: catalog, auth');

    // the printed removal line works as printed, from anywhere, and leaves the shell's folder alone
    const removal = /remove the demo with: (.*)$/m.exec(String(r.stderr))?.[1];
    const removed = await execa('sh', ['-c', removal!], { cwd: w.dir, env, extendEnv: false, reject: false });
    expect(removed.exitCode, String(removed.stderr)).toBe(0);
    expect(existsSync(repo!)).toBe(false);
    expect(existsSync(w.dir)).toBe(true);
  });
});
