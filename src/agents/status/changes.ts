// What tells the leading watcher that something may have changed, so that it looks only then: the
// kernel's file notifications (inotify, through fs.watch) on the folders treemux's agents write to
// (their pane logs, their hook events), on state.json and on the repository's list of worktrees. tmux's own news reaches the watcher through
// its control client (link.ts). A folder that does not exist yet is watched once it does.
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../../project/paths.js';

/** In the state folder only state.json is news; the watcher's own files (status.json, its lock) are not. */
const STATE_FILES = new Set(['state.json']);

export class ChangeWatch {
  private watchers = new Map<string, FSWatcher>();

  constructor(
    private commonDir: string,
    private onChange: () => void,
  ) {}

  /** Watch what exists of the folders (cheap when all are watched already). */
  ensure(): void {
    const dir = stateDir(this.commonDir);
    this.add(dir, (name) => name !== null && STATE_FILES.has(name));
    this.add(join(dir, 'logs'), () => true);
    this.add(join(dir, 'events'), () => true);
    this.add(join(this.commonDir, 'worktrees'), () => true); // a worktree added or removed (by hand too)
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private add(dir: string, matters: (name: string | null) => boolean): void {
    if (this.watchers.has(dir)) return;
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (matters(name === null ? null : String(name))) this.onChange();
      });
      // the folder removed (rm of the project's state) or the watch lost: watched again when it is back
      w.on('error', () => {
        w.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, w);
    } catch {
      // not there yet: the next ensure() tries again
    }
  }
}
