// From a layout to concrete agents: defaults merged, branch and worktree expanded and checked.
import { inferKind, type KindName } from '../agents/kinds/names.js';
import { isAbsolute, posix, relative, resolve as resolvePath, sep } from 'node:path';
import { LayoutError } from './errors.js';
import { expand } from './placeholders.js';
import type { Layout, LayoutAgent } from './schema.js';

export interface RepoContext {
  /** absolute path of the main worktree */
  repoRoot: string;
  /** its folder name */
  repoName: string;
  /** branch checked out in the main worktree */
  defaultBase: string;
}

export interface ResolvedAgent {
  name: string;
  /** 1-based position (layout agents first, then agents added at runtime) */
  index: number;
  /** user text: never expanded, never given to a shell */
  task: string;
  /** still a template: expand with the agent's full placeholder values once ports and database are known */
  command: string;
  /** still templates, like `command` */
  args: string[];
  kind: KindName;
  mode: 'interactive' | 'headless';
  base: string;
  /** expanded */
  branch: string;
  /** expanded, absolute */
  worktree: string;
  scope: string[];
  avoid: string[];
  done: string[];
  dependsOn: string[];
  startAfter: string[];
  role: 'worker' | 'operator';
  scopeMode: 'warn' | 'deny';
  /** where it runs: `local`, or a name under `hosts:` (then `worktree` is a path there, `~` still unexpanded) */
  host: string;
}

export interface ResolvedLayout {
  file: string;
  project: string;
  /** the tmux session name: the project */
  session: string;
  base: string;
  layout: Layout;
  agents: ResolvedAgent[];
}

/** `layout.project`, else the repository folder name with everything outside [A-Za-z0-9_-] made `-`. */
export function projectName(layout: Layout, ctx: RepoContext): string {
  if (layout.project) return layout.project;
  const cleaned = ctx.repoName.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[-_]+/, '');
  return cleaned || 'treemux';
}

export function resolveLayout(layout: Layout, ctx: RepoContext, file: string): ResolvedLayout {
  const project = projectName(layout, ctx);
  const agents = layout.agents.map((a, i) => resolveAgent(layout, ctx, a, i + 1, file));
  for (const key of ['branch', 'worktree'] as const) {
    const seen = new Map<string, string>();
    for (const a of agents) {
      const other = seen.get(a[key]);
      if (other !== undefined) {
        const what = `agents ${other} and ${a.name} would share the ${key} ${a[key]} (put {agent} in "${layout[key]}")`;
        throw new LayoutError(file, what, { keyPath: key });
      }
      seen.set(a[key], a.name);
    }
  }
  return { file, project, session: project, base: layout.base ?? ctx.defaultBase, layout, agents };
}

/**
 * One agent, with the `agent:` defaults merged in. `index` is its 1-based position (for agents added
 * at runtime: the next one). An agent that sets its own `command` takes neither `args` nor `kind` from
 * the defaults (they belong to the default command). `file` only labels errors.
 */
export function resolveAgent(layout: Layout, ctx: RepoContext, agent: LayoutAgent, index: number, file = ''): ResolvedAgent {
  if (!Number.isInteger(index) || index < 1) throw new Error(`resolveAgent: index must be 1-based, got ${index}`);
  const defaults = layout.agent;
  const ownCommand = agent.command !== undefined;
  const command = agent.command ?? defaults.command;
  const kind = agent.kind ?? (ownCommand ? undefined : defaults.kind) ?? inferKind(command);
  const args = agent.args ?? (ownCommand ? [] : defaults.args);
  const base = agent.base ?? layout.base ?? ctx.defaultBase;
  const host = agent.host ?? defaults.host ?? 'local';
  const vars = { project: projectName(layout, ctx), agent: agent.name, base, index: String(index) };

  const branch = expandOrThrow(layout.branch, vars, 'branch', agent.name, file);
  const bad = branchNameProblem(branch);
  if (bad) {
    throw new LayoutError(file, `"${layout.branch}" gives "${branch}" for agent ${agent.name}, not a valid git branch name (${bad})`, { keyPath: 'branch' });
  }
  const localWorktree = resolvePath(ctx.repoRoot, expandOrThrow(layout.worktree, { ...vars, branch }, 'worktree', agent.name, file));
  const place = worktreeProblem(localWorktree, resolvePath(ctx.repoRoot));
  if (place) {
    throw new LayoutError(file, `"${layout.worktree}" gives ${localWorktree} for agent ${agent.name}, ${place} (use a path outside it, such as ../{project}-{agent})`, {
      keyPath: 'worktree',
    });
  }

  return {
    name: agent.name,
    index,
    task: agent.task,
    command,
    args: [...args],
    kind,
    mode: agent.mode ?? defaults.mode,
    base,
    branch,
    worktree: host === 'local' ? localWorktree : remoteWorktree(layout, ctx, agent.name, host, localWorktree, { ...vars, branch }, file),
    scope: [...agent.scope],
    avoid: [...agent.avoid],
    done: [...agent.done],
    dependsOn: [...agent.depends_on],
    startAfter: [...agent.start_after],
    role: agent.role,
    scopeMode: agent.scope_mode ?? layout.scope_mode,
    host,
  };
}

/**
 * The worktree's place on a host: where it is beside the repository here, beside the clone there
 * (an absolute `worktree:` template is taken as it is there). `~` is a folder of its own: a path that
 * would climb above it is undefined (the caller refuses it).
 */
export function hostPath(repo: string, template: string, rel: string): string | undefined {
  if (posix.isAbsolute(template)) return posix.normalize(template);
  const home = '/\u0000home';
  const root = repo === '~' ? home : repo.startsWith('~/') ? `${home}${repo.slice(1)}` : repo;
  const path = posix.normalize(posix.join(root, rel.split(sep).join('/')));
  if (!root.startsWith(home)) return path;
  return path === home ? undefined : path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : undefined;
}

/** An agent's worktree on HOST, or a LayoutError when the template would put it above the clone's home. */
function remoteWorktree(layout: Layout, ctx: RepoContext, name: string, host: string, localWorktree: string, vars: Record<string, string>, file: string): string {
  const repo = layout.hosts[host]?.repo ?? '~';
  const template = expandOrThrow(layout.worktree, vars, 'worktree', name, file);
  const path = hostPath(repo, template, relative(ctx.repoRoot, localWorktree));
  if (path === undefined) {
    throw new LayoutError(file, `"${layout.worktree}" gives a worktree above the home folder on host ${host} for agent ${name} (beside ${repo}): use a clone below ~ there, or an absolute worktree path`, { keyPath: 'worktree' });
  }
  return path;
}

function expandOrThrow(template: string, vars: Record<string, string>, key: string, agent: string, file: string): string {
  try {
    return expand(template, vars);
  } catch (e) {
    throw new LayoutError(file, `${(e as Error).message} for agent ${agent}`, { keyPath: key });
  }
}

/** Why `name` is not a valid git branch name (git check-ref-format rules), or undefined. */
export function branchNameProblem(name: string): string | undefined {
  if (name === '') return 'empty';
  if (name === '@') return 'is "@"';
  if (name.startsWith('-')) return 'starts with "-"';
  if (name.startsWith('/') || name.endsWith('/')) return 'starts or ends with "/"';
  if (name.includes('//')) return 'contains "//"';
  if (name.includes('..')) return 'contains ".."';
  if (name.includes('@{')) return 'contains "@{"';
  if (name.endsWith('.')) return 'ends with "."';
  // eslint-disable-next-line no-control-regex
  const bad = /[\x00-\x20\x7f~^:?*[\\]/.exec(name);
  if (bad) return bad[0] === ' ' ? 'contains a space' : /[\x00-\x1f\x7f]/.test(bad[0]) ? 'contains a control character' : `contains "${bad[0]}"`;
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return `a part starts with "." (${part})`;
    if (part.endsWith('.lock')) return `a part ends with ".lock" (${part})`;
  }
  return undefined;
}

/** Why a worktree cannot live at `worktree` given the repository at `root`, or undefined. */
function worktreeProblem(worktree: string, root: string): string | undefined {
  if (worktree === root) return 'which is the repository itself';
  const inside = relative(root, worktree);
  if (!inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside)) return `which is inside the repository (${root})`;
  const outside = relative(worktree, root);
  if (!outside.startsWith(`..${sep}`) && outside !== '..' && !isAbsolute(outside)) return `which contains the repository (${root})`;
  return undefined;
}
