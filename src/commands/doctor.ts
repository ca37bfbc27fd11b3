// treemux doctor: check tmux, git, the layout and the agents' commands; say what to fix.
// Each check decides its findings; doctor prints them, step by step, and counts the problems.
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Repo } from '../git/index.js';
import type { DatabaseConfig, ResolvedLayout } from '../layout/index.js';
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

/** One line of the report: fine; a problem, with how to fix it; or not wrong, but likely not what the user wants. */
export type Finding = { kind: 'ok'; msg: string } | { kind: 'fail' | 'warn'; msg: string; fix: string };

const ok = (msg: string): Finding => ({ kind: 'ok', msg });
const fail = (msg: string, fix: string): Finding => ({ kind: 'fail', msg, fix });
const warn = (msg: string, fix: string): Finding => ({ kind: 'warn', msg, fix });

function findingText(f: Finding): string {
  if (f.kind === 'ok') return `ok    ${f.msg}`;
  return `${f.kind === 'fail' ? 'FAIL' : 'warn'}  ${f.msg}\n      fix: ${f.fix}`;
}

/** What the checks after the layout look at. */
interface Project {
  repo: Repo;
  layout: ResolvedLayout;
}

export async function doctor(opts: GlobalOptions): Promise<number> {
  const { socketFrom } = await import('../project/context.js');
  const { Tmux } = await import('../tmux/index.js');
  const tmux = new Tmux({ socket: socketFrom(opts) });
  let problems = 0;
  const say = (findings: readonly Finding[]) => {
    for (const f of findings) {
      if (f.kind === 'fail') problems += 1;
      consoleOutput.print(findingText(f));
    }
  };
  say(await checkTmux(tmux));
  say(await checkGit());
  const { findings, project } = await checkProject(opts);
  say(findings);
  if (project) {
    say(await checkBases(project));
    say(await checkAgentCommands(project));
    say(await checkWorktrees(project));
    say(await checkPorts(project.layout.layout.ports));
    say(await checkDatabase(project.layout.layout.database, project.repo.root));
    say(await checkAgents(tmux, project.layout.session, project.repo.commonDir));
    if (Object.keys(project.layout.layout.hosts).length > 0) {
      const { checkHosts } = await import('../agents/hosts/doctor.js');
      say((await checkHosts(project.layout, tmux.socket, { tmux: MIN_TMUX, git: MIN_GIT })).map((f) => (f.kind === 'ok' ? ok(f.msg) : { kind: f.kind, msg: f.msg, fix: f.fix ?? '' })));
    }
  }
  consoleOutput.print(problems === 0 ? 'all good' : `${problems} problem${problems === 1 ? '' : 's'} to fix`);
  return problems === 0 ? 0 : 1;
}

async function checkTmux(tmux: TmuxT): Promise<Finding[]> {
  try {
    const v = await tmux.version();
    return [atLeast(v, MIN_TMUX) ? ok(`tmux ${v}`) : fail(`tmux ${v} is older than ${MIN_TMUX}`, `install tmux >= ${MIN_TMUX}`)];
  } catch {
    // whatever stops `tmux -V` (not installed, not executable), there is no tmux to use
    return [fail('tmux not found', `install tmux >= ${MIN_TMUX} (e.g. apt-get install tmux, brew install tmux)`)];
  }
}

async function checkGit(): Promise<Finding[]> {
  const { gitVersion } = await import('../git/index.js');
  const gv = await gitVersion();
  if (!gv) return [fail('git not found', `install git >= ${MIN_GIT}`)];
  if (atLeast(gv, MIN_GIT)) return [ok(`git ${gv}`)];
  return [fail(`git ${gv} is older than ${MIN_GIT} (merge-tree --write-tree needs ${MIN_GIT})`, `install git >= ${MIN_GIT}`)];
}

/** The repository and its layout; no project when either is missing or broken (nothing more to check). */
async function checkProject(opts: GlobalOptions): Promise<{ findings: Finding[]; project: Project | null }> {
  const { layoutPath, shown } = await import('../project/context.js');
  const { openRepo } = await import('../git/index.js');
  const { loadLayout, resolveLayout } = await import('../layout/index.js');
  const cwd = process.cwd();
  const findings: Finding[] = [];
  const stop = (f: Finding) => ({ findings: [...findings, f], project: null });
  let repo;
  try {
    repo = await openRepo(cwd);
    findings.push(ok(`git repository ${repo.root}`));
  } catch (err) {
    return stop(fail(oneLine(err), 'run treemux inside a git repository (git init)'));
  }
  const file = layoutPath(repo, cwd, opts);
  if (!existsSync(file)) return stop(fail(`${shown(file, cwd)} not found`, `run \`${treemuxLine(['init'])}\` to write one`));
  try {
    const raw = await loadLayout(shown(file, cwd), file);
    const base = raw.base ?? (await repo.currentBranch()) ?? 'main';
    const layout = resolveLayout(raw, { repoRoot: repo.root, repoName: repo.name, defaultBase: base }, shown(file, cwd));
    findings.push(ok(`layout ${shown(file, cwd)}: project ${layout.project}, ${layout.agents.length} agent(s)`));
    return { findings, project: { repo, layout } };
  } catch (err) {
    return stop(fail(oneLine(err), 'edit the layout file at that line (see docs/layout.md)'));
  }
}

async function checkBases({ repo, layout }: Project): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const base of new Set(layout.agents.map((a) => a.base).concat(layout.base))) {
    if (await repo.branchExists(base)) findings.push(ok(`base branch ${base}`));
    else findings.push(fail(`base branch ${base} does not exist`, `create it, or set \`base:\` in the layout to an existing branch`));
  }
  return findings;
}

/** Each agent command is on PATH; each kind's warning about how its agents will start. */
async function checkAgentCommands({ repo, layout }: Project): Promise<Finding[]> {
  const { ALL_KINDS, kindOf } = await import('../agents/kinds/index.js');
  const findings: Finding[] = [];
  // an agent on another host needs its command there: checked with its host
  for (const [command, kind] of new Map(layout.agents.filter((a) => a.host === 'local').map((a) => [a.command, a.kind]))) {
    if (onPath(command)) findings.push(ok(`agent command ${command}`));
    else findings.push(fail(`agent command ${command} not found on PATH`, kindOf(kind).installHint(command)));
  }
  for (const kind of ALL_KINDS) {
    const warning = kind.startWarning({ repo }, layout.agents);
    if (warning) findings.push(warn(warning, 'see "Permissions" in docs/unattended.md'));
  }
  return findings;
}

/** No agent's worktree path is taken by something that is not its worktree. */
async function checkWorktrees({ repo, layout }: Project): Promise<Finding[]> {
  const findings: Finding[] = [];
  const worktrees = await repo.listWorktrees();
  for (const agent of layout.agents.filter((a) => a.host === 'local')) {
    const wt = worktrees.find((w) => w.path === agent.worktree);
    if (!wt && existsSync(agent.worktree)) findings.push(fail(`${agent.name}: ${agent.worktree} exists and is not its worktree`, 'move it away or set `worktree:` to another path'));
  }
  if (layout.agents.some((a) => a.host === 'local' && !isAbsolute(a.worktree))) findings.push(fail('worktree paths did not resolve', 'report this bug'));
  return findings;
}

async function checkPorts(ports: Record<string, number>): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [name, start] of Object.entries(ports)) {
    const free = await firstFree(start);
    if (free === null) findings.push(fail(`port ${name}: nothing free from ${start} up`, 'pick another start number under `ports:`'));
    else findings.push(ok(`port ${name}: ${free === start ? `${start} is free` : `${start} is busy; the next free one is ${free}`}`));
  }
  return findings;
}

/** The first port at or above `start` that is free right now (not reserving it). */
async function firstFree(start: number): Promise<number | null> {
  const { isPortFree } = await import('../env/ports.js');
  for (let port = start; port <= Math.min(65535, start + 200); port++) if (await isPortFree(port)) return port;
  return null;
}

async function checkDatabase(config: DatabaseConfig, root: string): Promise<Finding[]> {
  if (config.kind === 'none') return [];
  if (config.kind === 'sqlite') {
    if (config.seed && !existsSync(join(root, config.seed))) return [fail(`sqlite seed ${config.seed} not found`, 'create it, or drop `seed:` (agents then start with no file)')];
    return [ok(`database sqlite ${config.path}${config.seed ? ` seeded from ${config.seed}` : ''}`)];
  }
  if (config.kind === 'command') {
    const first = typeof config.create === 'string' ? config.create.trim().split(/\s+/)[0]! : config.create[0]!;
    if (onPath(first)) return [ok(`database command ${first}`)];
    return [fail(`database command ${first} not found on PATH`, `install ${first}, or fix database.create`)];
  }
  const { maskUrl, providerFor } = await import('../db/index.js');
  const provider = providerFor(config);
  if (!provider) return [];
  const probe = { project: 'doctor', agent: 'doctor', branch: 'doctor', base: 'main', index: 1, worktree: root, mainRoot: root, vars: {} };
  try {
    await provider.exists(probe, null);
    return [ok(`database ${config.kind} at ${maskUrl(config.url)} reachable`)];
  } catch (err) {
    return [fail(oneLine(err), `start the ${config.kind} server, or fix database.url`)];
  }
}

/** Agents whose program ended with a failure, with their last words. */
async function checkAgents(tmux: TmuxT, session: string, commonDir: string): Promise<Finding[]> {
  const { isDead } = await import('../agents/status/alive.js');
  const { AGENT_OPTION } = await import('../agents/inventory.js');
  const { lastLogLine } = await import('../agents/status/rules.js');
  const { logPath, tail } = await import('../project/paths.js');
  // no tmux server or no such session: no agent windows, so nothing to check
  const found = await tmux.findSession(session).catch(() => null);
  if (!found) return [];
  const panes = (await tmux.listPanes(found.id)).filter((p) => p['@treemux-role'] === 'agent' && p[AGENT_OPTION]);
  const findings: Finding[] = [];
  for (const pane of panes) {
    if (!isDead(pane) || pane.pane_dead_status === '0' || pane.pane_dead_status === '') continue;
    const name = pane[AGENT_OPTION]!;
    const words = lastLogLine(await tail(logPath(commonDir, name), 8192));
    findings.push(fail(
      `agent ${name} exited with status ${pane.pane_dead_status}${words ? `: ${words}` : ''}`,
      `read \`${treemuxLine(['logs', name])}\`, fix its command or args in the layout, then \`${treemuxLine(['up', name])}\``,
    ));
  }
  if (panes.length > 0 && findings.length === 0) findings.push(ok(`${panes.length} agent window${panes.length === 1 ? '' : 's'} in session ${session}, none failed`));
  return findings;
}
