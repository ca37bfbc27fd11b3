// treemux doctor: check tmux, git, the layout and the agents' commands; say what to fix.
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { DatabaseConfig } from '../layout/index.js';
import type { GlobalOptions } from '../project/context.js';
import type { Tmux as TmuxT } from '../tmux/index.js';
import { consoleOutput, oneLine, UserError } from '../util/output.js';
import { treemuxLine } from '../util/invocation.js';
import type { CommandSpec } from './spec.js';

export const spec: CommandSpec = {
  name: 'doctor',
  description: 'check tmux, git, the layout and the agent commands; say what to fix',
  run: (_args, opts) => doctor(opts),
};

export const MIN_TMUX = '3.2';
export const MIN_GIT = '2.38';

/** "3.3a" >= "3.2"? Compares the numeric parts; a letter suffix is a patch release. */
export function atLeast(version: string, min: string): boolean {
  const nums = (v: string) => (v.match(/\d+/g) ?? []).map(Number);
  const [a, b] = [nums(version), nums(min)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** Refuse early, in one line, when tmux is missing or too old. */
export async function checkTools(tmux: TmuxT): Promise<void> {
  const v = await tmux.version();
  if (!atLeast(v, MIN_TMUX)) throw new UserError(`tmux ${v} is too old: treemux needs tmux >= ${MIN_TMUX}`);
}

export function onPath(command: string): boolean {
  if (command.includes('/')) return existsSync(command);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/** The first port at or above `start` that is free right now (not reserving it). */
async function firstFree(start: number): Promise<number | null> {
  const { isPortFree } = await import('../env/ports.js');
  for (let port = start; port <= Math.min(65535, start + 200); port++) if (await isPortFree(port)) return port;
  return null;
}

async function checkDatabase(
  config: DatabaseConfig,
  root: string,
  ok: (msg: string) => void,
  bad: (msg: string, fix: string) => void,
): Promise<void> {
  if (config.kind === 'none') return;
  if (config.kind === 'sqlite') {
    if (config.seed && !existsSync(join(root, config.seed))) bad(`sqlite seed ${config.seed} not found`, 'create it, or drop `seed:` (agents then start with no file)');
    else ok(`database sqlite ${config.path}${config.seed ? ` seeded from ${config.seed}` : ''}`);
    return;
  }
  if (config.kind === 'command') {
    const first = typeof config.create === 'string' ? config.create.trim().split(/\s+/)[0]! : config.create[0]!;
    if (onPath(first)) ok(`database command ${first}`);
    else bad(`database command ${first} not found on PATH`, `install ${first}, or fix database.create`);
    return;
  }
  const { maskUrl, providerFor } = await import('../db/index.js');
  const provider = providerFor(config);
  if (!provider) return;
  const probe = { project: 'doctor', agent: 'doctor', branch: 'doctor', base: 'main', index: 1, worktree: root, mainRoot: root, vars: {} };
  try {
    await provider.exists(probe, null);
    ok(`database ${config.kind} at ${maskUrl(config.url)} reachable`);
  } catch (err) {
    bad(oneLine(err), `start the ${config.kind} server, or fix database.url`);
  }
}

/** Agents whose program ended with a failure, with their last words. */
async function checkAgents(
  tmux: TmuxT,
  session: string,
  commonDir: string,
  ok: (msg: string) => void,
  bad: (msg: string, fix: string) => void,
): Promise<void> {
  const { isDead } = await import('../agents/status/alive.js');
  const { AGENT_OPTION } = await import('../agents/inventory.js');
  const { lastLogLine } = await import('../agents/status/rules.js');
  const { logPath, tail } = await import('../project/paths.js');
  const found = await tmux.findSession(session).catch(() => null);
  if (!found) return;
  const panes = (await tmux.listPanes(found.id)).filter((p) => p['@treemux-role'] === 'agent' && p[AGENT_OPTION]);
  let failed = 0;
  for (const pane of panes) {
    if (!isDead(pane) || pane.pane_dead_status === '0' || pane.pane_dead_status === '') continue;
    const name = pane[AGENT_OPTION]!;
    const words = lastLogLine(await tail(logPath(commonDir, name), 8192));
    failed += 1;
    bad(
      `agent ${name} exited with status ${pane.pane_dead_status}${words ? `: ${words}` : ''}`,
      `read \`${treemuxLine(['logs', name])}\`, fix its command or args in the layout, then \`${treemuxLine(['up', name])}\``,
    );
  }
  if (panes.length > 0 && failed === 0) ok(`${panes.length} agent window${panes.length === 1 ? '' : 's'} in session ${session}, none failed`);
}

export async function doctor(opts: GlobalOptions): Promise<number> {
  const { layoutPath, shown, socketFrom } = await import('../project/context.js');
  const { gitVersion, openRepo } = await import('../git/index.js');
  const { loadLayout, resolveLayout } = await import('../layout/index.js');
  const { Tmux } = await import('../tmux/index.js');
  const { ALL_KINDS, kindOf } = await import('../agents/kinds/index.js');
  const out = consoleOutput;
  let problems = 0;
  const ok = (msg: string) => out.print(`ok    ${msg}`);
  const bad = (msg: string, fix: string) => {
    problems += 1;
    out.print(`FAIL  ${msg}\n      fix: ${fix}`);
  };
  /** not wrong, but likely not what the user wants */
  const warn = (msg: string, fix: string) => out.print(`warn  ${msg}\n      fix: ${fix}`);

  const tmux = new Tmux({ socket: socketFrom(opts) });
  try {
    const v = await tmux.version();
    if (atLeast(v, MIN_TMUX)) ok(`tmux ${v}`);
    else bad(`tmux ${v} is older than ${MIN_TMUX}`, `install tmux >= ${MIN_TMUX}`);
  } catch {
    bad('tmux not found', `install tmux >= ${MIN_TMUX} (e.g. apt-get install tmux, brew install tmux)`);
  }
  const gv = await gitVersion();
  if (!gv) bad('git not found', `install git >= ${MIN_GIT}`);
  else if (atLeast(gv, MIN_GIT)) ok(`git ${gv}`);
  else bad(`git ${gv} is older than ${MIN_GIT} (merge-tree --write-tree needs ${MIN_GIT})`, `install git >= ${MIN_GIT}`);

  const cwd = process.cwd();
  let repo;
  try {
    repo = await openRepo(cwd);
    ok(`git repository ${repo.root}`);
  } catch (err) {
    bad(oneLine(err), 'run treemux inside a git repository (git init)');
    return summary(problems);
  }
  const file = layoutPath(repo, cwd, opts);
  if (!existsSync(file)) {
    bad(`${shown(file, cwd)} not found`, `run \`${treemuxLine(['init'])}\` to write one`);
    return summary(problems);
  }
  let layout;
  try {
    const raw = await loadLayout(shown(file, cwd), file);
    const base = raw.base ?? (await repo.currentBranch()) ?? 'main';
    layout = resolveLayout(raw, { repoRoot: repo.root, repoName: repo.name, defaultBase: base }, shown(file, cwd));
    ok(`layout ${shown(file, cwd)}: project ${layout.project}, ${layout.agents.length} agent(s)`);
  } catch (err) {
    bad(oneLine(err), 'edit the layout file at that line (see docs/layout.md)');
    return summary(problems);
  }
  const bases = new Set(layout.agents.map((a) => a.base).concat(layout.base));
  for (const base of bases) {
    if (await repo.branchExists(base)) ok(`base branch ${base}`);
    else bad(`base branch ${base} does not exist`, `create it, or set \`base:\` in the layout to an existing branch`);
  }
  const commands = new Map(layout.agents.map((a) => [a.command, a.kind]));
  for (const [command, kind] of commands) {
    if (onPath(command)) ok(`agent command ${command}`);
    else bad(`agent command ${command} not found on PATH`, kindOf(kind).installHint(command));
  }
  for (const kind of ALL_KINDS) {
    const warning = kind.startWarning({ repo }, layout.agents);
    if (warning) warn(warning, 'see "Permissions" in docs/unattended.md');
  }
  const worktrees = await repo.listWorktrees();
  for (const agent of layout.agents) {
    const wt = worktrees.find((w) => w.path === agent.worktree);
    if (!wt && existsSync(agent.worktree)) bad(`${agent.name}: ${agent.worktree} exists and is not its worktree`, 'move it away or set `worktree:` to another path');
  }
  if (layout.agents.some((a) => !isAbsolute(a.worktree))) bad('worktree paths did not resolve', 'report this bug');

  for (const [name, start] of Object.entries(layout.layout.ports)) {
    const free = await firstFree(start);
    if (free === null) bad(`port ${name}: nothing free from ${start} up`, 'pick another start number under `ports:`');
    else ok(`port ${name}: ${free === start ? `${start} is free` : `${start} is busy; the next free one is ${free}`}`);
  }
  await checkDatabase(layout.layout.database, repo.root, ok, bad);
  await checkAgents(tmux, layout.session, repo.commonDir, ok, bad);
  return summary(problems);

  function summary(n: number): number {
    out.print(n === 0 ? 'all good' : `${n} problem${n === 1 ? '' : 's'} to fix`);
    return n === 0 ? 0 : 1;
  }
}
