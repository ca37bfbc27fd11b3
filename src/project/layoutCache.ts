// The layout as last checked, kept in <git common dir>/treemux/layout-cache.json with the exact text
// it was checked from: a command run again on the same layout (ls, send, jump, many times a minute)
// skips the YAML parser and the schema checks (and loading them, which is most of a one-shot
// command's start). Any difference in the text, the file's path or treemux's own build is a miss:
// the layout is parsed and checked as always, with the same errors, and the cache written again.
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Layout } from '../layout/schema.js';
import { writeAtomic } from '../state/index.js';
import { stateDir } from './paths.js';

const VERSION = 1;
/** the same bound as the layout loader's: a bigger file goes the long way (and gets its error there) */
const MAX_BYTES = 1024 * 1024;

interface CacheFile {
  v: number;
  build: number;
  path: string;
  text: string;
  layout: Layout;
}

/** This build of treemux: the change time of this module (a build writes every file again). */
function buildStamp(): number {
  try {
    return statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    return 0;
  }
}

function readText(path: string): string | null {
  try {
    const s = statSync(path);
    return s.isFile() && s.size <= MAX_BYTES ? readFileSync(path, 'utf8') : null;
  } catch {
    return null;
  }
}

function cached(file: string, path: string, text: string, build: number): Layout | null {
  try {
    if (!lstatSync(file).isFile()) return null; // a link (or anything but a file) is not read
    const c = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile> | null;
    const ok = c && c.v === VERSION && c.build === build && c.path === path && c.text === text;
    return ok && c.layout && typeof c.layout === 'object' && Array.isArray(c.layout.agents) ? c.layout : null;
  } catch {
    return null;
  }
}

/** The checked layout of the file at PATH (FILE: its name in messages), from the cache when its text is the same. */
export async function loadLayoutCached(commonDir: string, file: string, path: string): Promise<Layout> {
  const text = readText(path);
  const cacheFile = join(stateDir(commonDir), 'layout-cache.json');
  const build = buildStamp();
  const hit = text === null ? null : cached(cacheFile, path, text, build);
  if (hit) return hit;
  const { loadLayout, parseLayout } = await import('../layout/load.js');
  if (text === null) return loadLayout(file, path); // missing, too big, unreadable: its own error
  const layout = parseLayout(text, file);
  const dirMade = statSync(stateDir(commonDir), { throwIfNoEntry: false })?.isDirectory();
  // a cache not written (no state folder yet, a full disk) costs the next command a parse
  if (dirMade) await writeAtomic(cacheFile, JSON.stringify({ v: VERSION, build, path, text, layout } satisfies CacheFile), 0o600).catch(() => undefined);
  return layout;
}
