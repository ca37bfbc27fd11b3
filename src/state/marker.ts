// A small record inside each agent worktree's own git dir (<common>/worktrees/<id>/treemux.json):
// if state.json is lost, `git worktree list` plus these markers still say which worktrees are
// treemux agents, with their names, bases and tasks.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_NAME_RE } from '../layout/names.js';
import { writeAtomic } from './store.js';

export interface Marker {
  project: string;
  agent: string;
  base: string;
  task: string;
  source: 'layout' | 'added';
  createdBranch: boolean;
  createdAt: string;
}

const FILE = 'treemux.json';

export async function writeMarker(worktreeGitDir: string, marker: Marker): Promise<void> {
  await writeAtomic(join(worktreeGitDir, FILE), `${JSON.stringify(marker, null, 2)}\n`);
}

/**
 * Whether a parsed marker has the shape writeMarker gives it (seven flat fields: checked by hand, as
 * the inventory reads one per worktree for every command, and the schema library costs a one-shot
 * command ~50 ms to load).
 */
export function isMarker(v: unknown): v is Marker {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const m = v as Record<string, unknown>;
  return (
    typeof m.project === 'string' &&
    typeof m.agent === 'string' &&
    AGENT_NAME_RE.test(m.agent) &&
    typeof m.base === 'string' &&
    typeof m.task === 'string' &&
    (m.source === 'layout' || m.source === 'added') &&
    typeof m.createdBranch === 'boolean' &&
    typeof m.createdAt === 'string'
  );
}

/** The marker, or null when there is none or it is not of the right shape (it is then not trusted). */
export async function readMarker(worktreeGitDir: string): Promise<Marker | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(worktreeGitDir, FILE), 'utf8'));
    return isMarker(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
