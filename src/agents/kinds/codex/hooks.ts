// Codex's lifecycle hooks registered for one process from its command line, touching no file: each
// hook is a `-c hooks.<Event>=[…]` override (the "session flags" config layer), and trusted by a
// `-c hooks.state={…}` override holding the hash Codex itself computes for it. Pure.
//
// Why this way (Codex 0.171.0):
// - a project's `.codex/config.toml` may hold hooks, but not `notify` ("Ignored unsupported
//   project-local config keys"), and a hook runs only once trusted, and trust is read only from the
//   user's config or the session flags (hooks/src/config_rules.rs) — never from the project;
// - `CODEX_HOME/config.toml` and `hooks.json` are the user's, shared by every window;
// - an untrusted hook opens a "Hooks need review" dialog at the TUI's start that eats the first keys;
// - `--dangerously-bypass-hook-trust` would run the repository's own untrusted hooks too.
// The trust key is `<source>:<event>:<group>:<handler>` with the session flags' source
// `/<session-flags>/config.toml`; the hash is `sha256:` over the canonical JSON (keys sorted, compact)
// of `{event_name, hooks: [normalized handler], matcher?}`, the handler normalized to
// `{type: "command", command, timeout, async: false}` (hooks/src/engine/discovery.rs: command_hook_hash,
// config/src/fingerprint.rs: version_for_toml). The client tests check it against the real client: a
// wrong hash leaves the hook unrun and the dialog up.
import { createHash } from 'node:crypto';

export interface CodexHookEvent {
  /** the config key (`hooks.<name>`) and `hook_event_name` of its payload */
  name: string;
  /** the snake_case label of its trust key and hash */
  label: string;
  /**
   * seconds: given explicitly, because the hash covers the normalized timeout and Codex's default and
   * limit differ by event (SessionEnd and Interrupt: 1 s by default, clamped to 3 s, which also warns)
   */
  timeout: number;
}

/**
 * The events treemux listens to. SessionStart: the thread id (for resuming) and the instructions;
 * UserPromptSubmit…PostToolUse: working (PreToolUse also the scope guard); PermissionRequest: waiting
 * on the user; Stop: the turn ended; Interrupt: the user pressed esc or refused a command (no Stop
 * follows); SessionEnd: the program is leaving.
 */
export const HOOK_EVENTS: readonly CodexHookEvent[] = [
  { name: 'SessionStart', label: 'session_start', timeout: 10 },
  { name: 'UserPromptSubmit', label: 'user_prompt_submit', timeout: 10 },
  { name: 'PreToolUse', label: 'pre_tool_use', timeout: 10 },
  { name: 'PermissionRequest', label: 'permission_request', timeout: 10 },
  { name: 'PostToolUse', label: 'post_tool_use', timeout: 10 },
  { name: 'Stop', label: 'stop', timeout: 10 },
  { name: 'Interrupt', label: 'interrupt', timeout: 3 },
  { name: 'SessionEnd', label: 'session_end', timeout: 3 },
];

/** Where Codex says hooks given with `-c` come from (the key of their trust). */
export const SESSION_FLAGS_SOURCE = '/<session-flags>/config.toml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function canonical(value: Json): Json {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k]!)]));
  }
  return value;
}

/** The trust hash Codex computes for one command hook (no matcher, sync) of an event. */
export function hookTrustHash(label: string, command: string, timeout: number, matcher?: string): string {
  const identity: Record<string, Json> = { event_name: label, hooks: [{ type: 'command', command, timeout: Math.max(1, timeout), async: false }] };
  if (matcher !== undefined) identity.matcher = matcher;
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical(identity))).digest('hex')}`;
}

/** The trust key of the first handler of the first group of an event given with `-c`. */
export function hookTrustKey(label: string): string {
  return `${SESSION_FLAGS_SOURCE}:${label}:0:0`;
}

/** A TOML basic string (JSON's escapes are TOML's, for what JSON.stringify writes). */
const toml = (s: string): string => JSON.stringify(s);

/**
 * `-c` overrides that make Codex run COMMAND (a shell command line: Codex runs it with `$SHELL -lc`)
 * on each of EVENTS, with the event's JSON on stdin, trusted, for this process only.
 */
export function hookConfigArgs(command: string, events: readonly CodexHookEvent[] = HOOK_EVENTS): string[] {
  const args: string[] = [];
  const state: string[] = [];
  for (const e of events) {
    args.push('-c', `hooks.${e.name}=[{hooks=[{type="command",command=${toml(command)},timeout=${e.timeout}}]}]`);
    state.push(`${toml(hookTrustKey(e.label))}={trusted_hash=${toml(hookTrustHash(e.label, command, e.timeout))}}`);
  }
  if (state.length > 0) args.push('-c', `hooks.state={${state.join(',')}}`);
  return args;
}
