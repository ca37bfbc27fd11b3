// The real Claude Code client for the optional suite (`npm run test:claude`): installed once, pinned,
// into a cache folder, and given a HOME in which it starts straight at its prompt, offline.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { FAKE_API_KEY, startFakeAnthropic, type FakeAnthropic } from './fake-anthropic.js';
import { processAlive } from './tmux.js';
import { makeAppRepo, makeWorld, ROOT, type World } from './world.js';

/**
 * The Claude Code release the suite runs against. Bump it on purpose, then re-read the screens.
 * `TREEMUX_CLAUDE_VERSION=2.1.332 npm run test:claude` runs the suite against another release (the
 * newest on the registry, say) without changing the pin.
 */
export const CLAUDE_CODE_VERSION = process.env.TREEMUX_CLAUDE_VERSION || '2.1.331';
const PKG = '@anthropic-ai/claude-code';

/** Where the pinned client is installed: `$TREEMUX_CLAUDE_CACHE`, else under node_modules/.cache. */
export function claudeCacheDir(): string {
  return process.env.TREEMUX_CLAUDE_CACHE || join(ROOT, 'node_modules', '.cache', 'treemux-claude', CLAUDE_CODE_VERSION);
}

/**
 * The program that actually runs. The main package's `bin/claude.exe` is a launcher: its postinstall
 * hard-links the platform package's native binary over it, and when install scripts are not run it
 * stays a small stub. So take the native binary from the platform package (`claude-code-linux-x64`,
 * `-linux-arm64-musl`, `-darwin-arm64` …: npm installs only the one that fits), and only fall back to
 * `bin/claude.exe` when it is itself the big binary.
 */
function findBinary(dir: string): string | null {
  const scope = join(dir, 'node_modules', '@anthropic-ai');
  if (!existsSync(scope)) return null;
  const installed = JSON.parse(readFileSync(join(scope, 'claude-code', 'package.json'), 'utf8')) as { version?: string };
  if (installed.version !== CLAUDE_CODE_VERSION) return null;
  for (const name of readdirSync(scope).sort()) {
    if (!name.startsWith('claude-code-')) continue;
    for (const file of ['claude', 'claude.exe']) {
      const p = join(scope, name, file);
      if (existsSync(p) && statSync(p).size > 1_000_000) return p;
    }
  }
  const launcher = join(scope, 'claude-code', 'bin', 'claude.exe');
  if (existsSync(launcher) && statSync(launcher).size > 1_000_000) return launcher;
  return null;
}

let ensured: Promise<string> | undefined;

/**
 * Installs `@anthropic-ai/claude-code@CLAUDE_CODE_VERSION` into the cache folder once (into a
 * temporary sibling first, renamed into place, so an interrupted install is never taken for a
 * finished one) and returns the absolute path of the native `claude` binary, after checking that
 * `--version` names the pinned version.
 */
export function ensureClaude(): Promise<string> {
  ensured ??= (async () => {
    const dir = claudeCacheDir();
    let bin = existsSync(dir) ? findBinary(dir) : null;
    if (!bin) {
      const tmp = `${dir}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      const r = await execa('npm', ['install', '--prefix', tmp, '--no-save', '--no-audit', '--no-fund', '--loglevel', 'error', `${PKG}@${CLAUDE_CODE_VERSION}`], {
        reject: false,
        all: true,
        env: { npm_config_update_notifier: 'false' },
      });
      if (r.exitCode !== 0) {
        rmSync(tmp, { recursive: true, force: true });
        throw new Error(`npm install ${PKG}@${CLAUDE_CODE_VERSION} failed (exit ${r.exitCode}):\n${r.all}`);
      }
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
      bin = findBinary(dir);
      if (!bin) throw new Error(`installed ${PKG}@${CLAUDE_CODE_VERSION} in ${dir}, but found no native claude binary for ${process.platform}-${process.arch}`);
    }
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir } }).trim();
    if (!version.startsWith(CLAUDE_CODE_VERSION)) throw new Error(`${bin} --version says "${version}", expected ${CLAUDE_CODE_VERSION}`);
    return bin;
  })();
  return ensured;
}

/**
 * Writes `<home>/.claude.json` so the client starts at its prompt with no first-run screen:
 * - `hasCompletedOnboarding`: without it the client runs its onboarding, which connects to
 *   api.anthropic.com (ignoring ANTHROPIC_BASE_URL) and exits 1 ("Unable to connect to Anthropic
 *   services") offline;
 * - `customApiKeyResponses.approved` holding the key's last 20 characters: else it asks "Detected a
 *   custom API key in your environment … Do you want to use this API key?" (default: No);
 * - `projects[dir].hasTrustDialogAccepted` for every folder it will start in (exact paths: trusting
 *   a parent folder does not count): else "Accessing workspace: … Is this a project you created or one
 *   you trust?" (default: No, exit).
 */
export function claudeHome(home: string, projectDirs: readonly string[], apiKey: string): string {
  mkdirSync(home, { recursive: true });
  const config = {
    hasCompletedOnboarding: true,
    customApiKeyResponses: { approved: [apiKey.slice(-20)], rejected: [] as string[] },
    projects: Object.fromEntries(projectDirs.map((d) => [d, { hasTrustDialogAccepted: true }])),
  };
  writeFileSync(join(home, '.claude.json'), `${JSON.stringify(config, null, 2)}\n`);
  return home;
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

/** What `claudeWorldEachTest` hands each test. */
export interface ClaudeWorld {
  /** the pinned client's binary (see `ensureClaude`) */
  claude: string;
  w: World;
  api: FakeAnthropic;
}

/**
 * For the real-client suites, inside their `describe`: once, the pinned client (installed on first
 * use); before each test, a fresh world with the app repository and a fake Anthropic API whose env
 * (base URL, key) is in the world's env (the tmux server's, so every pane, treemux's agents and the
 * client in them get it), handed to `use`; after each test, teardown: the tmux server and every
 * pane's process ended first (the client writes into HOME while it shuts down), then the fake API
 * closed and the world removed (retried while a straggler still writes into it).
 */
export function claudeWorldEachTest(use: (c: ClaudeWorld) => void): void {
  let claude: string;
  let w: World | undefined;
  let api: FakeAnthropic | undefined;
  beforeAll(async () => {
    claude = await ensureClaude();
  });
  beforeEach(async () => {
    w = makeWorld();
    makeAppRepo(w);
    api = await startFakeAnthropic();
    Object.assign(w.env, api.env(FAKE_API_KEY));
    use({ claude, w, api });
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
    await settle(() => pids.every((p) => !processAlive(p)), 10_000); // on: the removal below retries
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

export const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Notification', 'Stop', 'SessionEnd'] as const;

/**
 * `.claude/settings.local.json` content whose hooks append `<epoch ms> <event JSON>` lines to `file`
 * for each of `events` (all known ones by default).
 */
export function recordingHooks(file: string, events: readonly string[] = HOOK_EVENTS): string {
  const command = `{ printf '%s ' "$(date +%s%3N)"; tr -d '\\n'; echo; } >> '${file.replace(/'/g, `'\\''`)}'`;
  const hooks = Object.fromEntries(events.map((e) => [e, [{ matcher: '', hooks: [{ type: 'command', command }] }]]));
  return `${JSON.stringify({ hooks }, null, 2)}\n`;
}

export interface RecordedEvent {
  /** epoch ms at which the hook ran */
  at: number;
  event: string;
  data: Record<string, unknown>;
}

/** The events `recordingHooks` wrote so far. */
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

/** test/fixtures/fake-claude.mjs: the stand-in for Claude Code's screen and hooks. */
export const FAKE_CLAUDE = join(ROOT, 'test', 'fixtures', 'fake-claude.mjs');

// ---- Claude Code 2.1.331's screen, as the real client draws it (and fake-claude imitates) ----------

/**
 * The input line `❯` between two rules is on screen all the time, busy or not. Busy: a spinner line
 * above it (`✶ Quantumizing…`) and `esc to interrupt` in the footer (fake-claude: in the spinner
 * line); idle: `? for shortcuts` in the footer.
 */
export const isBusyScreen = (screen: string): boolean => /esc to interrupt/i.test(screen);
export const isIdleScreen = (screen: string): boolean => /\? for shortcuts/.test(screen) && !isBusyScreen(screen);

/**
 * The permission question of a screen as lines: from "Bash command" to "Esc to cancel", blank lines
 * dropped, right-trimmed, the width-dependent dashed rules shortened to three dashes.
 */
export function permissionBox(screen: string): string[] {
  const lines = screen.split('\n').map((l) => l.trimEnd().replace(/╌+/gu, '╌╌╌'));
  const start = lines.findIndex((l) => l.trim() === 'Bash command');
  const end = lines.findIndex((l, i) => i > start && l.includes('Esc to cancel'));
  return start >= 0 && end > start ? lines.slice(start, end + 1).filter((l) => l.trim() !== '') : [];
}

/** What `permissionBox` gives for Claude Code's question about a Bash command run in `cwd`. */
export function expectedPermissionBox(description: string, command: string, cwd: string): string[] {
  return [
    ' Bash command',
    ' Tip: auto mode handles these prompts for you — choose "switch to auto mode" below',
    ` ${description}`,
    '╌╌╌',
    ` ${command}`,
    '╌╌╌',
    ' Do you want to proceed?',
    ' ❯ 1. Yes',
    `   2. Yes, and always allow access to ${cwd} from this project`,
    '   3. Yes, and switch to auto mode · auto mode handles these prompts for you',
    '   4. No',
    ' Esc to cancel · Tab to amend',
  ];
}
