// The morning review (`treemux report`): per agent its status, outcome, duration, cost, turns,
// commits ahead of base, files changed, scope violations, predicted conflicts, permission denials
// and last line; then totals. Gathering talks to git through the review module; formatting is pure.
import { aheadCount, changedFilesList } from '../../git/index.js';
import type { Ctx } from '../../project/context.js';
import { takeInventory, type AgentView } from '../inventory.js';
import { conflictRadar } from './conflicts.js';
import { violations } from './scope.js';
import type { Status } from '../status/status.js';
import { Observer } from '../status/watcher.js';

export interface ReportAgent {
  name: string;
  status: Status;
  mode: 'interactive' | 'headless';
  /** true or false once the outcome is known, null before */
  ok: boolean | null;
  costUsd: number | null;
  turns: number | null;
  durationMs: number | null;
  /** commits ahead of base (null: no branch yet) */
  commits: number | null;
  /** files changed against base, committed or not (null: no worktree) */
  filesChanged: number | null;
  branch: string;
  base: string;
  violations: { file: string; why: string }[];
  conflicts: { with: string; files: string[] }[];
  permissionDenials: { tool: string; detail: string }[];
  lastLine: string;
}

export interface Totals {
  agents: number;
  ok: number;
  failed: number;
  /** outcome not known yet (working, queued, interactive and alive) */
  unknown: number;
  costUsd: number | null;
  turns: number | null;
  durationMs: number | null;
  commits: number;
  filesChanged: number;
}

export interface Report {
  project: string;
  agents: ReportAgent[];
  totalCostUsd: number | null;
  totals: Totals;
}

export async function gatherReport(ctx: Ctx): Promise<Report> {
  const inv = await takeInventory(ctx);
  if (inv.agents.some((a) => a.remote)) await (await import('../hosts/remove.js')).bringHome(ctx, inv.agents).catch(() => undefined); // their branches, fetched home
  const rows = await new Observer(ctx).rows(inv, inv.panes, (paneId) => ctx.tmux.capturePane(paneId, 60));
  const radar = await conflictRadar(ctx, inv.agents).catch(() => ({ pairs: [], bases: [] }));
  const conflictsOf = (name: string) => [
    ...radar.pairs.filter((p) => p.conflict && (p.a === name || p.b === name)).map((p) => ({ with: p.a === name ? p.b : p.a, files: p.conflicts })),
    ...radar.bases.filter((b) => b.conflict && b.name === name).map((b) => ({ with: b.base, files: b.conflicts })),
  ];
  const agents: ReportAgent[] = [];
  for (const [i, a] of inv.agents.entries()) {
    const row = rows[i]!;
    const run = a.spec.mode === 'headless' ? a.record?.run : undefined;
    const { commits, files } = await workOf(ctx, a);
    agents.push({
      name: a.name,
      status: row.status,
      mode: a.spec.mode,
      ok: row.ok,
      costUsd: run?.costUsd ?? null,
      turns: run?.turns ?? null,
      durationMs: run ? (run.durationMs ?? wallClock(run.startedAt, run.endedAt)) : null,
      commits,
      filesChanged: files ? files.length : null,
      branch: a.spec.branch,
      base: a.spec.base,
      violations: files ? violations(files, a.spec) : [],
      conflicts: conflictsOf(a.name),
      permissionDenials: run?.permissionDenials ?? [],
      lastLine: row.lastLine,
    });
  }
  const totals = totalsOf(agents);
  return { project: ctx.layout.project, agents, totalCostUsd: totals.costUsd, totals };
}

async function workOf(ctx: Ctx, a: AgentView): Promise<{ commits: number | null; files: string[] | null }> {
  const commits = (await ctx.repo.branchExists(a.spec.branch)) ? await aheadCount(ctx.repo.root, a.spec.base, a.spec.branch) : null;
  if (!a.worktree) return { commits, files: null };
  // an agent on another host: asked there (uncommitted) and here (its branch fetched home)
  const lists = a.remote
    ? await (await import('../hosts/remove.js')).remoteChanges(ctx, a).catch(() => null)
    : await changedFilesList(a.worktree.path, a.spec.base).catch(() => null);
  return { commits, files: lists ? [...new Set([...lists.committed, ...lists.uncommitted])].sort() : null };
}

function wallClock(from: string, to: string | undefined): number | null {
  if (!to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** Sums over the agents; a figure no agent reported stays null. Pure. */
export function totalsOf(agents: readonly ReportAgent[]): Totals {
  const sum = (pick: (a: ReportAgent) => number | null): number | null => {
    const known = agents.map(pick).filter((v): v is number => v !== null);
    return known.length ? known.reduce((x, y) => x + y, 0) : null;
  };
  return {
    agents: agents.length,
    ok: agents.filter((a) => a.ok === true).length,
    failed: agents.filter((a) => a.ok === false).length,
    unknown: agents.filter((a) => a.ok === null).length,
    costUsd: sum((a) => a.costUsd),
    turns: sum((a) => a.turns),
    durationMs: sum((a) => a.durationMs),
    commits: sum((a) => a.commits) ?? 0,
    filesChanged: sum((a) => a.filesChanged) ?? 0,
  };
}

// ---- formatting (pure) ------------------------------------------------------------------------------

export const money = (usd: number | null): string => (usd === null ? '-' : `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`);

export function seconds(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const outcome = (ok: boolean | null): string => (ok === true ? '✓' : ok === false ? '✗' : '…');
const num = (n: number | null): string => (n === null ? '-' : String(n));

/** The notes under an agent: violations, conflicts, denials. */
function notes(a: ReportAgent): string[] {
  const out: string[] = [];
  if (a.violations.length) out.push(`scope: ${a.violations.map((v) => `${v.file} (${v.why})`).join(', ')}`);
  for (const c of a.conflicts) out.push(`conflicts with ${c.with}: ${c.files.join(', ')}`);
  if (a.permissionDenials.length) out.push(`denied: ${a.permissionDenials.map((d) => (d.detail ? `${d.tool} (${d.detail})` : d.tool)).join(', ')}`);
  return out;
}

function totalsLine(r: Report): string {
  const t = r.totals;
  return (
    `${t.agents} agent${t.agents === 1 ? '' : 's'}: ${t.ok} ok, ${t.failed} failed, ${t.unknown} not finished · ` +
    `cost ${money(t.costUsd)} · ${num(t.turns)} turns · ${seconds(t.durationMs)} · ${t.commits} commits · ${t.filesChanged} files changed`
  );
}

export function formatText(r: Report): string {
  const header = ['AGENT', 'STATUS', 'OK', 'COST', 'TURNS', 'TIME', 'COMMITS', 'FILES', 'LAST LINE'];
  const rows = r.agents.map((a) => [a.name, a.status, outcome(a.ok), money(a.costUsd), num(a.turns), seconds(a.durationMs), num(a.commits), num(a.filesChanged), a.lastLine]);
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [`${r.project}: report`, line(header)];
  for (const [i, a] of r.agents.entries()) {
    out.push(line(rows[i]!));
    for (const n of notes(a)) out.push(`  ! ${n}`);
  }
  out.push(totalsLine(r));
  return out.join('\n');
}

/** Markdown for a pull request: a table, then the notes, then totals. Cells have `|` escaped. */
export function formatMarkdown(r: Report): string {
  const cell = (s: string) => s.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ');
  const out = [`### treemux report: ${cell(r.project)}`, '', '| Agent | Status | OK | Cost | Turns | Time | Commits | Files | Last line |', '| --- | --- | :-: | --: | --: | --: | --: | --: | --- |'];
  for (const a of r.agents) {
    out.push(`| \`${a.name}\` | ${a.status} | ${outcome(a.ok)} | ${money(a.costUsd)} | ${num(a.turns)} | ${seconds(a.durationMs)} | ${num(a.commits)} | ${num(a.filesChanged)} | ${cell(a.lastLine)} |`);
  }
  const noted = r.agents.filter((a) => notes(a).length > 0);
  if (noted.length) {
    out.push('', '**Needs a look**', '');
    for (const a of noted) for (const n of notes(a)) out.push(`- \`${a.name}\`: ${cell(n)}`);
  }
  out.push('', `**Total:** ${totalsLine(r)}`);
  return out.join('\n');
}
