// The ssh test host itself (test/helpers/sshd.ts), before anything of treemux runs on it: the user gets
// in as `box` through the world's PATH, runs a tmux server there, the host goes away and comes back,
// what happens to an open ControlMaster connection when it goes, and cleanup. Its own user, so that it
// never kills what hosts.test.ts (running beside it) has there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshAvailable, startSshHost, type SshHost } from '../helpers/sshd.js';
import { makeWorld, waitFor, type World } from '../helpers/world.js';

const USER = 'treemuxsshd';

describe.skipIf(!sshAvailable())('the ssh test host', () => {
  let w: World;
  let box: SshHost;
  /** the user's living processes on this machine, as `ps -u` shows them (not the killed ones nobody reaped yet) */
  const psUser = () =>
    spawnSync('ps', ['-u', box.user, '-o', 'stat=,pid=,args='], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('Z'))
      .map((l) => `${l.trim().replace(/^\S+\s+/, '')}\n`)
      .join('');
  /** `ssh` as treemux runs it: found on the world's PATH, with options of its own */
  const worldSsh = (args: string[]) => {
    const r = spawnSync('ssh', args, { env: w.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };

  beforeAll(async () => {
    w = makeWorld();
    box = await startSshHost(w.dir, w.env, { user: USER });
    Object.assign(w.env, box.env);
  }, 60_000);

  afterAll(() => {
    box?.cleanup();
    box?.stop();
    w?.cleanup();
  });

  it('lets the user in as box, through the wrapper first on the world PATH', () => {
    expect(box.name).toBe('box');
    expect(box.user).toBe(USER);
    const id = box.ssh('id -un; echo "$HOME"; git config --global init.defaultBranch');
    expect(id.code, id.stderr).toBe(0);
    expect(id.stdout.split('\n').slice(0, 3)).toEqual([USER, box.home, 'main']);
    expect(execFileSync('which', ['ssh'], { env: w.env, encoding: 'utf8' }).trim()).toBe(join(box.env.PATH!.split(':')[0]!, 'ssh'));
    const direct = worldSsh(['-o', 'BatchMode=yes', 'box', 'id -un']);
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stdout.trim()).toBe(USER);
  });

  it('runs a tmux server there as the user, one that outlives the session', () => {
    const r = box.ssh('tmux -L x new-session -d sleep 100');
    expect(r.code, r.stderr).toBe(0);
    expect(psUser()).toMatch(/tmux -L x new-session -d sleep 100/);
    expect(psUser()).toMatch(/ sleep 100$/m);
    expect(box.ssh('tmux -L x list-sessions -F "#{session_name}"').stdout.trim()).toBe('0');
  });

  it('stop: a new connection is refused (the user\'s tmux server goes on); start: it lets the user in again on the same port', async () => {
    box.stop();
    const refused = box.ssh('true');
    expect(refused.code).toBe(255);
    expect(refused.stderr).toMatch(/Connection refused/);
    expect(psUser()).toMatch(/tmux -L x/);
    const port = box.port;
    await box.start();
    expect(box.port).toBe(port);
    const back = box.ssh('id -un');
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout.trim()).toBe(USER);
    expect(box.ssh('tmux -L x has-session').code).toBe(0);
  });

  it('an open ControlMaster connection: carries new sessions while only the listener is stopped; stop() cuts it', async () => {
    const controlDir = join(w.dir, 'cm');
    mkdirSync(controlDir, { recursive: true, mode: 0o700 });
    const cm = ['-o', 'BatchMode=yes', '-o', `ControlPath=${join(controlDir, '%C')}`];
    const master = () => {
      // -f: backgrounded once in; its stdio to nothing (a master holds on to what it is given)
      const r = spawnSync('ssh', [...cm, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=60', '-E', join(controlDir, 'master.log'), '-f', '-N', 'box'], { env: w.env, stdio: 'ignore', timeout: 30_000 });
      expect(r.status).toBe(0);
    };
    const check = () => worldSsh([...cm, '-O', 'check', 'box']).code === 0;
    const through = () => worldSsh([...cm, '-o', 'ControlMaster=no', 'box', 'echo through']);
    try {
      master();
      expect(check()).toBe(true);

      box.stop({ keepSessions: true });
      expect(box.ssh('true').code).toBe(255); // a new connection is refused…
      const r = through(); // …but the master's connection lives on and carries a new session
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('through');
      expect(check()).toBe(true);
      await box.start();

      box.stop(); // the listener and the connections it had: the master's too
      await waitFor(() => !check(), 'the master to see its connection cut', () => worldSsh([...cm, '-O', 'check', 'box']).stderr);
      const after = through(); // no master: ssh connects itself, and is refused
      expect(after.code).toBe(255);
      expect(after.stderr).toMatch(/Connection refused/);
      expect(psUser()).toMatch(/tmux -L x/); // what the user left running there goes on
      await box.start();
    } finally {
      worldSsh([...cm, '-O', 'exit', 'box']); // the master, when still up
    }
  });

  it('cleanup kills every process of the user and removes what tests made there; the user still gets in', () => {
    expect(box.ssh('mkdir -p ~/src/app ~/.local/state/treemux && touch ~/.local/state/treemux/ports.tsv && (sleep 300 >/dev/null 2>&1 &)').code).toBe(0);
    expect(psUser()).toMatch(/sleep 300/);
    const uid = execFileSync('id', ['-u', box.user], { encoding: 'utf8' }).trim();
    expect(existsSync(`/tmp/tmux-${uid}`)).toBe(true);
    box.cleanup();
    expect(psUser()).toBe('');
    expect(existsSync(join(box.home, 'src'))).toBe(false);
    expect(existsSync(join(box.home, '.local', 'state', 'treemux'))).toBe(false);
    expect(existsSync(`/tmp/tmux-${uid}`)).toBe(false);
    expect(box.ssh('id -un').stdout.trim()).toBe(USER);
  });
});
