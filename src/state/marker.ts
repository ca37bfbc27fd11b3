// A small record inside each agent worktree's own git dir (<common>/worktrees/<id>/treemux.json):
// if state.json is lost, `git worktree list` plus these markers still say which worktrees are
// treemux agents, with their names, bases and tasks.
import { AGENT_NAME_RE } from '../layout/schema.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
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

const markerSchema = z
  .object({
    project: z.string(),
    agent: z.string().regex(AGENT_NAME_RE),
    base: z.string(),
    task: z.string(),
    source: z.enum(['layout', 'added']),
    createdBranch: z.boolean(),
    createdAt: z.string(),
  })
  .loose();

/** The marker, or null when there is none or it is not of the right shape (it is then not trusted). */
export async function readMarker(worktreeGitDir: string): Promise<Marker | null> {
  try {
    const checked = markerSchema.safeParse(JSON.parse(await readFile(join(worktreeGitDir, FILE), 'utf8')));
    return checked.success ? (checked.data as Marker) : null;
  } catch {
    return null;
  }
}
