// The one lock helper: a lock next to FILE (FILE.lock, a folder made atomically by proper-lockfile),
// refreshed while held, stale after `staleMs` without a refresh so a crashed holder never blocks forever.
// state.json, the port registry, the operations lock and the watcher's leadership all take it here.

export interface LockOptions {
  /** A lock not refreshed for this long is taken over. */
  staleMs: number;
  /** How often the holder refreshes it (proper-lockfile's default: staleMs / 2). */
  updateMs?: number;
  /** 0: fail at once when held (ELOCKED); otherwise back off and retry this many times. */
  retries?: number;
  /** The lock was taken from under us (we did not refresh in time). */
  onCompromised?: (err: Error) => void;
}

export type Release = () => Promise<void>;

/** Take the lock on FILE (FILE need not exist). Throws an error with code ELOCKED when it is held. */
export async function lock(file: string, opts: LockOptions): Promise<Release> {
  const retries = opts.retries ?? 0;
  // loaded on the first lock: a command that takes none (ls while a dashboard runs) does not load it
  const { default: lockfile } = await import('proper-lockfile');
  return lockfile.lock(file, {
    realpath: false, // FILE may not exist yet: the lock is FILE.lock
    stale: opts.staleMs,
    ...(opts.updateMs !== undefined ? { update: opts.updateMs } : {}),
    retries: retries === 0 ? 0 : { retries, factor: 1.25, minTimeout: 20, maxTimeout: 500 },
    ...(opts.onCompromised ? { onCompromised: opts.onCompromised } : {}),
  });
}

/** Whether ERR says the lock is held by someone else. */
export function isHeld(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ELOCKED';
}

/** The lock's own path for FILE (to take over a lock whose holder is known to be gone). */
export const lockPathOf = (file: string): string => `${file}.lock`;
