// `up` for agents on another host. The clone there is made when missing and given the base from this
// repository (pushed over ssh to refs/remotes/treemux/<base>: the host needs no access to the user's
// origin); then, for each agent, in the clone there: its worktree and branch, its instructions (never
// through a link, excluded from git), the layout's setup commands, and a window in the project's tmux
// session there running the agent, its output kept in a log there. A failure undoes what was made
// for that agent and does not stop the others.
import { posix } from 'node:path';
import { commitOf } from '../../git/index.js';
import { pushRef } from '../../git/remote.js';
import { expand } from '../../layout/placeholders.js';
import type { ResolvedAgent } from '../../layout/resolve.js';
import type { Ctx } from '../../project/context.js';
import { agentEnv } from '../../project/env.js';
import { toArgv } from '../../tmux/argv.js';
import { shellQuote } from '../../util/shell.js';
import type { AgentView } from '../inventory.js';
import { kindOf } from '../kinds/index.js';
import { renderInstructions } from '../lifecycle/instructions.js';
import { writtenFiles } from '../lifecycle/plan.js';
import { hostOf, type RemoteHost } from './host.js';
import { provisionRemote, releaseRemote, type RemoteIsolation } from './isolation.js';

export interface RemoteUpResult {
  started: string[];
  failed: { name: string; reason: string }[];
}

/** The ref there that holds this repository's BASE (what agents there branch from). */
export const baseRef = (base: string): string => `refs/remotes/treemux/${base.replace(/^refs\/(heads\/)?/, '')}`;

const CLONE = `
repo=$(x "$1"); base=$2
if ! git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
  [ -e "$repo" ] && [ -n "$(ls -A "$repo" 2>/dev/null)" ] && { echo "$repo exists and is not a git repository" >&2; exit 3; }
  mkdir -p "$repo" && git init -q "$repo" >&2 || exit 1
fi
cd "$repo" || exit 1
printf '%s\\n%s\\n' "$repo" "$(cd "$(git rev-parse --git-common-dir)" && pwd -P)"
`;

/** Once the base is there: a fresh clone gets it checked out as a branch of the same name. */
const CHECKOUT_FRESH = `
repo=$1; base=$2; ref=$3
git -C "$repo" rev-parse --verify -q HEAD >/dev/null 2>&1 && exit 0
git -C "$repo" checkout -q -B "$base" "$ref" >&2
`;

const WORKTREE = `
repo=$1; wt=$2; branch=$3; ref=$4
if [ -e "$wt" ]; then
  [ "$(git -C "$wt" rev-parse --show-toplevel 2>/dev/null)" = "$wt" ] || { echo "$wt exists there and is not a worktree" >&2; exit 3; }
  echo kept; exit 0
fi
mkdir -p "$(dirname "$wt")" || exit 1
if git -C "$repo" show-ref --verify -q "refs/heads/$branch"; then
  git -C "$repo" worktree add -q "$wt" "$branch" >&2 || exit 1; echo branch-kept
else
  git -C "$repo" worktree add -q -b "$branch" "$wt" "$ref" >&2 || exit 1; echo made
fi
`;

const WRITE = `
f=$1; d=$(dirname "$f")
[ -L "$d" ] && { echo "$d is a symbolic link: not written through" >&2; exit 3; }
[ -L "$f" ] && { echo "$f is a symbolic link: not written through" >&2; exit 3; }
tmp="$d/.treemux-$$.tmp"; umask 077; cat > "$tmp" && mv -f "$tmp" "$f"
`;

const EXCLUDE = `
f=$1/info/exclude; shift; mkdir -p "$(dirname "$f")" || exit 1
[ -L "$f" ] && { echo "$f is a symbolic link: not written through" >&2; exit 3; }
for p in "$@"; do grep -qxF -- "$p" "$f" 2>/dev/null || printf '%s\\n' "$p" >> "$f"; done
`;

const SETUP = `cd "$1" && sh -c "$2" 2>&1`;

const READ = `f=$1; [ -L "$f" ] && { echo "$f is a symbolic link: not read" >&2; exit 3; }; [ -f "$f" ] && cat "$f"; exit 0`;

/**
 * The hook command there (treemux is not there to read events): the client's event, one line, kept
 * as \`{"at": ms, "payload": …}\` in the agent's events file, and the file's size set as its pane's
 * @treemux-events (the watcher's control client there is told of that change). $1: the events file.
 * The payload is data: it is written, never run; a payload cut at 64 KB is a line no reader takes.
 */
export const HOOK_SH = [
  'f=$1; mkdir -p "$(dirname "$f")" || exit 0',
  '{ printf \'{"at":%s000,"payload":\' "$(date +%s)"; tr -d "\\n\\r" | head -c 65536; printf "}\\n"; } >> "$f"',
  '[ -n "$TMUX_PANE" ] && tmux set-option -p -t "$TMUX_PANE" @treemux-events "$(wc -c < "$f" | tr -d " ")" 2>/dev/null',
  'exit 0',
].join('; ');

/** A window running a placeholder, its options and log set, then the agent's program in its place. */
const WINDOW = `
session=$1; name=$2; pipe=$3; logdir=$4; repo=$5; shift 5
t has-session -t "=$session" 2>/dev/null || t new-session -d -s "$session" -n treemux -c "$repo" -x 200 -y 50 || exit 1
sid=$(t display-message -p -t "=$session" '#{session_id}') || exit 1
ids=$(t new-window -d -P -F '#{window_id} #{pane_id}' -t "$sid:" -n "$name" -c "$repo" -- sh -c 'exec sleep 2147483647') || exit 1
win=\${ids% *}; pane=\${ids#* }
t set-option -w -t "$win" @treemux-agent "$name" \\; set-option -p -t "$pane" @treemux-role agent \\; set-option -w -t "$win" remain-on-exit on \\; set-option -w -t "$win" automatic-rename off || exit 1
mkdir -p "$logdir" && t pipe-pane -o -t "$pane" "$pipe" || exit 1
t respawn-pane -k -t "$pane" "$@" || exit 1
printf '%s %s\\n' "$win" "$pane"
`;

const UNDO = `
repo=$1; wt=$2; branch=$3; win=$4
[ -n "$win" ] && t kill-window -t "$win" 2>/dev/null
[ -n "$wt" ] && git -C "$repo" worktree remove --force "$wt" 2>/dev/null
[ -n "$branch" ] && git -C "$repo" branch -D "$branch" >/dev/null 2>&1
exit 0
`;

/** Bring AGENTS (all on other hosts) up, host by host; each host's agents in the layout's order. */
export async function upRemote(ctx: Ctx, agents: readonly AgentView[]): Promise<RemoteUpResult> {
  const result: RemoteUpResult = { started: [], failed: [] };
  const byHost = new Map<string, AgentView[]>();
  for (const a of agents) byHost.set(a.spec.host, [...(byHost.get(a.spec.host) ?? []), a]);
  for (const list of byHost.values()) {
    let clone: Clone;
    try {
      clone = await prepareClone(ctx, hostOf(ctx, list[0]!.spec), list);
    } catch (err) {
      for (const a of list) result.failed.push({ name: a.name, reason: (err as Error).message });
      for (const a of list) ctx.out.warn(`${a.name}: ${(err as Error).message}`);
      continue;
    }
    for (const a of list) {
      try {
        if (await upOne(ctx, clone, a)) result.started.push(a.name);
      } catch (err) {
        result.failed.push({ name: a.name, reason: (err as Error).message });
        ctx.out.warn(`${a.name}: ${(err as Error).message} (undone)`);
      }
    }
  }
  return result;
}

interface Clone {
  host: RemoteHost;
  repo: string;
  common: string;
}

/** The clone there, made when missing, with each base these agents start from pushed to it. */
async function prepareClone(ctx: Ctx, host: RemoteHost, agents: readonly AgentView[]): Promise<Clone> {
  await host.ssh.connect();
  const [repo = '', common = ''] = (await host.scriptOk(CLONE, [host.config.repo], 'preparing the clone')).split('\n');
  const transport = await host.transport();
  for (const base of new Set(agents.map((a) => a.spec.base))) {
    const commit = await commitOf(ctx.repo.root, base).catch(() => '');
    if (!commit) throw new Error(`base ${base} is not a commit in this repository`);
    await pushRef(ctx.repo.root, transport, commit, baseRef(base));
    await host.scriptOk(CHECKOUT_FRESH, [repo, base, baseRef(base)], 'checking out the base');
  }
  const kinds = new Set(agents.map((a) => a.spec.kind));
  await host.scriptOk(EXCLUDE, [common, ...writtenFiles(kinds)], 'excluding treemux files');
  return { host, repo, common };
}

/** One agent there: its worktree, instructions, setup and window. Returns whether a program was started. */
async function upOne(ctx: Ctx, clone: Clone, agent: AgentView): Promise<boolean> {
  const { host } = clone;
  const spec: ResolvedAgent = { ...agent.spec, worktree: await host.abs(agent.record?.worktree ?? agent.spec.worktree) };
  if (agent.pane && agent.pane.pane_dead !== '1') return false; // running there already
  const made: { worktree?: string; branch?: string; window?: string } = {};
  try {
    let createdBranch = agent.record?.createdBranch ?? false;
    if (!agent.worktree) {
      const how = (await host.scriptOk(WORKTREE, [clone.repo, spec.worktree, spec.branch, baseRef(spec.base)], `making the worktree ${spec.worktree}`)).trim();
      if (how !== 'kept') made.worktree = spec.worktree;
      if (how === 'made') {
        made.branch = spec.branch;
        createdBranch = true;
      }
      ctx.out.info(`${spec.name}: worktree ${spec.worktree} on ${host.name} (${spec.branch}${how === 'made' ? `, new from ${spec.base}` : ''})`);
    }
    const vars = { project: ctx.layout.project, agent: spec.name, branch: spec.branch, base: spec.base, index: String(spec.index), worktree: spec.worktree };
    const iso = await provisionRemote(ctx, host, clone, spec, Boolean(made.worktree), vars, (line) => ctx.out.info(line));
    const kind = kindOf(spec.kind);
    const others = ctx.layout.agents.filter((o) => o.name !== spec.name).map((o) => ({ name: o.name, branch: o.branch, scope: o.scope }));
    const text = renderInstructions({ project: ctx.layout.project, agent: spec, others, testCommand: ctx.layout.layout.merge.test ?? null });
    await host.scriptOk(WRITE, [posix.join(spec.worktree, kind.instructionsFile)], `writing ${kind.instructionsFile}`, { input: text });
    if (kind.remoteSettings) {
      // its hooks write its events there (HOOK_SH), merged into its own settings file, never through a link
      const file = posix.join(spec.worktree, kind.remoteSettings.file);
      const before = await host.scriptOk(READ, [file], `reading ${kind.remoteSettings.file}`);
      let merged: string;
      try {
        merged = kind.remoteSettings.merge(before.trim() ? before : null, hookArgv(clone, spec.name));
      } catch {
        throw new Error(`${kind.remoteSettings.file} in ${spec.worktree} on ${host.name} is not valid JSON: fix it, or remove it for treemux to write its own`);
      }
      await host.scriptOk(`[ -L "$(dirname "$1")" ] || mkdir -p "$(dirname "$1")" || exit 1\n${WRITE}`, [file], `writing ${kind.remoteSettings.file}`, { input: merged });
    }
    if (!agent.worktree) {
      for (const command of ctx.layout.layout.setup) {
        const r = await host.script(SETUP, [spec.worktree, command], { timeoutMs: 30 * 60_000 });
        for (const line of r.stdout.split('\n').filter(Boolean).slice(-20)) ctx.out.info(`${spec.name}: ${line}`);
        if (r.code !== 0) throw new Error(`setup "${command}" failed on ${host.name} (exit ${r.code ?? 'timeout'})`);
      }
    }
    const windowId = await startWindow(ctx, clone, spec, agent, iso);
    made.window = windowId.split(' ')[0];
    const [win = '', pane = ''] = windowId.split(' ');
    await ctx.state.update((s) => {
      s.project = ctx.layout.project;
      s.agents[spec.name] = {
        ...s.agents[spec.name],
        name: spec.name,
        branch: spec.branch,
        base: spec.base,
        worktree: spec.worktree,
        task: spec.task,
        source: agent.inLayout ? 'layout' : 'added',
        createdAt: s.agents[spec.name]?.createdAt ?? new Date().toISOString(),
        createdBranch,
        windowId: win,
        paneId: pane,
        host: host.name,
        ports: iso.ports,
        database: iso.database ?? undefined,
      };
    });
    ctx.out.info(`${spec.name}: started on ${host.name} in window ${spec.name} (${spec.kind})`);
    return true;
  } catch (err) {
    if (made.worktree) await releaseRemote(host, clone.common, spec.name).catch(() => undefined);
    if (made.worktree || made.window) {
      await host.script(UNDO, [clone.repo, made.worktree ?? '', made.branch ?? '', made.window ?? '']).catch(() => undefined);
    }
    throw err;
  }
}

/** The agent's window there (its dead pane started again when it has one). Returns "window pane". */
async function startWindow(ctx: Ctx, clone: Clone, spec: ResolvedAgent, agent: AgentView, iso: RemoteIsolation): Promise<string> {
  const kind = kindOf(spec.kind);
  const vars = iso.vars;
  // the client's hooks write its events there (HOOK_SH): treemux is not there to read them
  const argv = kind.interactiveArgv(expand(spec.command, vars), spec.args.map((a) => expand(a, vars)), spec.task, undefined, hookArgv(clone, spec.name));
  const env = { ...iso.env, ...agentEnv({ project: ctx.layout.project, agent: spec.name, worktree: spec.worktree }), ...kind.windowEnv(spec) };
  const respawn = ['-c', spec.worktree, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), '--', ...argv];
  if (agent.pane) {
    await clone.host.tmux(['respawn-pane', '-k', '-t', agent.pane.pane_id, ...respawn]);
    return `${agent.pane.window_id} ${agent.pane.pane_id}`;
  }
  const log = posix.join(clone.common, 'treemux', 'logs', `${spec.name}.log`);
  const out = await clone.host.scriptOk(
    WINDOW,
    [ctx.layout.session, spec.name, `cat >> ${shellQuote(log)}`, posix.dirname(log), clone.repo, ...respawn.map(toArgv)],
    `starting ${spec.name}'s window`,
  );
  return out.trim();
}


/** The hook command there for agent NAME: HOOK_SH with its events file. */
function hookArgv(clone: Clone, name: string): string[] {
  return ['sh', '-c', HOOK_SH, 'sh', posix.join(clone.common, 'treemux', 'events', `${name}.jsonl`)];
}
