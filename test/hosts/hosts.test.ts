// Agents on another machine, for real: an OpenSSH server from Debian on a loopback port (started here),
// a second Unix user as the remote host "box" (its own HOME and tmux), keys made by the test. One
// layout with two local agents and two on box, driven through the built treemux as a user would:
// up, ls, send, logs, diff, conflicts, merge, the host going away and coming back, rm of dirty remote
// work (found in the local trash), down. And a Claude Code stand-in there whose hooks give exact status.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshAvailable, startSshHost, type SshHost } from '../helpers/sshd.js';
import { makeAppRepo, makeWorld, ROOT, waitFor, type World } from '../helpers/world.js';

interface Agent {
  name: string;
  host: string;
  status: string;
  worktree: string;
  lastLine: string;
  kind: string;
}

describe.skipIf(!sshAvailable())('agents on an ssh host', () => {
  let w: World;
  let box: SshHost;
  let remoteAgent: string;

  const ls = async (): Promise<Agent[]> => {
    const r = await w.tm(['ls', '--json']);
    if (r.code !== 0) throw new Error(`ls --json failed: ${r.stderr}`);
    return (JSON.parse(r.stdout) as { agents: Agent[] }).agents;
  };
  const agent = async (name: string) => (await ls()).find((a) => a.name === name);
  let seen = '';
  const until = async (what: string, check: (a: Agent[]) => boolean, timeoutMs = 20_000) => {
    await waitFor(
      async () => {
        const agents = await ls();
        seen = JSON.stringify(agents, null, 1);
        return check(agents);
      },
      what,
      () => seen,
      timeoutMs,
    );
  };
  const there = (command: string) => box.ssh(command);

  beforeAll(async () => {
    w = makeWorld();
    makeAppRepo(w);
    box = await startSshHost(w.dir, w.env);
    Object.assign(w.env, box.env);
    // the stand-in agent there, as the remote user can run it
    remoteAgent = `${box.home}/agent.sh`;
    expect(there(`cp ${join(ROOT, 'test', 'fixtures', 'agent.sh')} ${remoteAgent} && chmod +x ${remoteAgent}`).code).toBe(0);
    // a Claude Code stand-in there that runs the hooks of its settings as Claude does
    expect(
      there(`mkdir -p ~/bin && printf '#!/bin/sh\\nFAKE_CLAUDE_HOOKS=1 FAKE_CLAUDE_NOTIFY_MS=600000 exec node ${join(ROOT, 'test', 'fixtures', 'fake-claude.mjs')} "$@"\\n' > ~/bin/claude && chmod +x ~/bin/claude`).code,
    ).toBe(0);
    // what each agent gets of its own: a port, an SQLite copy, an env file, copied untracked files
    w.write('.gitignore', 'node_modules\n.env\ndb/*.sqlite\n');
    w.write('node_modules/dep/index.js', 'module.exports = 42;\n');
    mkdirSync(join(w.repo, 'db'), { recursive: true });
    execFileSync('sqlite3', [join(w.repo, 'db', 'dev.sqlite'), 'create table seed(x); insert into seed values (42);']);
    w.write(
      'treemux.yaml',
      [
        'version: 1',
        'project: app',
        `agent: { command: ${join(ROOT, 'test', 'fixtures', 'agent.sh')} }`,
        'ports: { web: 3100 }',
        'database: { kind: sqlite, path: db/dev.sqlite, seed: db/dev.sqlite }',
        'env: { file: .env, copy: .env, set: { PORT: "{port.web}", DATABASE_URL: "{db.url}" } }',
        'copy: [node_modules]',
        'hosts:',
        `  box: { ssh: ${box.name}, repo: ~/src/app }`,
        'agents:',
        '  - { name: l1, task: local-one, scope: ["src/a.ts"] }',
        '  - { name: l2, task: local-two }',
        `  - { name: r1, task: remote-one, host: box, command: ${remoteAgent} }`,
        `  - { name: r2, task: remote-two, host: box, command: ${remoteAgent} }`,
        `  - { name: rc, task: remote-claude, host: box, command: ${box.home}/bin/claude }`,
        '',
      ].join('\n'),
    );
    w.git(['add', '-A']);
    w.git(['commit', '-qm', 'layout with a host']);
  }, 120_000);

  afterAll(async () => {
    await w?.tm(['down', '--force']).catch(() => undefined);
    box?.cleanup();
    box?.stop();
    w?.cleanup();
  });

  it('up makes the clone there and brings the remote agents up as the host\'s user, in worktrees there', async () => {
    const up = await w.tm(['up', '--no-attach']);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stderr).toMatch(/r1: worktree \/.+\/src\/app-r1 on box/);
    const agents = await ls();
    expect(agents.map((a) => `${a.name}@${a.host}`)).toEqual(['l1@local', 'l2@local', 'r1@box', 'r2@box', 'rc@box']);
    const r1 = agents.find((a) => a.name === 'r1')!;
    expect(r1.worktree).toBe(`${box.home}/src/app-r1`);
    expect(there(`git -C ${r1.worktree} rev-parse --abbrev-ref HEAD`).stdout.trim()).toBe('feature/r1');
    // the base came from here (pushed), and the remote needs no origin
    expect(there(`git -C ~/src/app rev-parse refs/remotes/treemux/main`).stdout.trim()).toBe(w.git(['rev-parse', 'main']).trim());
    await waitFor(() => /agent\.sh remote-one/.test(there('ps -u $(id -u) -o args=').stdout), 'r1 running there', () => there('ps -u $(id -u) -o args=').stdout);
    await until('every agent live with its first lines', (a) => a.filter((x) => x.name !== 'rc').every((x) => ['idle', 'busy'].includes(x.status) && x.lastLine === 'argc:1'));
    // nothing of treemux runs there
    expect(there('ps -u $(id -u) -o args=').stdout).not.toMatch(/treemux\.js/);
  });

  it('each remote agent has its own port there, its SQLite copy, its env file and the copied files, in its worktree there', async () => {
    const agents = (JSON.parse((await w.tm(['ls', '--json'])).stdout) as { agents: (Agent & { ports: Record<string, number>; database: { url: string } | null })[] }).agents;
    const [r1, r2] = ['r1', 'r2'].map((n) => agents.find((a) => a.name === n)!);
    expect(r1!.ports.web).toBeGreaterThanOrEqual(3100);
    expect(r2!.ports.web).not.toBe(r1!.ports.web);
    expect(r1!.database?.url).toBe(`file:${r1!.worktree}/db/dev.sqlite`);
    const env = there(`cat ${r1!.worktree}/.env; stat -c %a ${r1!.worktree}/.env`).stdout;
    expect(env).toContain(`PORT=${r1!.ports.web}`);
    expect(env).toContain(`DATABASE_URL=file:${r1!.worktree}/db/dev.sqlite`);
    expect(env).toContain('SECRET_TOKEN=abc123');
    expect(env.trim().split('\n').pop()).toMatch(/^[0-6][0-4][0-4]$/);
    expect(there(`sqlite3 ${r1!.worktree}/db/dev.sqlite 'select x from seed' 2>&1 || od -c ${r1!.worktree}/db/dev.sqlite | head -1`).stdout).toMatch(/42|SQLite/);
    expect(there(`cat ${r1!.worktree}/node_modules/dep/index.js`).stdout).toContain('module.exports = 42;');
    expect(there(`git -C ${r1!.worktree} status --porcelain`).stdout.trim()).toBe('');
    // the registry there holds them
    expect(there('cat ~/.local/state/treemux/ports.tsv').stdout).toContain(`${r1!.ports.web}\t`);
  });

  it('send types into a remote agent; ls and logs show what it wrote', async () => {
    const sent = await w.tm(['send', 'r1', 'hello from here; $(rm -rf ~)']);
    expect(sent.code, sent.stderr).toBe(0);
    await until('r1 shows the line', (a) => a.find((x) => x.name === 'r1')!.lastLine === 'working on:[hello from here; $(rm -rf ~)]');
    await until('r1 idle once its output stopped', (a) => a.find((x) => x.name === 'r1')!.status === 'idle');
    const logs = await w.tm(['logs', 'r1', '-n', '5']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('working on:[hello from here; $(rm -rf ~)]');
    expect(there('test -d ~/src && echo still-there').stdout).toContain('still-there');
  });

  it('the Claude Code stand-in there reports through its hooks: waiting at its question, idle after it', async () => {
    await until('rc idle after its task', (a) => a.find((x) => x.name === 'rc')?.status === 'idle', 30_000);
    expect(there(`cat ~/src/app/.git/treemux/events/rc.jsonl`).stdout).toMatch(/"payload":\{.*"hook_event_name":"Stop"/);
    await w.tm(['send', 'rc', 'ask touch x']);
    await until('rc waiting at the permission question', (a) => a.find((x) => x.name === 'rc')?.status === 'waiting');
    await w.tm(['send', 'rc', '4']);
    await until('rc idle after the refusal', (a) => a.find((x) => x.name === 'rc')?.status === 'idle');
  });

  it('diff and conflicts see remote commits; merge fetches the branch home and merges it', async () => {
    const r1 = (await agent('r1'))!;
    const r2 = (await agent('r2'))!;
    expect(there(`cd ${r1.worktree} && echo from-r1 > r1.txt && printf 'export const a = 10;\\n' > src/a.ts && git add -A && git commit -qm r1-work`).code).toBe(0);
    expect(there(`cd ${r2.worktree} && printf 'export const a = 20;\\n' > src/a.ts && git add -A && git commit -qm r2-work`).code).toBe(0);
    const diff = await w.tm(['diff', 'r1']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('r1.txt');
    expect(diff.stdout).toContain('src/a.ts');
    const conflicts = await w.tm(['conflicts', '--json']);
    expect(conflicts.code, conflicts.stderr).toBe(0);
    const pairs = (JSON.parse(conflicts.stdout) as { pairs: { a: string; b: string; conflict: boolean }[] }).pairs;
    expect(pairs.find((p) => p.a === 'r1' && p.b === 'r2')?.conflict).toBe(true);
    const merged = await w.tm(['merge', 'r1']);
    expect(merged.code, merged.stdout + merged.stderr).toBe(0);
    expect(w.git(['show', 'main:r1.txt']).trim()).toBe('from-r1');
    const report = await w.tm(['report', '--json']);
    expect(report.code, report.stderr).toBe(0);
    const rows = (JSON.parse(report.stdout) as { agents: { name: string; commits: number | null }[] }).agents;
    expect(rows.find((r) => r.name === 'r2')?.commits).toBe(1);
  });

  it('a host that goes away is unreachable with the reason, the local agents go on, and it is seen again when it comes back', async () => {
    box.stop(); // the listener, and the connections treemux had
    await until('remote agents unreachable', (a) => a.filter((x) => x.host === 'box').every((x) => x.status === 'unreachable'), 30_000);
    const agents = await ls();
    expect(agents.find((a) => a.name === 'r1')!.lastLine).toMatch(/^unreachable: ssh/);
    expect(['idle', 'busy']).toContain(agents.find((a) => a.name === 'l1')!.status);
    const sent = await w.tm(['send', 'l1', 'still here']);
    expect(sent.code).toBe(0);
    const refused = await w.tm(['send', 'r1', 'hello?']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/cannot be reached/);
    await box.start();
    await until('remote agents live again', (a) => a.filter((x) => x.host === 'box').every((x) => ['idle', 'busy', 'waiting'].includes(x.status)), 30_000);
  });

  it('rm refuses a remote agent with uncommitted work; --force brings it into the local trash first', async () => {
    const r2 = (await agent('r2'))!;
    expect(there(`cd ${r2.worktree} && echo unsaved > wip.txt && echo changed >> src/b.ts`).code).toBe(0);
    const refused = await w.tm(['rm', 'r2']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/uncommitted/);
    expect(there(`test -f ${r2.worktree}/wip.txt && echo kept`).stdout).toContain('kept');
    const forced = await w.tm(['rm', 'r2', '--force']);
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/work saved in/);
    const trash = join(w.repo, '.git', 'treemux', 'trash');
    const saved = readdirSync(trash).find((d) => d.startsWith('r2-'))!;
    expect(readFileSync(join(trash, saved, 'diff.patch'), 'utf8')).toContain('+changed');
    expect(existsSync(join(trash, saved, 'untracked.tar.gz'))).toBe(true);
    expect(there(`test -e ${r2.worktree} && echo left || echo gone`).stdout.trim()).toBe('gone');
    // its unmerged commit is kept here as its branch
    expect(w.git(['branch', '--list', 'feature/r2', '--format=%(subject)']).trim(), forced.stderr + w.git(['branch', '-a'])).toBe('r2-work');
  });

  it('down --force removes everything there and here', async () => {
    const down = await w.tm(['down', '--force']);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(there('ls ~/src').stdout.trim()).toBe('app');
    expect(there('cat ~/.local/state/treemux/ports.tsv').stdout.trim()).toBe(''); // every port there given back
    // (a process killed here may linger as <defunct> until the machine's init reaps it: it runs nothing)
    const alive = () => there('ps -u $(id -u) -o args=').stdout.split('\n').filter((l) => !l.includes('<defunct>')).join('\n');
    await waitFor(() => !/agent\.sh|fake-claude/.test(alive()), 'no agent left there', alive);
  });
});
