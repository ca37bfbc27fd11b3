// Hardening (issue 12), as an attacker would try it: a repository that commits symlinks where treemux
// writes, an agent that plants them, hostile hook input, tasks that look like options, secrets, state
// files of the wrong shape, an up killed half way, states a user cannot get out of, huge input.
import { execa } from 'execa';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { BIN, FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';
import { describeWithService } from '../helpers/services.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
  makeAppRepo(w);
});
afterEach(() => w.cleanup());

const layout = (agents: string, extra = '') => `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\n${extra}agents:\n${agents}`;
/** A file outside everything treemux may write, with known content. */
function bait(name: string): string {
  const dir = join(w.dir, 'outside');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, `precious ${name}\n`);
  return file;
}
const untouched = (file: string, name: string) => expect(readFileSync(file, 'utf8')).toBe(`precious ${name}\n`);
const commitAll = (message: string) => {
  w.git(['add', '-A']);
  w.git(['commit', '-qm', message]);
};

describe('nothing is written through a symlink', () => {
  it('a repository that commits CLAUDE.local.md and .env as links: up writes its env file and leaves the tracked instructions alone, the targets untouched', async () => {
    const instructions = bait('bashrc');
    const env = bait('credentials');
    symlinkSync(instructions, join(w.repo, 'CLAUDE.local.md'));
    w.write('.gitignore', 'node_modules\n'); // .env tracked, as a link
    symlinkSync(env, join(w.repo, '.env.link'));
    w.write('treemux.yaml', layout('  - { name: auth, task: a }\n', 'env: { file: .env.link, set: { PORT: "3000" } }\n'));
    commitAll('links');
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
    untouched(instructions, 'bashrc');
    untouched(env, 'credentials');
    const wt = join(w.dir, 'app-auth');
    // never over a file the repository tracks (the promise): said, and the link is as committed
    expect(r.stderr).toContain('auth: CLAUDE.local.md is tracked by the repository');
    expect(lstatSync(join(wt, 'CLAUDE.local.md')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(wt, '.env.link')).isFile()).toBe(true);
    expect(readFileSync(join(wt, '.env.link'), 'utf8')).toContain('PORT=3000');
  });

  it('a link planted at the agent log: setup output and the window go to a new plain file, the target is untouched', async () => {
    const target = bait('authorized_keys');
    w.write('treemux.yaml', layout('  - { name: auth, task: a }\n', 'setup: ["echo setup-output"]\n'));
    commitAll('layout');
    mkdirSync(join(w.repo, '.git', 'treemux', 'logs'), { recursive: true });
    symlinkSync(target, join(w.repo, '.git', 'treemux', 'logs', 'auth.log'));
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/auth: .*auth\.log was not a plain file \(a link\?\): replaced/);
    await waitFor(() => readFileSync(join(w.repo, '.git', 'treemux', 'logs', 'auth.log'), 'utf8').includes('agent ready'), 'the log', () => w.screen('app:auth'));
    untouched(target, 'authorized_keys');
    expect(lstatSync(join(w.repo, '.git', 'treemux', 'logs', 'auth.log')).isFile()).toBe(true);
    expect(statSync(join(w.repo, '.git', 'treemux', 'logs', 'auth.log')).mode & 0o777).toBe(0o600);
  });

  it('a committed .claude folder link, or settings.local.json link: that agent is refused in one line and undone; nothing written there', async () => {
    const elsewhere = join(w.dir, 'outside', 'claude-dir');
    mkdirSync(elsewhere, { recursive: true });
    symlinkSync(elsewhere, join(w.repo, '.claude'));
    w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT}, kind: claude }\nagents:\n  - { name: auth, task: a }\n`);
    commitAll('claude link');
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/treemux: auth: refusing to write below .*app-auth\/\.claude: it is a symbolic link, not a folder \(treemux never writes through links\) \(undone\)/);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(existsSync(join(w.dir, 'app-auth'))).toBe(false);
  });

  it('a link planted at the trash: rm --force refuses in one line and removes nothing', async () => {
    const elsewhere = join(w.dir, 'outside', 'trash');
    mkdirSync(elsewhere, { recursive: true });
    w.write('treemux.yaml', layout('  - { name: auth, task: a }\n'));
    commitAll('layout');
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    writeFileSync(join(w.dir, 'app-auth', 'wip.txt'), 'unsaved\n');
    symlinkSync(elsewhere, join(w.repo, '.git', 'treemux', 'trash'));
    const r = await w.tm(['rm', 'auth', '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/refusing to write below .*treemux\/trash: it is a symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readFileSync(join(w.dir, 'app-auth', 'wip.txt'), 'utf8')).toBe('unsaved\n');
  });

  it('a link planted at the hook events file: the hook records nothing through it', async () => {
    const target = bait('events');
    mkdirSync(join(w.repo, '.git', 'treemux', 'events'), { recursive: true });
    symlinkSync(target, join(w.repo, '.git', 'treemux', 'events', 'auth.jsonl'));
    const env = { ...w.env, TREEMUX_AGENT: 'auth', TREEMUX_STATE_DIR: join(w.repo, '.git', 'treemux') };
    const r = await execa(process.execPath, [BIN, 'hook'], { env, extendEnv: false, input: '{"hook_event_name":"Stop"}', reject: false });
    expect(r.exitCode).toBe(0);
    untouched(target, 'events');
  });

  it('a seed, env.copy or copy path the repository makes a link out of the checkout is refused; one the user made is followed', async () => {
    const secret = bait('aws');
    symlinkSync(secret, join(w.repo, 'seed.env'));
    w.write('treemux.yaml', layout('  - { name: auth, task: a }\n', 'env: { file: .env, copy: seed.env }\n'));
    commitAll('a link to the user secrets');
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`treemux: auth: refusing to read seed.env: the repository makes it a link to ${secret}, outside the checkout (undone)`);
    // the same link made by the user (not tracked) is theirs
    w.git(['rm', '-q', '--cached', 'seed.env']);
    w.write('.gitignore', 'node_modules\n.env\nseed.env\n');
    commitAll('untrack');
    const ok = await w.tm(['up', '--no-attach']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(w.dir, 'app-auth', '.env'), 'utf8')).toContain('precious aws');
  });

  it('the layout file as a link: save refuses in one line', async () => {
    const target = bait('layout.yaml');
    writeFileSync(target, layout('  - { name: auth, task: a }\n'));
    symlinkSync(target, join(w.repo, 'treemux.yaml'));
    expect((await w.tm(['add', 'extra', '--task', 'x'])).code).toBe(0);
    const r = await w.tm(['save']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`treemux: refusing to write ${join(w.repo, 'treemux.yaml')}: it is a symbolic link (treemux never writes through links; edit the file it points to)`);
    expect(readFileSync(target, 'utf8')).not.toContain('extra');
  });
});

describe('secrets stay as private as their source', () => {
  it('an env file from a 0600 source is 0600; one with a password in a URL is 0600 whatever the source', async () => {
    chmodSync(join(w.repo, '.env'), 0o600);
    w.write('treemux.yaml', layout('  - { name: auth, task: a }\n', 'env: { file: .env, copy: .env }\n'));
    commitAll('layout');
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    expect(statSync(join(w.dir, 'app-auth', '.env')).mode & 0o777).toBe(0o600);

    const w2 = w;
    chmodSync(join(w2.repo, '.env'), 0o644);
    w2.write('treemux.yaml', layout('  - { name: pay, task: a }\n', 'env: { file: .env, copy: .env, set: { DATABASE_URL: "postgresql://app:hunter2@db:5432/x" } }\n'));
    commitAll('password');
    expect((await w2.tm(['up', '--no-attach', 'pay'])).code).toBe(0);
    expect(statSync(join(w.dir, 'app-pay', '.env')).mode & 0o777).toBe(0o600);
  });
});

describe('a task never becomes an option', () => {
  /** An agent program that writes its arguments, one a line, to argv-<name>, then waits. */
  function recorder(name: string): string {
    const bin = join(w.dir, 'bin', name);
    writeFileSync(bin, `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(w.dir, `argv-${name}`)}'\nexec cat\n`);
    chmodSync(bin, 0o755);
    return bin;
  }
  const argv = (name: string) => readFileSync(join(w.dir, `argv-${name}`), 'utf8').split('\n').slice(0, -1);

  it('Claude gets every task after --; another program gets -- before a task that starts with -, and nothing before one that does not', async () => {
    const claude = recorder('claude');
    const other = recorder('other');
    w.write('treemux.yaml', `version: 1
project: app
agents:
  - { name: cl, command: ${claude}, task: "--dangerously-skip-permissions" }
  - { name: plain, command: ${claude}, task: "Build it" }
  - { name: ot, command: ${other}, task: "--yolo" }
  - { name: ok, command: ${other}, task: "Build it" }
`);
    commitAll('layout');
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    await waitFor(() => ['claude', 'other'].every((n) => existsSync(join(w.dir, `argv-${n}`))), 'the programs', () => '');
    // each recorder overwrites its file: ask each agent once more, one at a time, by restarting it
    const seen = async (agent: string, name: string) => {
      w.tmux(['kill-window', '-t', `=app:${agent}`]);
      writeFileSync(join(w.dir, `argv-${name}`), '');
      expect((await w.tm(['up', '--no-attach', agent])).code).toBe(0);
      await waitFor(() => readFileSync(join(w.dir, `argv-${name}`), 'utf8') !== '', `${agent}'s arguments`, () => w.screen(`app:${agent}`));
      return argv(name);
    };
    expect(await seen('cl', 'claude')).toEqual(['--', '--dangerously-skip-permissions']);
    expect(await seen('plain', 'claude')).toEqual(['--', 'Build it']);
    expect(await seen('ot', 'other')).toEqual(['--', '--yolo']);
    expect(await seen('ok', 'other')).toEqual(['Build it']);
  });

  it('add --task with an option-looking task: it arrives as the prompt', async () => {
    const claude = recorder('claude');
    w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${claude} }\nagents: []\n`);
    commitAll('layout');
    expect((await w.tm(['add', 'x', '--task', '--permission-mode=bypassPermissions'])).code).toBe(0);
    await waitFor(() => existsSync(join(w.dir, 'argv-claude')) && argv('claude').length > 0, 'the program', () => w.screen('app:x'));
    expect(argv('claude')).toEqual(['--', '--permission-mode=bypassPermissions']);
  });
});

describeWithService('postgres', 'a database password', ({ url }) => {
  it('is in the agent’s 0600 env file, never in state.json (0600 too); rm still drops the database with it', async () => {
    const tpl = `tmx_${Math.random().toString(36).slice(2, 10)}_dev`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database "${tpl}"`);
    try {
      const u = new URL(url);
      u.password = 'hunter2secret'; // trust authentication ignores it: what matters is where it is written
      u.pathname = `/${tpl}`;
      w.write('treemux.yaml', layout('  - { name: auth, task: a }\n', `database: { kind: postgres, url: "${u.toString()}" }\nenv: { file: .env, set: { DATABASE_URL: "{db.url}" } }\n`));
      commitAll('layout');
      const r = await w.tm(['up', '--no-attach']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('hunter2secret');
      const env = join(w.dir, 'app-auth', '.env');
      expect(readFileSync(env, 'utf8')).toContain('hunter2secret');
      expect(statSync(env).mode & 0o777).toBe(0o600);
      const state = join(w.repo, '.git', 'treemux', 'state.json');
      expect(readFileSync(state, 'utf8')).not.toContain('hunter2secret');
      expect(statSync(state).mode & 0o777).toBe(0o600);
      const ls = await w.tm(['ls', '--json']);
      expect(ls.stdout).not.toContain('hunter2secret');
      expect((await w.tm(['rm', 'auth'])).code).toBe(0);
      const left = await admin.query(`select datname from pg_database where datname = '${tpl}_auth'`);
      expect(left.rows).toEqual([]);
    } finally {
      await admin.query(`drop database if exists "${tpl}_auth" with (force)`).catch(() => undefined);
      await admin.query(`drop database if exists "${tpl}" with (force)`);
      await admin.end();
    }
  });
});

describe('every broken state can be got out of through treemux', () => {
  const up = async () => {
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
  };

  it('a worktree folder deleted by hand: up makes it again on its branch; rm --force removes the rest and gives the ports back', async () => {
    w.write('treemux.yaml', layout('  - { name: h1, task: a }\n  - { name: h2, task: b }\n', 'ports: { web: 23456 }\n'));
    commitAll('layout');
    await up();
    const wt = join(w.dir, 'app-h1');
    writeFileSync(join(wt, 'done.txt'), 'committed work\n');
    w.git(['-C', wt, 'add', 'done.txt']);
    w.git(['-C', wt, 'commit', '-qm', 'work']);
    w.tmux(['kill-window', '-t', '=app:h1']);
    execFileSyncRm(wt);
    await up();
    expect(readFileSync(join(wt, 'done.txt'), 'utf8')).toBe('committed work\n'); // its branch, its commits
    expect(w.git(['-C', wt, 'rev-parse', '--abbrev-ref', 'HEAD']).trim()).toBe('feature/h1');

    const h2 = join(w.dir, 'app-h2');
    execFileSyncRm(h2);
    const r = await w.tm(['rm', 'h2', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(w.git(['worktree', 'list'])).not.toContain('app-h2');
    const registry = JSON.parse(readFileSync(join(w.env.XDG_STATE_HOME!, 'treemux', 'ports.json'), 'utf8')).ports as { agent: string }[];
    expect(registry.map((p) => p.agent)).toEqual(['h1']);
  });

  it('a branch ref deleted by hand: rm says so in one line; rm --force saves the files and keeps the commits reachable', async () => {
    w.write('treemux.yaml', layout('  - { name: gone, task: a }\n'));
    commitAll('layout');
    await up();
    const wt = join(w.dir, 'app-gone');
    writeFileSync(join(wt, 'kept.txt'), 'a commit\n');
    w.git(['-C', wt, 'add', 'kept.txt']);
    w.git(['-C', wt, 'commit', '-qm', 'a commit to keep']);
    const commit = w.git(['-C', wt, 'rev-parse', 'HEAD']).trim();
    writeFileSync(join(wt, 'kept.txt'), 'and an edit\n');
    w.git(['update-ref', '-d', 'refs/heads/feature/gone']);

    const refused = await w.tm(['rm', 'gone']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(`a branch that was deleted by hand (feature/gone, last at ${commit.slice(0, 12)})`);
    const r = await w.tm(['rm', 'gone', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(wt)).toBe(false);
    const trash = join(w.repo, '.git', 'treemux', 'trash');
    const [saved] = readdirSync(trash);
    expect(readFileSync(join(trash, saved!, 'diff.patch'), 'utf8')).toContain('+and an edit');
    expect(JSON.parse(readFileSync(join(trash, saved!, 'info.json'), 'utf8'))).toMatchObject({ head: commit, branchDeleted: true });
    expect(w.git(['for-each-ref', '--format=%(objectname)', 'refs/treemux/trash/']).trim()).toBe(commit);
  });

  for (const [what, content] of [
    ['agents of the wrong type', '{"version":1,"agents":"nope"}'],
    ['an array', '[1,2,3]'],
    ['fields of the wrong types', '{"version":1,"agents":{"s1":{"name":"s1","branch":7,"worktree":null}}}'],
    ['bytes that are not JSON', '{"version":1,"agen'],
  ] as const) {
    it(`a state.json of ${what} is set aside and rebuilt: up and down --force work`, async () => {
      w.write('treemux.yaml', layout('  - { name: s1, task: a }\n'));
      commitAll('layout');
      await up();
      const state = join(w.repo, '.git', 'treemux', 'state.json');
      writeFileSync(state, content);
      await up();
      expect(readdirSync(join(w.repo, '.git', 'treemux')).some((f) => f.startsWith('state.json.bad-'))).toBe(true);
      expect(w.tmux(['list-windows', '-t', '=app', '-F', '#{window_name}']).trim().split('\n')).toEqual(['dash', 's1']);
      const down = await w.tm(['down', '--force']);
      expect(down.code, down.stderr).toBe(0);
      expect(existsSync(join(w.dir, 'app-s1'))).toBe(false);
    });
  }
});

function execFileSyncRm(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

describe('an up killed half way', () => {
  for (const step of ['worktree-made', 'window-made'] as const) {
    it(`killed when the ${step.replace('-made', '')} was just made: the next up finishes it, one window each; down --force removes treemux's branch`, async () => {
      w.write('treemux.yaml', layout('  - { name: a1, task: a }\n  - { name: a2, task: b }\n'));
      commitAll('layout');
      const killed = await execa(process.execPath, [BIN, 'up', '--no-attach'], { cwd: w.repo, env: { ...w.env, TREEMUX_CRASH_AT: step }, extendEnv: false, reject: false });
      expect(killed.signal).toBe('SIGKILL');
      const again = await w.tm(['up', '--no-attach']);
      expect(again.code, again.stderr).toBe(0);
      const windows = w.tmux(['list-windows', '-t', '=app', '-F', '#{window_name}']).trim().split('\n');
      expect(windows).toEqual(['dash', 'a1', 'a2']);
      await waitFor(async () => JSON.parse((await w.tm(['ls', '--json'])).stdout).agents.every((a: { status: string }) => a.status !== 'starting' && a.status !== 'stopped'), 'the agents running', () => w.screen('app:a1'));
      const down = await w.tm(['down', '--force']);
      expect(down.code, down.stderr).toBe(0);
      expect(down.stderr).not.toContain('kept branch');
      expect(w.git(['branch', '--list', 'feature/*']).trim()).toBe('');
      expect(JSON.parse(readFileSync(join(w.repo, '.git', 'treemux', 'state.json'), 'utf8')).pending).toBeUndefined();
    });
  }
});

describe('huge input', () => {
  it('a 100 KB one-line send arrives intact', async () => {
    const dump = join(w.dir, 'received.txt');
    const reader = join(w.dir, 'bin', 'reader');
    // in raw mode, as agents' screens are (a terminal in line mode cuts a line at 4095 bytes)
    writeFileSync(
      reader,
      `#!${process.execPath}\nprocess.stdin.setRawMode(true);\nconsole.log('ready');\nlet got = '';\nprocess.stdin.on('data', (d) => {\n  got += d;\n  const end = got.indexOf('\\r');\n  if (end >= 0) require('fs').writeFileSync(${JSON.stringify(dump)}, got.slice(0, end));\n});\n`,
    );
    chmodSync(reader, 0o755);
    w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${reader} }\nagents:\n  - { name: big, task: t }\n`);
    commitAll('layout');
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    await waitFor(() => w.screen('app:big').includes('ready'), 'the reader', () => w.screen('app:big'));
    const text = Array.from({ length: 100_000 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz0123456789'[i % 36]).join('');
    const r = await w.tm(['send', 'big', text]);
    expect(r.code, r.stderr).toBe(0);
    await waitFor(() => existsSync(dump) && readFileSync(dump, 'utf8').length >= text.length, 'the whole line', () => `${existsSync(dump) ? readFileSync(dump, 'utf8').length : 0} bytes`, 20_000);
    expect(readFileSync(dump, 'utf8')).toBe(text);
  });
});

describe('layout checks come before anything is made', () => {
  const rejects = async (yaml: string, message: RegExp) => {
    w.write('bad.yaml', yaml);
    const r = await w.tm(['up', '--no-attach', '--layout', 'bad.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(() => w.tmux(['has-session', '-t', '=app'])).toThrow();
    expect(w.git(['branch', '--list', 'feature/*']).trim()).toBe('');
  };

  it('a database URL of another kind, or not a URL at all', async () => {
    await rejects('version: 1\nproject: app\ndatabase: { kind: postgres, url: "mysql://root@127.0.0.1:3306/x" }\nagents:\n  - { name: a, task: t }\n', /^treemux: bad\.yaml:3:34: database\.url: is not a PostgreSQL URL: it must start with postgresql:\/\/ or postgres:\/\/$/);
    await rejects('version: 1\nproject: app\ndatabase: { kind: postgres, url: "not a url" }\nagents:\n  - { name: a, task: t }\n', /^treemux: bad\.yaml:3:34: database\.url: must be a URL naming the development database/);
    await rejects('version: 1\nproject: app\ndatabase: { kind: mysql, url: "postgresql://a@b/c" }\nagents:\n  - { name: a, task: t }\n', /^treemux: bad\.yaml:3:31: database\.url: is not a MySQL\/MariaDB URL/);
  });

  it('an agent name too long for a window, a branch, a folder or a database name', async () => {
    await rejects(`version: 1\nproject: app\nagents:\n  - { name: ${'a'.repeat(300)}, task: t }\n`, /^treemux: bad\.yaml:4:13: agents\[0\]\.name: must be at most 40 characters/);
    await rejects('version: 1\nproject: app\ndatabase: { kind: postgres, url: "postgresql://a@b/a_rather_long_development_database_name" }\nagents:\n  - { name: a-long-agent-name-indeed, task: t }\n', /^treemux: bad\.yaml:5:13: agents\[0\]\.name: agent "a-long-agent-name-indeed" would get the database .* longer than PostgreSQL keeps \(63\)/);
  });

  it('a YAML alias that would never end, with its line', async () => {
    await rejects('version: 1\nproject: app\nx: &a [*a]\nagents: []\n', /^treemux: bad\.yaml:3:8: invalid YAML: the alias \*a is inside the value its anchor &a names/);
  });

  it('a layout file of 10 MB is refused at once, by its size', async () => {
    w.write('bad.yaml', `version: 1\nproject: app\nagents: []\n# ${'x'.repeat(10 * 1024 * 1024)}\n`);
    const r = await w.tm(['up', '--no-attach', '--layout', 'bad.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('treemux: bad.yaml: the file is 10.0 MB; a layout is at most 1 MB');
  });

  it('an up in which every agent fails leaves no empty session behind', async () => {
    w.write('treemux.yaml', 'version: 1\nproject: app\nbase: nope\nagent: { command: sh }\nagents:\n  - { name: a, task: t }\n');
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code).toBe(1);
    expect(() => w.tmux(['has-session', '-t', '=app'])).toThrow();
  });
});
