// treemux add NAME [--task TEXT] [--base REF] [--save]: add one agent now.
import type { GlobalOptions } from '../project/context.js';
import type { CommandSpec } from './spec.js';

export interface AddCommandOptions extends GlobalOptions {
  task?: string;
  base?: string;
  save?: boolean;
}

export const spec: CommandSpec<AddCommandOptions> = {
  name: 'add',
  description: 'add one agent now (a worktree, branch and window like the others)',
  arguments: [{ name: '<name>' }],
  options: [
    { flags: '--task <text>', description: 'its task (its first prompt)' },
    { flags: '--base <ref>', description: 'the branch to start from (default: the layout base)' },
    { flags: '--save', description: 'also write it into the layout file' },
  ],
  run: (args, opts) => add(args[0]!, opts),
};

export async function add(name: string, opts: AddCommandOptions): Promise<number> {
  const { openContext } = await import('../project/context.js');
  const { addAgent } = await import('../agents/lifecycle/add.js');
  const ctx = await openContext(opts);
  const result = await addAgent(ctx, name, opts);
  return result.failed.length > 0 ? 1 : 0;
}
