// What a merge leaves behind for later: the agents `treemux merge` merged into base, with when and
// where, kept in state.json until `down`. `start_after` waits for these (agents/lifecycle/startQueue.ts).
import type { Ctx } from '../../project/context.js';

/** Record that `names` were merged into `base`, which is now at `commit`. */
export async function recordMerged(ctx: Ctx, names: string[], base: string, commit: string): Promise<void> {
  const at = new Date().toISOString();
  await ctx.state.update((s) => {
    s.merged ??= {};
    for (const n of names) s.merged[n] = { at, base, commit };
  });
}
