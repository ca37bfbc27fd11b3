// The shapes of state.json (store.ts) and of a worktree's marker (marker.ts), loaded on the first
// read: a command that reads neither does not load zod.
import { z } from 'zod';
import { AGENT_NAME_RE } from '../layout/names.js';

// The shape state.json must have. Anything else (another program's file, a hand edit gone wrong, a
// file cut short) is set aside, not trusted: the truth is rebuilt from git and tmux.
const str = z.string();
const runSchema = z
  .object({
    phase: z.enum(['starting', 'busy', 'done']),
    runs: z.number().int().nonnegative(),
    startedAt: str,
    endedAt: str.optional(),
    ok: z.boolean().optional(),
    subtype: str.optional(),
    exitCode: z.number().int().nullable().optional(),
    signal: str.nullable().optional(),
    result: str.optional(),
    lastText: str.optional(),
    sessionId: str.optional(),
    costUsd: z.number().nullable().optional(),
    sessionCostUsd: z.number().optional(),
    sessionCostOf: str.optional(),
    turns: z.number().nullable().optional(),
    durationMs: z.number().nullable().optional(),
    permissionDenials: z.array(z.object({ tool: str, detail: str })).optional(),
  })
  .loose();
const recordSchema = z
  .object({
    name: z.string().regex(AGENT_NAME_RE),
    branch: str,
    base: str,
    worktree: str,
    task: str,
    source: z.enum(['layout', 'added']),
    createdAt: str,
    createdBranch: z.boolean(),
    windowId: str.optional(),
    paneId: str.optional(),
    ports: z.record(str, z.number().int()).optional(),
    database: z.object({ kind: z.enum(['sqlite', 'postgres', 'mysql', 'command']), name: str, url: str }).optional(),
    redis: z.object({ prefix: str, db: z.number().int() }).optional(),
    setup: z.enum(['ok', 'failed']).optional(),
    failure: str.optional(),
    session: str.optional(),
    claudeSession: str.optional(),
    run: runSchema.optional(),
    /** a name under hosts: when the agent runs on another host (its worktree and ids are there) */
    host: str.optional(),
  })
  .loose();
export const stateSchema = z
  .object({
    version: z.literal(1),
    project: str.optional(),
    sessionId: str.optional(),
    agents: z.record(str, recordSchema),
    queue: z.array(str).optional(),
    starting: z.array(str).optional(),
    merged: z.record(str, z.object({ at: str, base: str, commit: str })).optional(),
    pending: z
      .record(
        str,
        z.object({ name: z.string().regex(AGENT_NAME_RE), branch: str, base: str, worktree: str, task: str, source: z.enum(['layout', 'added']), createdBranch: z.boolean(), at: str }),
      )
      .optional(),
  })
  .loose();
