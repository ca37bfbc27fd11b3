// treemux run --agent NAME --kind claude|other -- PROGRAM ARG…: what runs in a headless agent's
// window (started by up, the queue and send; not by hand). See src/agents/lifecycle/runner.ts.
import { constants } from 'node:os';
import type { GlobalOptions } from '../project/context.js';
import { oneLine, UserError } from '../util/output.js';
import type { CommandSpec } from './spec.js';

export interface RunOptions extends GlobalOptions {
  agent?: string;
  kind?: string;
}

export const spec: CommandSpec<RunOptions> = {
  name: 'run',
  description: "run a headless agent's program and record how it went (what runs in its window)",
  hidden: true,
  arguments: [{ name: '<program...>' }],
  options: [
    { flags: '--agent <name>', required: true },
    { flags: '--kind <kind>', required: true },
  ],
  run: (args, opts) => run(args, opts),
};

export async function run(argv: string[], opts: RunOptions): Promise<number> {
  const { isKindName, KIND_NAMES } = await import('../agents/kinds/index.js');
  const agent = opts.agent;
  if (!agent) throw new UserError('treemux run: --agent NAME is required');
  if (!isKindName(opts.kind)) throw new UserError(`treemux run: --kind must be one of ${KIND_NAMES.join(', ')}, not "${opts.kind ?? ''}"`);
  if (argv.length === 0) throw new UserError('treemux run: give the program to run after --');
  // the window may close while the run ends (rm, kill-window): writing to it must not kill the runner
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const { openContext } = await import('../project/context.js');
  const { openRepo } = await import('../git/index.js');
  const { runHeadless } = await import('../agents/lifecycle/runner.js');
  const { drainQueue } = await import('../agents/lifecycle/startQueue.js');
  const repo = await openRepo(process.cwd());
  const end = await runHeadless({
    agent,
    kind: opts.kind,
    argv,
    commonDir: repo.commonDir,
    cwd: process.cwd(),
    write: (text) => process.stdout.write(text),
    afterRun: async () => {
      // a slot is free now: start what waits for one (the layout is read only now, and a broken
      // layout does not lose the run's outcome, which is already recorded)
      try {
        await drainQueue(await openContext(opts));
      } catch (err) {
        process.stderr.write(`treemux: could not start queued agents: ${oneLine(err)}\n`);
      }
    },
  });
  if (end.code !== null) return end.code;
  const signo = end.signal ? (constants.signals as Record<string, number>)[end.signal] : undefined;
  return signo ? 128 + signo : 1;
}
