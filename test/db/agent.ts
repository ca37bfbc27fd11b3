// Test helper for the database tests: throwaway agents (a main checkout and a worktree in a temp dir).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DbAgent } from '../../src/db/index.js';

const roots: string[] = [];

/** A unique database-friendly name for this run: `tmx_<hex>`. */
export function uniqueName(prefix = 'tmx'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export function makeAgent(name: string, opts: { worktreeDir?: string; branch?: string; root?: string } = {}): DbAgent {
  const root = opts.root ?? mkdtempSync(path.join(tmpdir(), 'tmx-db-'));
  if (!opts.root) roots.push(root);
  const mainRoot = path.join(root, 'main');
  const worktree = path.join(root, opts.worktreeDir ?? `shop-${name}`);
  mkdirSync(mainRoot, { recursive: true });
  mkdirSync(worktree, { recursive: true });
  const branch = opts.branch ?? `feature/${name}`;
  return {
    project: 'shop',
    agent: name,
    branch,
    base: 'main',
    index: 1,
    worktree,
    mainRoot,
    vars: { project: 'shop', agent: name, branch, base: 'main', index: '1', worktree, 'port.web': '3001' },
  };
}

export function cleanupAgents(): void {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
}

/** Collects notes. */
export function noteSink(): { notes: string[]; note: (line: string) => void } {
  const notes: string[] = [];
  return { notes, note: (l) => notes.push(l) };
}
