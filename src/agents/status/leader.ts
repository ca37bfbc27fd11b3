// Which watcher of a project leads: the one holding the watch lock (.git/treemux/watch.lock). The
// holder refreshes the lock while it leads; a lock nobody refreshes goes stale and another watcher
// takes it over, so a crashed leader never leaves the project without one.
import { lock, type Release } from '../../host/lock.js';
import { stateDir } from '../../project/paths.js';

/** A leader's lock goes stale this long after its process stopped refreshing it. */
export const LOCK_STALE_MS = 5_000;
/** Followers try to take over on their first tick, then every this many ticks. */
const TAKEOVER_EVERY = 3;

/** Whether a follower tries to take the lead on this tick (1-based). */
export function triesToLead(tick: number): boolean {
  return tick === 1 || tick % TAKEOVER_EVERY === 0;
}

export class Leadership {
  private release: Release | null = null;

  /**
   * `refreshMs`: how often the lock is refreshed while held (the watcher's tick). `onLost`: another
   * watcher took the lock from under this one (it missed its refreshes): it follows from now on.
   */
  constructor(
    private commonDir: string,
    private refreshMs: number,
    private onLost: () => void,
  ) {}

  get held(): boolean {
    return this.release !== null;
  }

  /** Take the lead if nobody holds it (or its holder stopped refreshing it). */
  async tryTake(): Promise<void> {
    try {
      this.release = await lock(`${stateDir(this.commonDir)}/watch`, {
        staleMs: LOCK_STALE_MS,
        updateMs: this.refreshMs,
        onCompromised: () => {
          this.release = null;
          this.onLost();
        },
      });
    } catch {
      this.release = null; // held by the leader: this watcher follows it
    }
  }

  /** Give the lead up (nothing when not leading). */
  async giveUp(): Promise<void> {
    const release = this.release;
    this.release = null;
    await release?.().catch(() => undefined); // a lock already taken over or removed: nothing left to give up
  }
}
