// The project's snapshot on disk (.git/treemux/status.json): the leading watcher writes it, the
// others read it. Written only when an agent's row changed; read only when the file changed.
import { readFile } from 'node:fs/promises';
import { markNow, snapshotPath } from '../../project/paths.js';
import { writeAtomic } from '../../state/index.js';
import type { Snapshot } from './snapshot.js';

export class SnapshotFile {
  private file: string;
  /** the agents last written, as JSON */
  private written = '';
  /** the same without what the views do not show */
  private shown = '';
  private readMtime = 0;

  constructor(commonDir: string) {
    this.file = snapshotPath(commonDir);
  }

  /**
   * Write SNAPSHOT unless its agents (and what they rest on) are the ones written last. Whether it is
   * news for the views (to emit): a change of the files' sizes alone (`seen`) is written, not news.
   */
  async write(snapshot: Snapshot): Promise<boolean> {
    const content = JSON.stringify([snapshot.agents, snapshot.basis, snapshot.tmux]);
    if (content === this.written) return false;
    this.written = content;
    const shown = JSON.stringify([snapshot.agents.map(({ seen: _, ...row }) => row), snapshot.tmux]);
    const news = shown !== this.shown;
    this.shown = shown;
    // a write that fails (a full disk, a repository being removed) costs the followers one update
    await writeAtomic(this.file, JSON.stringify(snapshot)).catch(() => undefined);
    return news;
  }

  /** The snapshot the leader wrote since the last read; null when the file did not change (or is not there). */
  async readNew(): Promise<Snapshot | null> {
    const m = markNow(this.file);
    if (!m || m.mtimeMs === this.readMtime) return null;
    this.readMtime = m.mtimeMs;
    return JSON.parse(await readFile(this.file, 'utf8')) as Snapshot;
  }
}
