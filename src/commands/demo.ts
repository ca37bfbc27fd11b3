// treemux demo: a throwaway repository with a small shop app, a seed database, an .env and a
// three-agent layout, brought up with treemux's stand-in agent (or Claude Code with --agent claude).
import { mkdtemp, mkdir, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleOutput } from '../util/output.js';
import { shellLine, treemuxLine } from '../util/invocation.js';
import { UsageError } from './exit.js';
import type { CommandSpec } from './spec.js';
import { up, type UpOptions } from './up.js';

export interface DemoOptions extends UpOptions {
  /** `stand-in` (the spec's default) or `claude` */
  agent: string;
}

/** The first port the demo's agents try for their web server. */
const DEMO_PORT = 4100;
/** Who works in the demo: treemux's stand-in (the default) or Claude Code. */
const DEMO_AGENTS = ['stand-in', 'claude'] as const;

export const spec: CommandSpec<DemoOptions> = {
  name: 'demo',
  description: 'make a throwaway repository with a layout and a stand-in agent, and bring it up',
  options: [
    { flags: '--agent <kind>', description: 'stand-in (default: pretends, in seconds, for free) or claude (Claude Code, for real)', default: DEMO_AGENTS[0] },
    { flags: '--no-attach', description: 'do not attach to the session' },
  ],
  run: (_args, opts) => demo(opts),
};

export async function demo(opts: DemoOptions): Promise<number> {
  const agent = opts.agent;
  if (!(DEMO_AGENTS as readonly string[]).includes(agent)) throw new UsageError(`--agent must be ${DEMO_AGENTS.join(' or ')}, not "${agent}"`);
  const { initRepoWithCommit } = await import('../git/index.js');
  const { DEMO_ENV, DEMO_FILES, DEMO_SEED_PATH, demoLayout, demoSeed } = await import('../demo/app.js');
  const standInAgents = agent === DEMO_AGENTS[0];
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'treemux-demo-')));
  const repo = join(dir, 'shop');
  for (const [path, content] of Object.entries(DEMO_FILES)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), content);
  }
  const standIn = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'demo', 'agent.js');
  const layout = standInAgents ? demoLayout(process.execPath, [standIn], DEMO_PORT) : demoLayout('claude', [], DEMO_PORT);
  await writeFile(join(repo, 'treemux.yaml'), layout);
  await initRepoWithCommit(repo, 'shop: a tiny app for the treemux demo');
  // not committed (ignored), as in a real project: the .env with a secret and the dev database
  await writeFile(join(repo, '.env'), DEMO_ENV, { mode: 0o600 });
  await mkdir(join(repo, dirname(DEMO_SEED_PATH)), { recursive: true });
  await writeFile(join(repo, DEMO_SEED_PATH), demoSeed());

  const out = consoleOutput;
  const tm = (...args: string[]) => treemuxLine(args, { dir: repo });
  out.info(`demo repository: ${repo}`);
  out.info(
    standInAgents
      ? `agents: treemux's stand-in (it edits, tests and commits in a few seconds; \`${treemuxLine(['demo', '--agent', 'claude'])}\` uses Claude Code)`
      : 'agents: Claude Code (it works on the tasks for real, with your account)',
  );
  const guide = [
    'In tmux: prefix g goes to the dashboard, prefix J / K to the next / previous agent window, prefix d detaches',
    '(the prefix is Ctrl-b unless you changed it). In the dashboard: Enter or 1-9 jumps to an agent, ? lists every key.',
    'From a shell (each line works as it is):',
    `  ${tm('ls')}`,
    `  ${tm('conflicts')}`,
    `  ${tm('merge', '--dry-run')}`,
  ];
  for (const line of guide) out.info(line);
  const removal = `${tm('down', '--force')} && ${shellLine(['rm', '-rf', dir])}`;
  out.info(`when done, remove it with: ${removal}`);
  process.chdir(repo);
  const code = await up([], { ...opts, layout: undefined });
  out.info(`remove the demo with: ${removal}`);
  return code;
}
