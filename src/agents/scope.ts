// Which files an agent may change: `scope` globs (when given, everything else is out of scope) and
// `avoid` globs (never). Pure.
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
