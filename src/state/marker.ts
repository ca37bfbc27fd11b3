// A small record inside each agent worktree's own git dir (<common>/worktrees/<id>/treemux.json):
// if state.json is lost, `git worktree list` plus these markers still say which worktrees are
// treemux agents, with their names, bases and tasks.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

export async function readMarker(worktreeGitDir: string): Promise<Marker | null> {
  try {
    return JSON.parse(await readFile(join(worktreeGitDir, FILE), 'utf8')) as Marker;
  } catch {
    return null;
  }
}
