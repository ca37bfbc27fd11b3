// What review has worked out about commits, kept on disk (<common>/treemux/review-cache.json) so
// that no two commits are merged twice, across runs of `conflicts`, `report` and the dashboard's
// radar: a predicted merge by the pair of commit ids, the files a branch changed by (base commit,
// head commit), how far a branch is behind its base by (head, base). Commits never change, so an
// entry never goes stale; the file is bounded (the oldest go first) and read defensively (a file of
// the wrong shape, or a link, is ignored and written anew).
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../../state/index.js';
import { stateDir } from '../../project/paths.js';

const VERSION = 1;
/** Entries kept at most (a pair of agents' verdict is a few hundred bytes). */
export const MAX_ENTRIES = 2000;

type Value = { conflict: boolean; conflicts: string[] } | string[] | number;

function readEntries(file: string): Map<string, Value> {
  try {
    if (!lstatSync(file).isFile()) return new Map();
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { v?: unknown; entries?: unknown };
    if (parsed?.v !== VERSION || !Array.isArray(parsed.entries)) return new Map();
    return new Map(parsed.entries.filter((e): e is [string, Value] => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && valid(e[0], e[1])));
  } catch {
    return new Map();
  }
}

/** An entry of the shape its kind has (anything else in the file is not believed). */
function valid(key: string, v: unknown): boolean {
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (key.startsWith('merge:')) return typeof v === 'object' && v !== null && typeof (v as { conflict?: unknown }).conflict === 'boolean' && strings((v as { conflicts?: unknown }).conflicts);
  if (key.startsWith('files:')) return strings(v);
  if (key.startsWith('behind:')) return typeof v === 'number' && Number.isInteger(v) && v >= 0;
  return false;
}

export class Verdicts {
  private entries: Map<string, Value> | null = null;
  private added = new Map<string, Value>();

  constructor(private commonDir: string | null) {}

  private get file(): string | null {
    return this.commonDir ? join(stateDir(this.commonDir), 'review-cache.json') : null;
  }

  private all(): Map<string, Value> {
    this.entries ??= this.file ? readEntries(this.file) : new Map();
    return this.entries;
  }

  /** The value kept for KEY, else what MAKE works out (kept, and written by save()). */
  async get<T extends Value>(key: string, make: () => Promise<T>): Promise<T> {
    const hit = this.all().get(key);
    if (hit !== undefined) return hit as T;
    const value = await make();
    this.all().set(key, value);
    this.added.set(key, value);
    return value;
  }

  /** Write what was worked out since the last save, beside what another process wrote meanwhile. */
  async save(): Promise<void> {
    const file = this.file;
    if (!file || this.added.size === 0) return;
    const merged = readEntries(file);
    for (const [k, v] of this.added) {
      merged.delete(k);
      merged.set(k, v); // newest last: the oldest go first when there are too many
    }
    this.added.clear();
    const kept = [...merged].slice(-MAX_ENTRIES);
    this.entries = new Map(kept);
    // a cache not written (a full disk, no state folder yet) costs the next run its merges
    await writeAtomic(file, JSON.stringify({ v: VERSION, entries: kept }), 0o600).catch(() => undefined);
  }
}
