// Whether an agent's program runs: the one definition of "alive" and "dead" for a tmux pane (tmux
// keeps a dead pane, remain-on-exit, so that its last words stay readable).
import type { PaneRow } from '../../tmux/index.js';

// The narrowed types say only "there is a pane" (the literal keeps TypeScript from concluding, in the
// other branch, that there is none).
/** A pane whose program still runs. */
export function isAlive(pane: PaneRow | undefined): pane is PaneRow & { pane_dead: '0' } {
  return pane !== undefined && pane.pane_dead !== '1';
}

/** A pane whose program ended (the pane is still there). */
export function isDead(pane: PaneRow | undefined): pane is PaneRow & { pane_dead: '1' } {
  return pane !== undefined && pane.pane_dead === '1';
}
