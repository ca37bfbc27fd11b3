// treemux report [--json|--markdown]: the morning review of every agent, then totals.
import type { GlobalOptions } from '../project/context.js';
import { UserError } from '../util/output.js';
import type { CommandSpec } from './spec.js';

export interface ReportOptions extends GlobalOptions {
  json?: boolean;
  markdown?: boolean;
}

export const spec: CommandSpec<ReportOptions> = {
  name: 'report',
  description: 'per agent: status, outcome, duration, cost, turns, commits, files, scope violations, conflicts; totals',
  options: [
    { flags: '--json', description: 'print one JSON object' },
    { flags: '--markdown', description: 'print Markdown (for a pull request)' },
  ],
  run: (_args, opts) => report(opts),
};

export async function report(opts: ReportOptions): Promise<number> {
  if (opts.json && opts.markdown) throw new UserError('report: choose one of --json and --markdown');
  const { openContext } = await import('../project/context.js');
  const { formatMarkdown, formatText, gatherReport } = await import('../agents/review/report.js');
  const ctx = await openContext(opts);
  const r = await gatherReport(ctx);
  if (opts.json) ctx.out.print(JSON.stringify(r));
  else if (opts.markdown) ctx.out.print(formatMarkdown(r));
  else if (r.agents.length === 0) ctx.out.print(`${r.project}: no agents`);
  else ctx.out.print(formatText(r));
  return 0;
}
