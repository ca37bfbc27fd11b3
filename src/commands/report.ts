// treemux report [--json|--markdown]: the morning review of every agent, then totals.
import { openContext, type GlobalOptions } from '../project/context.js';
import { formatMarkdown, formatText, gatherReport } from '../agents/review/report.js';
import { UserError } from '../util/output.js';

export interface ReportOptions extends GlobalOptions {
  json?: boolean;
  markdown?: boolean;
}

export async function report(opts: ReportOptions): Promise<number> {
  if (opts.json && opts.markdown) throw new UserError('report: choose one of --json and --markdown');
  const ctx = await openContext(opts);
  const r = await gatherReport(ctx);
  if (opts.json) ctx.out.print(JSON.stringify(r));
  else if (opts.markdown) ctx.out.print(formatMarkdown(r));
  else if (r.agents.length === 0) ctx.out.print(`${r.project}: no agents`);
  else ctx.out.print(formatText(r));
  return 0;
}
