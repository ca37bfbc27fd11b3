// Isolation end to end: ports, env file, SQLite, Redis values, copied files and setup, through the
// built treemux on a real repository and tmux server.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';

interface Agent {
  name: string;
  status: string;
  lastLine: string;
  ports: Record<string, number>;
  database: { kind: string; name: string; url: string } | null;
}
const parseEnv = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!.replace(/^(['"])(.*)\1$/, '$2')]),
  );

function hold(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

function freePortBase(): number {
  // a random high range, so parallel test files and other runs rarely meet; the registry is per world
  return 20000 + Math.floor(Math.random() * 20000);
}

describe('isolation: ports, env, sqlite, redis values, copy, setup', () => {
  let w: World;
  let held: Server;
  let web: number;
  const ls = async () => (JSON.parse((await w.tm(['ls', '--json'])).stdout) as { agents: Agent[] }).agents;
  const envOf = (agent: string) => parseEnv(readFileSync(join(w.dir, `app-${agent}`, '.env'), 'utf8'));

  beforeAll(async () => {
    w = makeWorld();
    makeAppRepo(w);
    web = freePortBase();
    held = await hold(web);
    w.write('.env', '# main settings\nSECRET_TOKEN=abc123\nPORT=3000\nexport QUOTED="a b # not a comment"\nPRIVATE_KEY="line1\nline2"\n');
    w.write('node_modules/leftpad/index.js', 'module.exports = 1;\n');
    execFileSync('sqlite3', [join(w.repo, 'db.sqlite'), 'create table t(x); insert into t values (42);']);
    w.write(
      'treemux.yaml',
      `version: 1
project: app
agent: { command: ${FAKE_AGENT} }
ports: { web: ${web}, api: ${web + 100} }
database: { kind: sqlite, path: data/dev.sqlite, seed: db.sqlite }
redis: { prefix: "{agent}:", db: auto }
env:
  file: .env
  copy: .env
  set:
    PORT: "{port.web}"
    API_URL: "http://localhost:{port.api}"
    DATABASE_URL: "{db.url}"
    REDIS_KEY_PREFIX: "{redis.prefix}"
    REDIS_DB: "{redis.db}"
    GREETING: "it's \\"quoted\\" # and more"
copy: [node_modules]
setup: ["touch setup-ran", "printf '%s' \\"$PORT\\" > setup-port"]
agents:
  - { name: auth, task: a }
  - { name: payments, task: b }
  - { name: dashboard, task: c }
`,
    );
    w.git(['add', 'treemux.yaml', '.gitignore']);
    w.git(['commit', '-qm', 'layout']);
  });
  afterAll(async () => {
    held?.close();
    await w.tm(['down', '--force']);
    w.cleanup();
  });

  it('up gives every agent distinct free ports, skipping a busy one', async () => {
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
    const ports = ['auth', 'payments', 'dashboard'].map((a) => Number(envOf(a).PORT));
    expect(new Set(ports).size).toBe(3);
    expect(ports).not.toContain(web);
    for (const p of ports) expect(p).toBeGreaterThan(web);
    const apis = ['auth', 'payments', 'dashboard'].map((a) => envOf(a).API_URL);
    expect(new Set(apis).size).toBe(3);
    expect(apis[0]).toMatch(/^http:\/\/localhost:\d+$/);
  });

  it('ls --json shows the same ports and the database', async () => {
    const agents = await ls();
    for (const a of agents) {
      expect(a.ports.web).toBe(Number(envOf(a.name).PORT));
      expect(a.database).toEqual({ kind: 'sqlite', name: 'data/dev.sqlite', url: `file:${join(w.dir, `app-${a.name}`, 'data', 'dev.sqlite')}` });
    }
  });

  it('the env file is the main one with the agent values on top; the main one is untouched', async () => {
    const env = envOf('auth');
    expect(env.SECRET_TOKEN).toBe('abc123');
    expect(env.REDIS_KEY_PREFIX).toBe('auth:');
    expect(env.COMPOSE_PROJECT_NAME).toBe('app-auth');
    const text = readFileSync(join(w.dir, 'app-auth', '.env'), 'utf8');
    expect(text).toContain('# main settings');
    expect(text).toContain('export QUOTED="a b # not a comment"');
    expect(text).toContain('PRIVATE_KEY="line1\nline2"');
    expect(readFileSync(join(w.repo, '.env'), 'utf8')).toContain('PORT=3000\n');
    // what an app's dotenv reads
    const dotenv = await import('dotenv');
    const parsed = dotenv.parse(text);
    expect(parsed.GREETING).toBe('it\'s "quoted" # and more');
    expect(parsed.PRIVATE_KEY).toBe('line1\nline2');
    expect(parsed.PORT).toBe(envOf('auth').PORT);
  });

  it('redis db indexes are distinct per agent, 0 left to the main checkout', async () => {
    const dbs = ['auth', 'payments', 'dashboard'].map((a) => envOf(a).REDIS_DB);
    expect(new Set(dbs).size).toBe(3);
    expect(dbs).not.toContain('0');
  });

  it('each agent has its own sqlite file, seeded, and writes stay its own', async () => {
    const file = (a: string) => join(w.dir, `app-${a}`, 'data', 'dev.sqlite');
    expect(execFileSync('sqlite3', [file('payments'), 'select x from t'], { encoding: 'utf8' }).trim()).toBe('42');
    execFileSync('sqlite3', [file('payments'), 'insert into t values (7)']);
    expect(execFileSync('sqlite3', [file('auth'), 'select count(*) from t'], { encoding: 'utf8' }).trim()).toBe('1');
    expect(execFileSync('sqlite3', [join(w.repo, 'db.sqlite'), 'select count(*) from t'], { encoding: 'utf8' }).trim()).toBe('1');
  });

  it('node_modules is copied, not symlinked, and setup ran with the agent environment before it started', async () => {
    const copied = join(w.dir, 'app-dashboard', 'node_modules', 'leftpad', 'index.js');
    expect(readFileSync(copied, 'utf8')).toBe('module.exports = 1;\n');
    expect(lstatSync(join(w.dir, 'app-dashboard', 'node_modules')).isSymbolicLink()).toBe(false);
    expect(existsSync(join(w.dir, 'app-auth', 'setup-ran'))).toBe(true);
    expect(readFileSync(join(w.dir, 'app-auth', 'setup-port'), 'utf8')).toBe(envOf('auth').PORT);
    expect(readFileSync(join(w.repo, '.git', 'treemux', 'logs', 'auth.log'), 'utf8')).toContain('$ touch setup-ran');
  });

  it('the instructions tell the agent its ports, database and env file', async () => {
    const md = readFileSync(join(w.dir, 'app-auth', 'CLAUDE.local.md'), 'utf8');
    expect(md).toContain(`Port \`web\`: ${envOf('auth').PORT}`);
    expect(md).toContain('Database (sqlite)');
    expect(md).toContain('Env file: `.env`');
  });

  it('the agent window has the env values too', async () => {
    await w.tm(['send', 'auth', 'hello']);
    await waitFor(() => w.screen('app:auth').includes('working on:[hello]'), 'auth echo', () => w.screen('app:auth'));
    const pid = w.tmux(['display-message', '-p', '-t', 'app:auth', '#{pane_pid}']).trim();
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`PORT=${envOf('auth').PORT}`);
    expect(environ).toContain('COMPOSE_PROJECT_NAME=app-auth');
  });

  it('a second up keeps every port, database and file as it was', async () => {
    const before = await ls();
    const setupRan = statSync(join(w.dir, 'app-auth', 'setup-ran')).mtimeMs;
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
    const after = await ls();
    expect(after.map((a) => a.ports)).toEqual(before.map((a) => a.ports));
    expect(statSync(join(w.dir, 'app-auth', 'setup-ran')).mtimeMs).toBe(setupRan);
  });

  it('rm releases the ports, and the next agent reuses them', async () => {
    const freed = (await ls()).find((a) => a.name === 'dashboard')!.ports;
    expect((await w.tm(['rm', 'dashboard', '--force'])).code).toBe(0);
    const r = await w.tm(['up', '--no-attach', 'dashboard']);
    expect(r.code, r.stderr).toBe(0);
    expect((await ls()).find((a) => a.name === 'dashboard')!.ports).toEqual(freed);
  });
});

describe('isolation failures', () => {
  let w: World;
  afterEach(() => w?.cleanup());
  const base = (extra: string) => `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\n${extra}agents:\n  - { name: auth, task: a }\n  - { name: pay, task: b }\n`;

  it('a failing setup leaves the agent exited with the reason, and up exits 1', async () => {
    w = makeWorld();
    makeAppRepo(w);
    w.write('treemux.yaml', base('setup: ["echo preparing", "echo broken >&2; exit 4"]\n'));
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/auth: setup `echo broken >&2; exit 4` failed \(exit 4\): broken; the agent was not started/);
    let agents: Agent[] = [];
    await waitFor(
      async () => (agents = JSON.parse((await w.tm(['ls', '--json'])).stdout).agents as Agent[]).every((a) => a.status === 'exited'),
      'both agents exited',
      () => `${JSON.stringify(agents)}\nup's stderr:\n${r.stderr}`,
    );
    const auth = (JSON.parse((await w.tm(['ls', '--json'])).stdout).agents as Agent[]).find((a) => a.name === 'auth')!;
    expect(auth.lastLine).toBe('treemux: setup `echo broken >&2; exit 4` failed (exit 4): broken');
    expect(existsSync(join(w.dir, 'app-auth'))).toBe(true);

    // fixed: the next up runs the setup again and starts the agents
    w.write('treemux.yaml', base('setup: ["touch fixed"]\n'));
    const again = await w.tm(['up', '--no-attach']);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(join(w.dir, 'app-auth', 'fixed'))).toBe(true);
    await waitFor(() => w.screen('app:auth').includes('task:[a]'), 'auth started', () => w.screen('app:auth'));
  });

  it('a database command that fails undoes the agent: no worktree, branch, window or ports', async () => {
    w = makeWorld();
    makeAppRepo(w);
    const port = freePortBase();
    w.write('fail.sh', '#!/bin/sh\necho "quota exceeded for project" >&2\nexit 3\n');
    execFileSync('chmod', ['+x', join(w.repo, 'fail.sh')]);
    w.write('treemux.yaml', base(`ports: { web: ${port} }\ndatabase: { kind: command, create: ["${join(w.repo, 'fail.sh')}", "{branch}"] }\n`));
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/auth: .*quota exceeded for project.*\(undone\)/);
    expect(existsSync(join(w.dir, 'app-auth'))).toBe(false);
    expect(w.git(['branch', '--list', 'feature/*'])).toBe('');
    const registry = JSON.parse(readFileSync(join(w.env.XDG_STATE_HOME!, 'treemux', 'ports.json'), 'utf8')) as unknown;
    expect(JSON.stringify(registry)).not.toContain('"auth"');
  });

  it('an unreachable PostgreSQL is one clear line, with nothing half made', async () => {
    w = makeWorld();
    makeAppRepo(w);
    w.write('treemux.yaml', base('database: { kind: postgres, url: "postgresql://app:s3cret@127.0.0.1:1/app_dev" }\n'));
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).toMatch(/treemux: auth: .*127\.0\.0\.1:1.*\(undone\)/);
    expect(existsSync(join(w.dir, 'app-auth'))).toBe(false);
    expect(w.git(['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });

  it('two projects at once never share a port', async () => {
    w = makeWorld();
    makeAppRepo(w);
    const port = freePortBase();
    const layout = (project: string) => `version: 1\nproject: ${project}\nagent: { command: ${FAKE_AGENT} }\nports: { web: ${port} }\nenv: { set: { PORT: "{port.web}" } }\nagents:\n${['a', 'b', 'c'].map((n) => `  - { name: ${n}, task: x }`).join('\n')}\n`;
    // a second repository in the same world (same registry, same tmux server)
    const other = join(w.dir, 'other');
    execFileSync('git', ['clone', '-q', w.repo, other], { env: w.env });
    w.write('treemux.yaml', layout('one'));
    writeFileSync(join(other, 'treemux.yaml'), layout('two'));
    const [r1, r2] = await Promise.all([w.tm(['up', '--no-attach']), w.tm(['up', '--no-attach'], { cwd: other })]);
    expect([r1.code, r2.code], r1.stderr + r2.stderr).toEqual([0, 0]);
    const ports = (cwd: string) => JSON.parse(execFileSync(process.execPath, [join(process.cwd(), 'bin', 'treemux.js'), 'ls', '--json'], { cwd, env: w.env, encoding: 'utf8' })).agents.map((a: Agent) => a.ports.web) as number[];
    const all = [...ports(w.repo), ...ports(other)];
    expect(all).toHaveLength(6);
    expect(new Set(all).size).toBe(6);
    await w.tm(['down', '--force']);
    await w.tm(['down', '--force'], { cwd: other });
  });

  it('an env file git does not ignore is excluded, said once, and never shows as work', async () => {
    w = makeWorld();
    makeAppRepo(w);
    w.write('treemux.yaml', base('env: { file: .env.agent, set: { A: "1" } }\n'));
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/\.env\.agent is not ignored by git/g)).toHaveLength(1);
    expect(w.git(['status', '--porcelain'], join(w.dir, 'app-auth'))).toBe('');
    expect(readFileSync(join(w.repo, '.gitignore'), 'utf8')).toBe('node_modules\n.env\n');
    expect((await w.tm(['down'])).code).toBe(0);
  });

  it('a placeholder for an undeclared port is refused before anything is made', async () => {
    w = makeWorld();
    makeAppRepo(w);
    w.write('treemux.yaml', base('ports: { web: 3000 }\nenv: { set: { API: "http://localhost:{port.api}" } }\n'));
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^treemux: treemux\.yaml:5:\d+: env\.set\.API: .*\{port\.api\}/);
    expect(existsSync(join(w.dir, 'app-auth'))).toBe(false);
  });
});
