// "did you mean" hints for unknown keys: edit distance, prefixes, and a few common synonyms.

const SYNONYMS: Record<string, string> = {
  cmd: 'command',
  db: 'database',
  deps: 'depends_on',
  dependencies: 'depends_on',
  after: 'start_after',
  prompt: 'task',
  description: 'task',
  port: 'ports',
  environment: 'env',
  worktrees: 'worktree',
  agent_defaults: 'agent',
  parallel: 'max_parallel',
};

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The allowed key `key` was most likely meant as, or undefined when none is close. */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  const k = key.toLowerCase().replace(/-/g, '_');
  const synonym = SYNONYMS[k];
  if (synonym && allowed.includes(synonym)) return synonym;
  let best: { name: string; score: number } | undefined;
  for (const name of allowed) {
    const n = name.toLowerCase();
    const dist = editDistance(k, n);
    const close = dist <= 2 && dist < Math.max(k.length, n.length) / 2;
    const prefix = Math.min(k.length, n.length) >= 3 && (n.startsWith(k) || k.startsWith(n));
    if (!close && !prefix) continue;
    // ties: the candidate closest in length (`agentz` -> `agents`, not `agent`)
    const score = (close ? dist : 3) + Math.abs(k.length - n.length) / 100;
    if (!best || score < best.score) best = { name, score };
  }
  return best?.name;
}
