// Which files an agent may change: `scope` globs (when given, everything else is out of scope) and
// `avoid` globs (never); and the scope guard's verdict on one write, judged on the real path (a link
// inside the scope may lead out of it, an absolute path may name another checkout).
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';

export interface ScopeRules {
  scope: readonly string[];
  avoid: readonly string[];
}

export type Violation = { file: string; why: 'outside scope' | 'in avoid' };

export function scopeCheck(rules: ScopeRules): (file: string) => Violation['why'] | null {
  const inScope = rules.scope.length ? picomatch(rules.scope as string[], { dot: true }) : () => true;
  const avoided = rules.avoid.length ? picomatch(rules.avoid as string[], { dot: true }) : () => false;
  return (file) => (avoided(file) ? 'in avoid' : inScope(file) ? null : 'outside scope');
}

/** Files treemux itself writes into worktrees are never the agent's doing. */
const OURS = new Set(['CLAUDE.local.md', '.claude/settings.local.json']);

export function violations(files: readonly string[], rules: ScopeRules): Violation[] {
  const check = scopeCheck(rules);
  return files
    .filter((f) => !OURS.has(f))
    .map((file) => ({ file, why: check(file) }))
    .filter((v): v is Violation => v.why !== null);
}

/** `path` with every link resolved, also when its last parts do not exist yet (a new file). */
export function realTarget(path: string): string {
  const rest: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(at), ...rest.reverse());
    } catch {
      const up = dirname(at);
      if (up === at) return resolve(path);
      rest.push(basename(at));
      at = up;
    }
  }
}

const inside = (dir: string, p: string) => {
  const r = relative(dir, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

/**
 * The project's other checkouts, by real path: the main checkout (the common dir's parent, when it
 * is `.git`) and every linked worktree git knows (read from `<common>/worktrees/*\/gitdir`, no git
 * process: the guard runs before every write the agent makes).
 */
export function projectCheckouts(commonDir: string): string[] {
  const found: string[] = [];
  if (basename(commonDir) === '.git') found.push(dirname(commonDir));
  try {
    for (const id of readdirSync(join(commonDir, 'worktrees'))) {
      try {
        found.push(dirname(readFileSync(join(commonDir, 'worktrees', id, 'gitdir'), 'utf8').trim()));
      } catch {
        // not a worktree's admin dir
      }
    }
  } catch {
    // no linked worktrees
  }
  return found.map((p) => realTarget(p));
}

export interface WriteQuestion {
  worktree: string;
  rules: ScopeRules;
  /** where the agent is, for a relative path */
  cwd: string;
  target: string;
  /** the project's checkouts (main and worktrees), real paths */
  checkouts: readonly string[];
}

/** Why a write breaks the agent's rules (null: it does not): outside its worktree into another checkout, or against scope/avoid. */
export function judgeWrite(q: WriteQuestion): { file: string; why: string } | null {
  const real = realTarget(resolve(q.cwd, q.target));
  const home = realTarget(q.worktree);
  if (!inside(home, real)) {
    // elsewhere on the machine is not the scope's business; the project's other checkouts are
    const other = q.checkouts.filter((c) => c !== home && inside(c, real)).sort((a, b) => b.length - a.length)[0];
    if (!other) return null;
    return { file: real, why: `it is in another checkout of this project (${other}), not in this agent's worktree` };
  }
  const rel = relative(home, real).split(sep).join('/');
  const why = scopeCheck(q.rules)(rel);
  if (!why) return null;
  const via = realTarget(resolve(q.cwd, q.target)) !== resolve(q.cwd, q.target) ? ` (that is where ${q.target} leads)` : '';
  return {
    file: rel,
    why: why === 'in avoid' ? `it matches avoid (${q.rules.avoid.join(', ')})${via}` : `it is outside this agent's scope (${q.rules.scope.join(', ')})${via}`,
  };
}
