// The real OpenCode client (`opencode-ai`, a native binary) for the optional client suite
// (TREEMUX_CLIENT_TESTS=1): installed once, pinned, into a cache folder, and given a config in which
// it talks only to a loopback fake of the OpenAI Chat Completions API (fake-openai-chat.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { FAKE_OPENAI_KEY, startFakeOpenAIChat, type FakeOpenAIChat } from './fake-openai-chat.js';
import { processAlive } from './tmux.js';
import { makeAppRepo, makeWorld, ROOT, type World } from './world.js';

/** The OpenCode release the suite runs against (the registry's latest when pinned). Bump it on purpose, then re-record the fixtures. */
export const OPENCODE_VERSION = '1.18.33';
const PKG = 'opencode-ai';
/** The fake provider's id and model, as the config names them. */
export const FAKE_PROVIDER = 'fake';
export const FAKE_MODEL = 'fake-model';

/** Where the pinned client is installed: `$TREEMUX_OPENCODE_CACHE`, else under node_modules/.cache. */
export function opencodeCacheDir(): string {
  return process.env.TREEMUX_OPENCODE_CACHE || join(ROOT, 'node_modules', '.cache', 'treemux-opencode', OPENCODE_VERSION);
}

/**
 * The candidates for the program that runs, best first. The main package's `bin/opencode.exe` is what
 * its postinstall (postinstall.mjs) hard-links from the platform package that fits the machine
 * (`opencode-linux-x64`, `-baseline` without AVX2, `-musl`…; npm installs those whose os/cpu/libc
 * fit); without install scripts it is missing, so the platform packages' `bin/opencode` follow.
 */
function candidates(dir: string): string[] {
  const nm = join(dir, 'node_modules');
  const pkg = join(nm, PKG, 'package.json');
  if (!existsSync(pkg)) return [];
  const installed = JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string };
  if (installed.version !== OPENCODE_VERSION) return [];
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const base = `opencode-${platform}-${process.arch}`;
  const exe = process.platform === 'win32' ? 'opencode.exe' : 'opencode';
  const variants = [base, `${base}-baseline`, `${base}-musl`, `${base}-baseline-musl`].map((name) => join(nm, name, 'bin', exe));
  return [join(nm, PKG, 'bin', 'opencode.exe'), ...variants].filter((p) => existsSync(p) && statSync(p).size > 1_000_000);
}

/** The first candidate whose `--version` names the pinned version. */
function findBinary(dir: string): string | null {
  for (const bin of candidates(dir)) {
    try {
      const version = execFileSync(bin, ['--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, timeout: 30_000 }).trim();
      if (version === OPENCODE_VERSION) return bin;
    } catch {
      // not for this machine (a CPU without AVX2 for the plain x64 build…): the next one
    }
  }
  return null;
}

let ensured: Promise<string> | undefined;

/**
 * Installs `opencode-ai@OPENCODE_VERSION` into the cache folder once (into a temporary sibling first,
 * renamed into place, so an interrupted install is never taken for a finished one) and returns the
 * absolute path of the native binary, after checking that `--version` names the pinned version. npm
 * fetches three packages (~60 MB each, the launcher and the two x64 builds); nothing compiles.
 */
export function ensureOpenCode(): Promise<string> {
  ensured ??= (async () => {
    const dir = opencodeCacheDir();
    let bin = existsSync(dir) ? findBinary(dir) : null;
    if (!bin) {
      const tmp = `${dir}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      const r = await execa('npm', ['install', '--prefix', tmp, '--no-save', '--no-audit', '--no-fund', '--loglevel', 'error', `${PKG}@${OPENCODE_VERSION}`], {
        reject: false,
        all: true,
        env: { npm_config_update_notifier: 'false' },
      });
      if (r.exitCode !== 0) {
        rmSync(tmp, { recursive: true, force: true });
        throw new Error(`npm install ${PKG}@${OPENCODE_VERSION} failed (exit ${r.exitCode}):\n${r.all}`);
      }
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
      bin = findBinary(dir);
      if (!bin) throw new Error(`installed ${PKG}@${OPENCODE_VERSION} in ${dir}, but found no native opencode binary for ${process.platform}-${process.arch} that runs`);
    }
    return bin;
  })();
  return ensured;
}

export interface OpenCodeConfigOptions {
  /** the fake API's base URL, `http://127.0.0.1:PORT/v1` */
  baseURL: string;
  /** `permission.bash` (default "ask": a bash tool call asks) */
  bash?: 'ask' | 'allow' | 'deny';
  /** USD per million tokens, so that step_finish reports a cost (default: none, cost 0) */
  cost?: { input: number; output: number };
}

/**
 * The user config (`$XDG_CONFIG_HOME/opencode/opencode.json`): one OpenAI-compatible provider `fake`
 * (the bundled `@ai-sdk/openai-compatible`: nothing to install) whose only model is both the main and
 * the small (title) model, with tool calls; no autoupdate, no sharing; bash asks.
 */
export function opencodeConfig(o: OpenCodeConfigOptions): Record<string, unknown> {
  const model: Record<string, unknown> = { name: 'Fake Model', tool_call: true, limit: { context: 100_000, output: 4096 } };
  if (o.cost) model.cost = o.cost;
  return {
    $schema: 'https://opencode.ai/config.json',
    model: `${FAKE_PROVIDER}/${FAKE_MODEL}`,
    small_model: `${FAKE_PROVIDER}/${FAKE_MODEL}`,
    autoupdate: false,
    share: 'disabled',
    provider: {
      [FAKE_PROVIDER]: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Fake',
        options: { baseURL: o.baseURL, apiKey: FAKE_OPENAI_KEY },
        models: { [FAKE_MODEL]: model },
      },
    },
    permission: { bash: o.bash ?? 'ask' },
  };
}

/**
 * Environment for an offline OpenCode: no models.dev fetch, no autoupdate, no default (npm) plugins,
 * no LSP downloads, no sharing; its folders inside the world (XDG data: sessions database and logs;
 * cache); and npm offline with no retries. At every start OpenCode runs `npm install
 * @opencode-ai/plugin` in each config folder (the user's, and a project's `.opencode/`), in the
 * background: offline npm fails at once ("cache mode is 'only-if-cached'"), logged as a warning; without
 * it npm would reach the registry, or, with no network at all, retry for about 70 s.
 */
export function opencodeEnv(worldDir: string): Record<string, string> {
  return {
    XDG_DATA_HOME: join(worldDir, 'data'),
    XDG_CACHE_HOME: join(worldDir, 'cache'),
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_SHARE: '1',
    npm_config_offline: 'true',
    npm_config_fetch_retries: '0',
    npm_config_update_notifier: 'false',
  };
}

/** Writes the user config into the world's XDG_CONFIG_HOME; returns its path. */
export function writeOpenCodeConfig(w: World, o: OpenCodeConfigOptions): string {
  const dir = join(w.env.XDG_CONFIG_HOME!, 'opencode');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'opencode.json');
  writeFileSync(file, `${JSON.stringify(opencodeConfig(o), null, 2)}\n`);
  return file;
}

/** OpenCode's own log (XDG_DATA_HOME/opencode/log/*.log), its last lines, for failure messages. */
export function opencodeLogTail(w: World, lines = 30): string {
  const dir = join(w.env.XDG_DATA_HOME ?? join(w.dir, 'data'), 'opencode', 'log');
  try {
    return execFileSync('sh', ['-c', `tail -n ${lines} "$0"/*.log`, dir], { encoding: 'utf8' });
  } catch {
    return '(no opencode log)';
  }
}

async function settle(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface OpenCodeWorld {
  /** the pinned client's binary (see `ensureOpenCode`) */
  opencode: string;
  w: World;
  api: FakeOpenAIChat;
}

/**
 * For the real-client suites, inside their `describe`: once, the pinned client (installed on first
 * use); before each test, a fresh world with the app repository, a fake Chat Completions API, the
 * user config pointing at it and the offline environment in the world's env (the tmux server's, so
 * every pane gets it); after each test, the tmux server and every pane's process ended first, then
 * the fake API closed and the world removed (retried while a straggler still writes into it).
 */
export function opencodeWorldEachTest(use: (c: OpenCodeWorld) => void, config: Omit<OpenCodeConfigOptions, 'baseURL'> = {}): void {
  let opencode: string;
  let w: World | undefined;
  let api: FakeOpenAIChat | undefined;
  beforeAll(async () => {
    opencode = await ensureOpenCode();
  }, 600_000);
  beforeEach(async () => {
    w = makeWorld();
    makeAppRepo(w);
    api = await startFakeOpenAIChat();
    Object.assign(w.env, opencodeEnv(w.dir));
    writeOpenCodeConfig(w, { baseURL: api.baseURL, ...config });
    use({ opencode, w, api });
  }, 60_000);
  afterEach(async () => {
    const world = w;
    const fake = api;
    w = undefined;
    api = undefined;
    if (!world) return;
    let pids: number[] = [];
    try {
      pids = world.tmux(['list-panes', '-a', '-F', '#{pane_pid}']).split('\n').filter(Boolean).map(Number);
    } catch {
      // no server
    }
    try {
      world.tmux(['kill-server']);
    } catch {
      // gone already
    }
    await settle(() => pids.every((p) => !processAlive(p)), 10_000);
    await fake?.close();
    const removed = await settle(() => {
      try {
        world.cleanup();
        return true;
      } catch {
        return false;
      }
    }, 10_000);
    if (!removed) throw new Error(`timed out after 10000 ms waiting for the world to be removed; saw:\n${world.dir}`);
  }, 60_000);
}

// ---- OpenCode 1.18.33's screen (recorded: test/fixtures/screens/opencode-*.txt) ---------------------

/** Busy: the moving bar with `esc interrupt` at the bottom left. */
export const isBusyScreen = (screen: string): boolean => /esc interrupt/.test(screen);
/** The permission question in place of the input box. */
export const isPermissionScreen = (screen: string): boolean => /△ Permission required/.test(screen) && /Allow once\s+Allow always\s+Reject/.test(screen);
/** Idle: the footer's `ctrl+p commands` with neither the bar nor a question. */
export const isIdleScreen = (screen: string): boolean => /ctrl\+p commands/.test(screen) && !isBusyScreen(screen) && !isPermissionScreen(screen);

/** A plugin for `.opencode/plugin/`: appends `{at, kind, data}` lines to $OPENCODE_RECORD for every bus event and the hooks it knows. */
export const RECORDING_PLUGIN = `import { appendFileSync } from "node:fs";
const FILE = process.env.OPENCODE_RECORD;
function rec(kind, data) {
  try {
    if (FILE) appendFileSync(FILE, JSON.stringify({ at: Date.now(), kind, data }) + "\\n");
  } catch {}
}
export const Recorder = async (ctx) => {
  rec("init", { directory: ctx.directory, worktree: ctx.worktree });
  return {
    event: async ({ event }) => rec("event", event),
    "permission.ask": async (input, output) => rec("permission.ask", { input, output }),
    "tool.execute.before": async (input, output) => rec("tool.execute.before", { input, output }),
    "tool.execute.after": async (input, output) => rec("tool.execute.after", { input, output }),
  };
};
`;

export interface Recorded {
  at: number;
  kind: string;
  data: Record<string, unknown> & { type?: string; properties?: Record<string, unknown> };
}

/** What RECORDING_PLUGIN wrote so far. */
export function readRecorded(file: string): Recorded[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Recorded];
      } catch {
        return [];
      }
    });
}
