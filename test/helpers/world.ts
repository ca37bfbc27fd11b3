// A private world for end-to-end tests: its own HOME, git config, XDG state, tmux socket and temp
// repository, and a `tm` that runs the built treemux exactly as a user would.
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'treemux.js');
export const FAKE_AGENT = join(ROOT, 'test', 'fixtures', 'agent.sh');

export interface World {
  dir: string;
  repo: string;
  socket: string;
  env: Record<string, string>;
  tm(args: string[], opts?: { cwd?: string; input?: string }): Promise<{ code: number; stdout: string; stderr: string }>;
  git(args: string[], cwd?: string): string;
  tmux(args: string[]): string;
  /** every pane of a window target (e.g. `app:auth`), captured */
  screen(target: string): string;
  write(rel: string, content: string): void;
  cleanup(): void;
}

export function makeWorld(): World {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'treemux-e2e-')));
  const socket = `tm-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const home = join(dir, 'home');
  for (const d of ['home', 'state', 'config', 'tmux', 'bin']) mkdirSync(join(dir, d), { recursive: true });
  // `treemux` on PATH, as after the README's install: the commands treemux prints then say `treemux`
  symlinkSync(BIN, join(dir, 'bin', 'treemux'));
  const env: Record<string, string> = {
    PATH: `${join(dir, 'bin')}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    XDG_STATE_HOME: join(dir, 'state'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    GIT_CONFIG_GLOBAL: join(dir, 'gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    TMUX_TMPDIR: join(dir, 'tmux'),
    TREEMUX_SOCKET: socket,
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
  };
  writeFileSync(env.GIT_CONFIG_GLOBAL!, '[user]\n\tname = e2e\n\temail = e2e@example.com\n[init]\n\tdefaultBranch = main\n');
  const repo = join(dir, 'app');
  mkdirSync(repo);
  const run = (cmd: string, args: string[], cwd = repo) =>
    execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const world: World = {
    dir,
    repo,
    socket,
    env,
    async tm(args, opts = {}) {
      const r = await execa(process.execPath, [BIN, ...args], {
        cwd: opts.cwd ?? repo,
        env,
        extendEnv: false,
        reject: false,
        input: opts.input ?? '',
      });
      return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
    git: (args, cwd) => run('git', args, cwd),
    tmux: (args) => run('tmux', ['-L', socket, ...args]),
    screen(target) {
      try {
        const panes = run('tmux', ['-L', socket, 'list-panes', '-t', target, '-F', '#{pane_id}']).split('\n').filter(Boolean);
        return panes.map((p) => run('tmux', ['-L', socket, 'capture-pane', '-p', '-J', '-t', p])).join('\n');
      } catch (err) {
        return `(no screen for ${target}: ${(err as Error).message.split('\n')[0]})`;
      }
    },
    write(rel, content) {
      mkdirSync(dirname(join(repo, rel)), { recursive: true });
      writeFileSync(join(repo, rel), content);
    },
    cleanup() {
      try {
        execFileSync('tmux', ['-L', socket, 'kill-server'], { env, stdio: 'ignore' });
      } catch {
        // no server left
      }
      // what ran in the world (a dashboard, an agent, a hook) ends with its server, but on a loaded
      // machine it may still take a lock or write a file meanwhile: wait for it to be gone first
      const left = waitForProcessesIn(dir, 15_000);
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
      } catch (err) {
        throw new Error(`cleanup of ${dir} failed (${(err as Error).message}); processes still there: ${left.join(' | ') || 'none'}`);
      }
    },
  };
  return world;
}

/** Poll (up to `deadlineMs`) until no process but this one has its working directory under `dir`; returns those left. */
function waitForProcessesIn(dir: string, deadlineMs: number): string[] {
  const end = Date.now() + deadlineMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const left: string[] = [];
    for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid)) {
      try {
        const cwd = readlinkSync(`/proc/${pid}/cwd`);
        if (cwd === dir || cwd.startsWith(`${dir}/`)) left.push(`${pid} in ${cwd}`);
      } catch {
        // gone meanwhile, or not ours to read
      }
    }
    if (left.length === 0 || Date.now() > end) return left;
    Atomics.wait(pause, 0, 0, 50); // cleanup is synchronous: a short pause between looks
  }
}

/** A small app repository on main with a .gitignore'd .env, sources and tests. */
export function makeAppRepo(w: World): void {
  w.git(['init', '-q', '-b', 'main']);
  w.write('.gitignore', 'node_modules\n.env\n');
  w.write('.env', 'SECRET_TOKEN=abc123\nPORT=3000\n');
  w.write('package.json', '{"name":"app","version":"1.0.0","scripts":{"test":"node tests/run.js"}}\n');
  w.write('tests/run.js', 'console.log("ok")\n');
  w.write('src/a.ts', 'export const a = 1;\n');
  w.write('src/b.ts', 'export const b = 2;\n');
  w.git(['add', '-A']);
  w.git(['commit', '-qm', 'initial app']);
}

/** Poll `check` until it returns true or the deadline passes; then fail showing `dump()`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, dump: () => string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; saw:\n${dump()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
