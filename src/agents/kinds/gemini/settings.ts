// Gemini CLI's settings: treemux's status hooks in the worktree's .gemini/settings.json (merged with
// what is there, never clobbering it; never when the project tracks that file), and what the project's
// own settings allow a headless run.
//
// Why there: Gemini CLI 0.61.0 reads the workspace's .gemini/settings.json and merges it over the
// user's ~/.gemini/settings.json, its `hooks` lists concatenated (user's hooks first, then the
// workspace's: both run). It does so only in a trusted folder: with folder trust on (the client's
// default) a new worktree is not trusted, its settings are ignored, and a headless run exits 55, unless
// GEMINI_CLI_TRUST_WORKSPACE=true is in the environment (see index.ts windowEnv). The first time a
// folder's hooks are seen, the client shows (and stores in ~/.gemini/trusted_hooks.json) "WARNING: The
// following project-level hooks have been detected in this workspace: - treemux"; it does not stop.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { git } from '../../../git/exec.js';
import { readFileIn, writeFileIn } from '../../../host/fs.js';
import { shellQuote } from '../../../util/shell.js';
import { treemuxArgv } from '../../../util/invocation.js';
import { leavesReadOnly } from './args.js';

export const SETTINGS_FILE = '.gemini/settings.json';
/** The events treemux listens to, and whether they take a tool matcher. */
const EVENTS: Record<string, boolean> = {
  SessionStart: false,
  BeforeAgent: false,
  BeforeTool: true,
  AfterTool: true,
  Notification: false,
  AfterAgent: false,
  SessionEnd: false,
};
const MARK = 'treemux-hook';
/** The hook's name: what the client shows instead of the command ("Executing Hook: treemux", the project-hooks warning). */
export const HOOK_NAME = 'treemux';
/** ms: a hook that hangs holds the agent up to this long (the client's default is 60 s). */
const HOOK_TIMEOUT_MS = 10_000;

/** The hook command: node and the installed treemux by absolute path, the kind named (no bare `treemux` on PATH needed). */
export function hookCommand(): string {
  return `${treemuxArgv().map(shellQuote).join(' ')} hook --kind gemini # ${MARK}`;
}

interface HookEntry {
  matcher?: string;
  sequential?: boolean;
  hooks?: { type?: string; command?: string; name?: string; timeout?: number }[];
}
type Settings = { hooks?: Record<string, HookEntry[] | unknown> } & Record<string, unknown>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Merge treemux's hooks into the settings text (null: no file yet). Pure; throws on text that is not a
 * JSON object. Everything else in the file is kept as it is; in each event's list, entries of other
 * hooks are kept (treemux's own, found by its mark, are replaced by one fresh entry at the end).
 */
export function mergeHooks(text: string | null, command: string): string {
  const settings = (text && text.trim() ? JSON.parse(text) : {}) as Settings;
  if (!isObj(settings)) throw new Error('not a JSON object');
  if (settings.hooks !== undefined && !isObj(settings.hooks)) throw new Error('"hooks" is not an object');
  const hooks: Record<string, unknown> = { ...(settings.hooks ?? {}) };
  for (const [event, withMatcher] of Object.entries(EVENTS)) {
    const list = hooks[event];
    if (list !== undefined && !Array.isArray(list)) throw new Error(`"hooks.${event}" is not a list`);
    const kept = ((list ?? []) as unknown[])
      .map((entry) =>
        isObj(entry) && Array.isArray(entry.hooks)
          ? { ...entry, hooks: (entry.hooks as unknown[]).filter((h) => !(isObj(h) && typeof h.command === 'string' && h.command.includes(MARK))) }
          : entry,
      )
      .filter((entry) => !(isObj(entry) && Array.isArray(entry.hooks) && entry.hooks.length === 0));
    const ours: HookEntry = { ...(withMatcher ? { matcher: '' } : {}), hooks: [{ type: 'command', name: HOOK_NAME, command, timeout: HOOK_TIMEOUT_MS }] };
    hooks[event] = [...kept, ours];
  }
  return `${JSON.stringify({ ...settings, hooks }, null, 2)}\n`;
}

/** The instructions file the client reads when no `context.fileName` names others. */
export const DEFAULT_CONTEXT_FILE = 'GEMINI.md';

/** A `context.fileName` value as a list (a string or a list of strings); undefined for anything else. */
function fileNames(value: unknown): string[] | undefined {
  if (typeof value === 'string' && value) return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/**
 * Make the settings text name `files` in `context.fileName`, the instructions files the client reads
 * (Gemini CLI has no local-only variant of GEMINI.md: a worktree's .gemini/settings.json naming a local,
 * git-excluded file is how it reads one). The workspace's value replaces the user's, so the list keeps
 * what the workspace had, else the user's (`userNames`), else GEMINI.md, and adds `files`. Pure; throws
 * on text that is not a JSON object.
 */
export function mergeContextFiles(text: string | null, files: readonly string[], userNames?: unknown): string {
  const settings = (text && text.trim() ? JSON.parse(text) : {}) as Settings;
  if (!isObj(settings)) throw new Error('not a JSON object');
  const context = settings.context === undefined ? {} : settings.context;
  if (!isObj(context)) throw new Error('"context" is not an object');
  const base = fileNames(context.fileName) ?? fileNames(userNames) ?? [DEFAULT_CONTEXT_FILE];
  const names = [...new Set([...base, ...files])];
  return `${JSON.stringify({ ...settings, context: { ...context, fileName: names } }, null, 2)}\n`;
}

/** The user's own `context.fileName` (~/.gemini/settings.json), when it names files; undefined otherwise. */
function userContextFiles(): string[] | undefined {
  try {
    const user = JSON.parse(readFileSync(join(homedir(), '.gemini', 'settings.json'), 'utf8')) as { context?: { fileName?: unknown } };
    return fileNames(user.context?.fileName);
  } catch {
    return undefined; // none, or with comments: the default then
  }
}

/** Whether the worktree's git tracks the settings file (then treemux leaves it alone). */
async function tracked(worktree: string): Promise<boolean> {
  try {
    return (await git(worktree, ['ls-files', '-z', '--', `:(literal)${SETTINGS_FILE}`])).length > 0;
  } catch {
    return false;
  }
}

/**
 * Install treemux's hooks in the worktree's .gemini/settings.json, and name `contextFiles` (treemux's
 * instructions file) in its `context.fileName`. Refuses a link there (its target is not ours to merge
 * into). When the project tracks that file, writes nothing (returns false): a change there would show
 * in the agent's diff; the agent's status then comes from its screen.
 */
export async function installHooks(worktree: string, contextFiles: readonly string[] = []): Promise<boolean> {
  if (await tracked(worktree)) return false;
  const file = join(worktree, SETTINGS_FILE);
  const text = await readFileIn(worktree, file);
  let merged: string;
  try {
    merged = mergeHooks(text, hookCommand());
    if (contextFiles.length > 0) merged = mergeContextFiles(merged, contextFiles, userContextFiles());
  } catch (err) {
    throw new Error(`${SETTINGS_FILE} in ${worktree} is not valid JSON (${(err as Error).message}); fix it so treemux can add its status hooks`);
  }
  if (merged !== text) await writeFileIn(worktree, file, merged);
  return true;
}

/** The project's committed Gemini settings pick an approval mode that lets a headless run edit. */
function projectSettingsAllow(repoRoot: string): boolean {
  try {
    const settings = JSON.parse(readFileSync(join(repoRoot, SETTINGS_FILE), 'utf8')) as { general?: { defaultApprovalMode?: string } };
    const mode = settings.general?.defaultApprovalMode;
    return mode === 'auto_edit' || mode === 'yolo';
  } catch {
    return false;
  }
}

/**
 * One line about headless Gemini agents left in the default approval mode (headless, the client offers
 * the model no tool that would ask: it can read, not edit or run commands), or null.
 */
export function headlessReadOnlyWarning(
  ctx: { repo: { root: string } },
  specs: readonly { name: string; kind: string; mode: string; args: readonly string[] }[],
): string | null {
  const names = specs.filter((s) => s.kind === 'gemini' && s.mode === 'headless' && leavesReadOnly(s.args)).map((s) => s.name);
  if (names.length === 0 || projectSettingsAllow(ctx.repo.root)) return null;
  const many = names.length > 1;
  return (
    `headless Gemini agent${many ? 's' : ''} ${names.join(', ')} run${many ? '' : 's'} in the default approval mode: ` +
    'it can read files but not edit them or run commands (give args such as [--approval-mode, auto_edit] or ' +
    '[--approval-mode, yolo])'
  );
}

/**
 * Whether the worktree's Gemini settings are treemux's alone, so that trusting the folder runs nothing
 * the repository brought: `.gemini/` holds only settings.json (no link), whose keys are hooks, context
 * and hooksConfig, every hook treemux's own. A repository that commits its own `.gemini/` (hooks, MCP
 * servers, extensions) is not trusted on the user's behalf: its agent asks, as Gemini CLI always does.
 */
export function onlyOurSettings(worktree: string): boolean {
  try {
    const dir = join(worktree, '.gemini');
    if (!lstatSync(dir).isDirectory() || readdirSync(dir).some((f) => f !== 'settings.json')) return false;
    const file = join(worktree, SETTINGS_FILE);
    if (!lstatSync(file).isFile()) return false;
    const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (!isObj(settings) || Object.keys(settings).some((k) => !['hooks', 'context', 'hooksConfig'].includes(k))) return false;
    const hooks = isObj(settings.hooks) ? Object.values(settings.hooks) : [];
    const commands = hooks.flatMap((entries) => (Array.isArray(entries) ? entries : [])).flatMap((e) => (isObj(e) && Array.isArray(e.hooks) ? (e.hooks as unknown[]) : []));
    return commands.length > 0 && commands.every((h) => isObj(h) && typeof h.command === 'string' && h.command.includes(MARK));
  } catch {
    return false;
  }
}
