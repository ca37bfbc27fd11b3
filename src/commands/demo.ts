// treemux demo: a throwaway repository with a small app and a three-agent layout, brought up.
import { mkdtemp, mkdir, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initRepoWithCommit } from '../git/index.js';
import { consoleOutput } from '../util/output.js';
import { DEMO_FILES, demoLayout } from '../demo/app.js';
import { onPath } from './doctor.js';
import { treemuxArgv } from '../agents/spawn.js';
import { up, type UpOptions } from './up.js';

export async function demo(opts: UpOptions): Promise<number> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'treemux-demo-')));
  const repo = join(dir, 'shop');
  for (const [path, content] of Object.entries(DEMO_FILES)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), content);
  }
  const standIn = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'demo', 'agent.js');
  const useClaude = onPath('claude');
  const layout = useClaude ? demoLayout('claude', []) : demoLayout(process.execPath, [standIn]);
  await writeFile(join(repo, 'treemux.yaml'), layout);
  await initRepoWithCommit(repo, 'shop: a tiny app for the treemux demo');
  const out = consoleOutput;
  out.info(`demo repository: ${repo} (agents: ${useClaude ? 'claude' : 'treemux\'s stand-in agent; install Claude Code for the real thing'})`);
  const socket = opts.socket ? ` --socket ${opts.socket}` : '';
  const treemux = onPath('treemux') ? 'treemux' : treemuxArgv().join(' ');
  const removal = `cd ${repo} && ${treemux} down --force${socket} && rm -rf ${dir}`;
  out.info(`when done, remove it with: ${removal}`);
  process.chdir(repo);
  const code = await up([], { ...opts, layout: undefined });
  out.info(`remove the demo with: ${removal}`);
  return code;
}
