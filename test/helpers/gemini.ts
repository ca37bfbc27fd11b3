// The real Gemini CLI (`@google/gemini-cli`) for the optional client suite (test/clients/gemini):
// installed once, pinned, into a cache folder, and given a HOME in which it starts straight at its
// prompt, offline, against test/helpers/fake-gemini-api.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { FAKE_GEMINI_KEY, startFakeGeminiApi, type FakeGeminiApi } from './fake-gemini-api.js';
import { processAlive } from './tmux.js';
import { makeAppRepo, makeWorld, ROOT, type World } from './world.js';

/** The Gemini CLI release the suite runs against (the newest on the registry when pinned). Bump it on purpose, then re-record the screens. */
export const GEMINI_CLI_VERSION = '0.61.0';
const PKG = '@google/gemini-cli';
/** The model the offline HOME selects (any name: the fake API answers every model). */
export const GEMINI_MODEL = 'gemini-2.5-pro';

/** Where the pinned client is installed: `$TREEMUX_GEMINI_CACHE`, else under node_modules/.cache. */
export function geminiCacheDir(): string {
  return process.env.TREEMUX_GEMINI_CACHE || join(ROOT, 'node_modules', '.cache', 'treemux-gemini', GEMINI_CLI_VERSION);
}

/** The client's entry point (a bundled ES module run by node) when the pinned version is installed in `dir`. */
function findEntry(dir: string): string | null {
  const pkgDir = join(dir, 'node_modules', '@google', 'gemini-cli');
  const manifest = join(pkgDir, 'package.json');
  if (!existsSync(manifest)) return null;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string; bin?: Record<string, string> };
  if (pkg.version !== GEMINI_CLI_VERSION) return null;
  const entry = join(pkgDir, pkg.bin?.gemini ?? 'bundle/gemini.js');
  return existsSync(entry) ? entry : null;
}

let ensured: Promise<string> | undefined;

/**
 * Installs `@google/gemini-cli@GEMINI_CLI_VERSION` into the cache folder once (into a temporary
 * sibling first, renamed into place, so an interrupted install is never taken for a finished one) and
 * returns the absolute path of its entry script (run it with `process.execPath`), after checking that
 * `--version` names the pinned version.
 *
 * `--ignore-scripts`: the package's dependencies are bundled, but its optional native ones would build
 * at install (`@github/keytar`: `node script/install.js || node-gyp rebuild`; `node-pty@1.0.0`:
 * node-gyp). Without them the client uses `@lydell/node-pty`'s prebuilt binary and needs no keychain
 * for an API key.
 */
export function ensureGemini(): Promise<string> {
  ensured ??= (async () => {
    const dir = geminiCacheDir();
    let entry = existsSync(dir) ? findEntry(dir) : null;
    if (!entry) {
      const tmp = `${dir}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      const r = await execa(
        'npm',
        ['install', '--prefix', tmp, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel', 'error', `${PKG}@${GEMINI_CLI_VERSION}`],
        { reject: false, all: true, env: { npm_config_update_notifier: 'false' } },
      );
      if (r.exitCode !== 0) {
        rmSync(tmp, { recursive: true, force: true });
        throw new Error(`npm install ${PKG}@${GEMINI_CLI_VERSION} failed (exit ${r.exitCode}):\n${String(r.all).split('\n').slice(-20).join('\n')}`);
      }
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
      entry = findEntry(dir);
      if (!entry) throw new Error(`installed ${PKG}@${GEMINI_CLI_VERSION} in ${dir}, but found no bundle/gemini.js`);
    }
    const home = join(dir, '.version-home');
    mkdirSync(home, { recursive: true });
    const version = execFileSync(process.execPath, [entry, '--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home } }).trim();
    if (version !== GEMINI_CLI_VERSION) throw new Error(`${entry} --version says "${version}", expected ${GEMINI_CLI_VERSION}`);
    return entry;
  })();
  return ensured;
}

export interface GeminiHomeOptions {
  /** `security.folderTrust.enabled` (default false: every folder trusted, no dialog; the client's own default is true) */
  folderTrust?: boolean;
  /** more user settings, merged over the base at the top level */
  extra?: Record<string, unknown>;
}

/**
 * Writes `<home>/.gemini/settings.json` so the client starts at its prompt with no dialog, offline:
 * - `security.auth.selectedType: "gemini-api-key"`: with GEMINI_API_KEY set it authenticates with the
 *   key (else it opens the auth dialog);
 * - `security.folderTrust.enabled: false` (unless `folderTrust`): else a new folder gets "Do you trust
 *   the files in this folder?", its `.gemini/settings.json` (hooks!) is ignored, and headless runs exit
 *   55 ("not running in a trusted directory");
 * - `privacy.usageStatisticsEnabled: false`, `general.enableAutoUpdate(Notification): false`: no
 *   telemetry, no update check;
 * - `model.name`: the main model (side requests name other models; the fake answers any).
 */
export function geminiHome(home: string, opts: GeminiHomeOptions = {}): string {
  mkdirSync(join(home, '.gemini'), { recursive: true });
  const settings = {
    security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: opts.folderTrust ?? false } },
    privacy: { usageStatisticsEnabled: false },
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    model: { name: GEMINI_MODEL },
    ...opts.extra,
  };
  writeFileSync(join(home, '.gemini', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return home;
}

/** The environment the client needs besides HOME: the key and the fake API's base URL. */
export function geminiEnv(api: FakeGeminiApi, apiKey = FAKE_GEMINI_KEY): Record<string, string> {
  return api.env(apiKey);
}

/** Polls `check` every 50 ms until it holds (true) or `timeoutMs` is over (false). */
async function settle(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What `geminiWorldEachTest` hands each test. */
export interface GeminiWorld {
  /** the pinned client's entry script (see `ensureGemini`): run as `node <gemini>` */
  gemini: string;
  w: World;
  api: FakeGeminiApi;
}

/**
 * For the real-client suites, inside their `describe`: once, the pinned client (installed on first
 * use); before each test, a fresh world (its own HOME, tmux socket and app repository) with the offline
 * HOME written and a fake Gemini API whose env (base URL, key) is in the world's env; after each test,
 * teardown: the tmux server and every pane's process ended first (the client writes into HOME while
 * it shuts down), then the fake API closed and the world removed.
 */
export function geminiWorldEachTest(use: (c: GeminiWorld) => void): void {
  let gemini: string;
  let w: World | undefined;
  let api: FakeGeminiApi | undefined;
  beforeAll(async () => {
    gemini = await ensureGemini();
  }, 300_000);
  beforeEach(async () => {
    w = makeWorld();
    makeAppRepo(w);
    geminiHome(w.env.HOME!);
    api = await startFakeGeminiApi();
    Object.assign(w.env, geminiEnv(api));
    use({ gemini, w, api });
  });
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
        return false; // ENOTEMPTY: a straggler still writing
      }
    }, 10_000);
    if (!removed) throw new Error(`timed out after 10000 ms waiting for the world to be removed; saw:\n${world.dir}`);
  });
}

/** Every hook event of this version (its HookEventName enum). */
export const GEMINI_HOOK_EVENTS = [
  'SessionStart',
  'SessionEnd',
  'BeforeAgent',
  'AfterAgent',
  'BeforeTool',
  'AfterTool',
  'Notification',
  'PreCompress',
  'BeforeModel',
  'AfterModel',
  'BeforeToolSelection',
] as const;

/** A shell command appending `<epoch ms> <event JSON on one line>` to `file`. */
export function recordingCommand(file: string): string {
  return `{ printf '%s ' "$(date +%s%3N)"; tr -d '\\n'; echo; } >> '${file.replace(/'/g, `'\\''`)}'`;
}

/**
 * `settings.json` content whose hooks append `<epoch ms> <event JSON>` lines to `file` for each of
 * `events`. Each hook has a `name`: the client shows it ("Executing Hook: <name>", the project-hooks
 * warning) instead of the whole command.
 */
export function recordingHooks(file: string, events: readonly string[], name = 'recorder'): Record<string, unknown> {
  const command = recordingCommand(file);
  return Object.fromEntries(events.map((e) => [e, [{ matcher: '', hooks: [{ type: 'command', name, command }] }]]));
}

export interface RecordedEvent {
  /** epoch ms at which the hook ran */
  at: number;
  event: string;
  data: Record<string, unknown>;
}

/** The events a recording hook wrote so far. */
export function readRecordedEvents(file: string): RecordedEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^\d+ \{/.test(l))
    .flatMap((l) => {
      const sp = l.indexOf(' ');
      try {
        const data = JSON.parse(l.slice(sp + 1)) as Record<string, unknown>;
        return [{ at: Number(l.slice(0, sp)), event: String(data.hook_event_name), data }];
      } catch {
        return []; // a line still being written
      }
    });
}
