// The real OpenAI Codex CLI for the optional client suite (test/clients/codex): installed once,
// pinned, into a cache folder, and given a CODEX_HOME in which it starts straight at its prompt and
// talks only to a loopback fake of the Responses API (test/helpers/fake-openai-responses.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { FAKE_OPENAI_KEY, startFakeResponses, type FakeResponses } from './fake-openai-responses.js';
import { processAlive } from './tmux.js';
import { makeAppRepo, makeWorld, ROOT, type World } from './world.js';

/** The Codex release the suite runs against (the newest on npm when pinned). Bump it on purpose, then re-record the screens. */
export const CODEX_VERSION = '0.171.0';
const PKG = '@openai/codex';
/** The model the fake serves: a catalog entry of our own, so no "model metadata not found" warning and no upgrade dialog. */
export const FAKE_MODEL = 'gpt-fake';
/** The variable holding the fake API's key (the provider's env_key). */
export const FAKE_KEY_VAR = 'TREEMUX_FAKE_OPENAI_KEY';

/** Where the pinned client is installed: `$TREEMUX_CODEX_CACHE`, else under node_modules/.cache. */
export function codexCacheDir(): string {
  return process.env.TREEMUX_CODEX_CACHE || join(ROOT, 'node_modules', '.cache', 'treemux-codex', CODEX_VERSION);
}

/** The Rust target of this machine, as the platform packages name their vendor folder. */
function targetTriple(): string | null {
  const arch = process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : null;
  if (!arch) return null;
  if (process.platform === 'linux') return `${arch}-unknown-linux-musl`;
  if (process.platform === 'darwin') return `${arch}-apple-darwin`;
  return null;
}

/**
 * The program that actually runs. `@openai/codex`'s bin is a Node launcher (bin/codex.js) that
 * execve()s the native binary of the platform package npm installed beside it
 * (`@openai/codex-linux-x64` → vendor/x86_64-unknown-linux-musl/bin/codex, ~300 MB), adding only
 * CODEX_MANAGED_BY_NPM to the environment: run that binary directly, so the pane's process is Codex.
 */
function findBinary(dir: string): string | null {
  const scope = join(dir, 'node_modules', '@openai');
  const triple = targetTriple();
  if (!triple || !existsSync(join(scope, 'codex', 'package.json'))) return null;
  const installed = JSON.parse(readFileSync(join(scope, 'codex', 'package.json'), 'utf8')) as { version?: string };
  if (installed.version !== CODEX_VERSION) return null;
  for (const name of readdirSync(scope).sort()) {
    if (!name.startsWith('codex-')) continue;
    const p = join(scope, name, 'vendor', triple, 'bin', 'codex');
    if (existsSync(p) && statSync(p).size > 1_000_000) return p;
  }
  return null;
}

/** The fake model's catalog file (written next to the installed client). */
export function fakeCatalogPath(): string {
  return join(codexCacheDir(), 'treemux-fake-model-catalog.json');
}

/**
 * A model catalog with one entry, FAKE_MODEL, made from the client's own bundled catalog (`codex debug
 * models`): its first listed model that uses the classic tools (exec_command as a function tool,
 * apply_patch): the newest ones are `tool_mode: "code_mode_only"`, whose only tool is a JavaScript
 * `exec` the fake cannot script. No `upgrade` (the TUI would open a "Meet …" migration dialog).
 */
function writeFakeCatalog(bin: string, file: string): void {
  const home = `${file}.home-${process.pid}`;
  mkdirSync(home, { recursive: true });
  try {
    const out = execFileSync(bin, ['debug', 'models'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CODEX_HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] });
    const models = (JSON.parse(out) as { models: Array<Record<string, unknown>> }).models;
    const base = models.find((m) => m.visibility === 'list' && m.supported_in_api !== false && !m.tool_mode && m.shell_type === 'unified_exec');
    if (!base) throw new Error(`codex debug models lists no model with the classic tools: ${models.map((m) => m.slug).join(', ')}`);
    const entry = { ...base, slug: FAKE_MODEL, display_name: 'GPT-Fake', description: 'The fake Responses API of the treemux tests', upgrade: null, availability_nux: null };
    writeFileSync(file, `${JSON.stringify({ models: [entry] }, null, 1)}\n`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

let ensured: Promise<string> | undefined;

/**
 * Installs `@openai/codex@CODEX_VERSION` into the cache folder once (into a temporary sibling first,
 * renamed into place, so an interrupted install is never taken for a finished one), checks that
 * `--version` names the pinned version, writes the fake model's catalog, and returns the native binary.
 */
export function ensureCodex(): Promise<string> {
  ensured ??= (async () => {
    const dir = codexCacheDir();
    let bin = existsSync(dir) ? findBinary(dir) : null;
    if (!bin) {
      const tmp = `${dir}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      const r = await execa('npm', ['install', '--prefix', tmp, '--no-save', '--no-audit', '--no-fund', '--loglevel', 'error', `${PKG}@${CODEX_VERSION}`], {
        reject: false,
        all: true,
        env: { npm_config_update_notifier: 'false' },
      });
      if (r.exitCode !== 0) {
        rmSync(tmp, { recursive: true, force: true });
        throw new Error(`npm install ${PKG}@${CODEX_VERSION} failed (exit ${r.exitCode}):\n${r.all}`);
      }
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
      bin = findBinary(dir);
      if (!bin) throw new Error(`installed ${PKG}@${CODEX_VERSION} in ${dir}, but found no native codex binary for ${process.platform}-${process.arch}`);
    }
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, CODEX_HOME: dir }, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (version !== `codex-cli ${CODEX_VERSION}`) throw new Error(`${bin} --version says "${version}", expected codex-cli ${CODEX_VERSION}`);
    if (!existsSync(fakeCatalogPath())) writeFakeCatalog(bin, fakeCatalogPath());
    return bin;
  })();
  return ensured;
}

/** TOML basic string (JSON's escapes are TOML's). */
const toml = (s: string): string => JSON.stringify(s);

/**
 * Writes `<home>/config.toml` so the client starts at its prompt with no dialog and talks only to
 * the fake API at BASE_URL:
 * - `model_provider = "fake"` with `wire_api = "responses"` (the only wire API of this version) and
 *   no retries (a failure shows at once), its key from FAKE_KEY_VAR;
 * - `model = FAKE_MODEL` from `model_catalog_json` (see writeFakeCatalog);
 * - `approval_policy = "on-request"`: a command that asks to leave the sandbox (`sandbox_permissions:
 *   "require_escalated"`) shows the approval question; `"untrusted"` is refused by this version;
 * - `check_for_update_on_startup = false`, `[analytics] enabled = false`;
 * - `[projects."<dir>"] trust_level = "trusted"` for every folder it starts in (else it asks whether to
 *   trust the folder);
 * - `[tui] screen_reader_detection_done = true`: what the TUI adds to the file at its first start.
 */
export function codexHome(home: string, opts: { baseUrl: string; projectDirs: readonly string[]; catalog?: string }): string {
  mkdirSync(home, { recursive: true });
  const lines = [
    `model = ${toml(FAKE_MODEL)}`,
    `model_catalog_json = ${toml(opts.catalog ?? fakeCatalogPath())}`,
    'model_provider = "fake"',
    'approval_policy = "on-request"',
    'check_for_update_on_startup = false',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[model_providers.fake]',
    'name = "Fake Responses API (treemux tests)"',
    `base_url = ${toml(opts.baseUrl)}`,
    'wire_api = "responses"',
    `env_key = ${toml(FAKE_KEY_VAR)}`,
    'request_max_retries = 0',
    'stream_max_retries = 0',
    ...opts.projectDirs.flatMap((d) => ['', `[projects.${toml(d)}]`, 'trust_level = "trusted"']),
    '',
    // what the TUI writes here itself at its first start (so the file stays as written)
    '[tui]',
    'screen_reader_detection_done = true',
    '',
  ];
  writeFileSync(join(home, 'config.toml'), lines.join('\n'));
  return home;
}

/**
 * The client's environment besides the world's: its home, the fake key, and a TMPDIR of its own
 * (with CODEX_HOME under the system temp folder it refuses to make its helper links: "WARNING:
 * proceeding, even though we could not create PATH aliases: Refusing to create helper binaries under
 * temporary dir").
 */
export function codexEnv(home: string, tmp: string): Record<string, string> {
  mkdirSync(tmp, { recursive: true });
  return { CODEX_HOME: home, [FAKE_KEY_VAR]: FAKE_OPENAI_KEY, TMPDIR: tmp };
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

/** What `codexWorldEachTest` hands each test. */
export interface CodexWorld {
  /** the pinned client's native binary (see `ensureCodex`) */
  codex: string;
  w: World;
  api: FakeResponses;
  /** the client's CODEX_HOME (in the world) */
  home: string;
}

/**
 * For the real-client suites, inside their `describe`: once, the pinned client (installed on first
 * use); before each test, a fresh world with the app repository, a fake Responses API, and a
 * CODEX_HOME pointing at it with the repository trusted, whose env is in the world's env (the tmux
 * server's, so every pane gets it); after each test, teardown: the tmux server and every pane's
 * process ended first, a background app-server a test may have started stopped, the fake closed and
 * the world removed.
 */
export function codexWorldEachTest(use: (c: CodexWorld) => void, opts: { projectDirs?: (w: World) => string[] } = {}): void {
  let codex: string;
  let current: CodexWorld | undefined;
  beforeAll(async () => {
    codex = await ensureCodex();
  });
  beforeEach(async () => {
    const w = makeWorld();
    makeAppRepo(w);
    const api = await startFakeResponses();
    const home = codexHome(join(w.dir, 'codex-home'), { baseUrl: api.baseUrl, projectDirs: opts.projectDirs?.(w) ?? [w.repo] });
    Object.assign(w.env, codexEnv(home, join(w.dir, 'tmp')));
    current = { codex, w, api, home };
    use(current);
  });
  afterEach(async () => {
    const c = current;
    current = undefined;
    if (!c) return;
    const { w, api, home } = c;
    let pids: number[] = [];
    try {
      pids = w.tmux(['list-panes', '-a', '-F', '#{pane_pid}']).split('\n').filter(Boolean).map(Number);
    } catch {
      // no server
    }
    try {
      w.tmux(['kill-server']);
    } catch {
      // gone already
    }
    await settle(() => pids.every((p) => !processAlive(p)), 10_000);
    if (existsSync(join(home, 'packages', 'app-server-daemon'))) {
      // a TUI started without --no-daemon left its background server (it outlives the tmux server)
      await execa(c.codex, ['app-server', 'daemon', 'stop'], { env: { ...w.env }, extendEnv: false, reject: false, timeout: 15_000 });
    }
    await api.close();
    const removed = await settle(() => {
      try {
        w.cleanup();
        return true;
      } catch {
        return false;
      }
    }, 10_000);
    if (!removed) throw new Error(`timed out after 10000 ms waiting for the world to be removed; saw:\n${w.dir}`);
  });
}

/** A shell command line that appends `<epoch ms> <stdin as one line>` to FILE (a hook recording its event). */
export function recordingCommand(file: string): string {
  const q = `'${file.replace(/'/g, `'\\''`)}'`;
  return `{ printf '%s ' "$(date +%s%3N)"; tr -d '\\n'; echo; } >> ${q}`;
}

/** `notify` as a -c override: a program that appends `<epoch ms> <its JSON argument>` to FILE. */
export function recordingNotifyArgs(file: string): string[] {
  const script = `printf '%s %s\\n' "$(date +%s%3N)" "$1" >> '${file.replace(/'/g, `'\\''`)}'`;
  return ['-c', `notify=["sh","-c",${toml(script)},"notify"]`];
}

export interface RecordedEvent {
  /** epoch ms at which the hook (or notify) ran */
  at: number;
  /** hook_event_name, or notify's `type` */
  event: string;
  data: Record<string, unknown>;
}

/** The events `recordingCommand` / `recordingNotifyArgs` wrote so far. */
export function readRecordedEvents(file: string): RecordedEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^\d+ \{/.test(l))
    .flatMap((l) => {
      const sp = l.indexOf(' ');
      try {
        const data = JSON.parse(l.slice(sp + 1)) as Record<string, unknown>;
        return [{ at: Number(l.slice(0, sp)), event: String(data.hook_event_name ?? data.type), data }];
      } catch {
        return []; // a line still being written
      }
    });
}
