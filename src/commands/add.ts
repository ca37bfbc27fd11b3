// treemux add NAME [--task TEXT] [--base REF] [--save]: add one agent now.
import { addAgent } from '../agents/lifecycle/add.js';
import { openContext, type GlobalOptions } from '../project/context.js';

export interface AddCommandOptions extends GlobalOptions {
  task?: string;
  base?: string;
  save?: boolean;
}

export async function add(name: string, opts: AddCommandOptions): Promise<number> {
  const ctx = await openContext(opts);
  const result = await addAgent(ctx, name, opts);
  return result.failed.length > 0 ? 1 : 0;
}
