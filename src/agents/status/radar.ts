// The conflict radar as the dashboard shows it: each agent's predicted merge conflicts, with other
// agents and with its base. Computed again only when a branch moved: within seconds when the
// Observer saw a branch, base or index move (it stats their files), else checked every 2 minutes
// (one git call); merge predictions are cached by commit pair (review/conflicts.ts).
import { branchHeads } from '../../git/index.js';
import type { Ctx } from '../../project/context.js';
import type { AgentView } from '../inventory.js';
import { conflictRadar, MergePredictions, type BaseReport, type PairReport } from '../review/conflicts.js';
import type { AgentRow } from './snapshot.js';

/** One agent's predicted conflicts, as its row carries them. */
export type Conflicts = NonNullable<AgentRow['conflicts']>;

const CHECK_MS = 120_000;
/** After git moved, the radar is computed again, but not sooner than this after the last time. */
const MOVED_MS = 3_000;

/** Whether to ask git for the branch heads now. */
export function radarDue(now: number, lastAt: number, gitMoved: boolean): boolean {
  return now - lastAt >= CHECK_MS || (gitMoved && now - lastAt >= MOVED_MS);
}

/** The branch and base heads of every agent, as one key: it changes when any of them moves. */
export function headsKey(agents: readonly AgentView[], heads: ReadonlyMap<string, string>): string {
  return agents.map((a) => `${heads.get(a.spec.branch)}:${heads.get(a.spec.base)}`).join(',');
}

/** The conflicting pairs and bases, by agent: a pair's conflict is both agents'. */
export function conflictsByAgent(radar: { pairs: readonly PairReport[]; bases: readonly BaseReport[] }): Map<string, Conflicts> {
  const map = new Map<string, Conflicts>();
  const add = (name: string, other: string, files: string[]) => map.set(name, [...(map.get(name) ?? []), { with: other, files }]);
  for (const p of radar.pairs.filter((x) => x.conflict)) {
    add(p.a, p.b, p.conflicts);
    add(p.b, p.a, p.conflicts);
  }
  for (const b of radar.bases.filter((x) => x.conflict)) add(b.name, b.base, b.conflicts);
  return map;
}

export class Radar {
  private byAgent = new Map<string, Conflicts>();
  private key = '';
  private at = 0;
  /** git moved since the radar was last computed */
  private due = false;
  private predictions: MergePredictions;

  constructor(private ctx: Ctx) {
    this.predictions = new MergePredictions(ctx.repo.commonDir);
  }

  /** An agent's predicted conflicts (undefined: none known). */
  of(name: string): Conflicts | undefined {
    return this.byAgent.get(name);
  }

  /** Compute again when due and the heads moved; `gitMoved`: the Observer saw git move. */
  async update(agents: AgentView[], gitMoved: boolean, now: number): Promise<void> {
    if (gitMoved) this.due = true;
    if (!radarDue(now, this.at, this.due)) return;
    this.due = false;
    this.at = now;
    // git failing (a repository mid-rewrite): try again at the next check
    const heads = await branchHeads(this.ctx.repo.root).catch(() => null);
    if (!heads) return;
    const key = headsKey(agents, heads);
    if (key === this.key) return;
    this.key = key;
    // a prediction failing (a branch deleted under it): the conflicts shown stay the last known
    const radar = await conflictRadar(this.ctx, agents, this.predictions).catch(() => null);
    if (!radar) return;
    this.byAgent = conflictsByAgent(radar);
  }
}
