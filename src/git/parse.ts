// Pure parsers and text edits for the git module (no git is run here).

export interface Worktree {
  path: string;
  head: string | null;
  /** Short branch name ("feature/x"), null when detached or bare. */
  branch: string | null;
  detached: boolean;
  bare: boolean;
  locked: boolean;
  prunable: boolean;
  /** The main worktree (always the first one git lists). */
  main: boolean;
}

/**
 * Parses `git worktree list --porcelain -z` (fields end in NUL, a record ends with an empty field).
 * With sep "\n" it parses the older newline form the same way.
 */
export function parseWorktreeList(out: string, sep: '\0' | '\n' = '\0'): Worktree[] {
  const records: string[][] = [[]];
  for (const field of out.split(sep)) {
    if (field === '') records.push([]);
    else records[records.length - 1]!.push(field);
  }
  return records.filter((r) => r.length > 0).map((r, i) => parseRecord(r, i === 0));
}

function parseRecord(fields: string[], main: boolean): Worktree {
  const wt: Worktree = { path: '', head: null, branch: null, detached: false, bare: false, locked: false, prunable: false, main };
  for (const field of fields) {
    const space = field.indexOf(' ');
    const key = space < 0 ? field : field.slice(0, space);
    const value = space < 0 ? '' : field.slice(space + 1);
    if (key === 'worktree') wt.path = value;
    else if (key === 'HEAD') wt.head = /^0+$/.test(value) ? null : value;
    else if (key === 'branch') wt.branch = value.replace(/^refs\/heads\//, '');
    else if (key === 'detached' || key === 'bare' || key === 'locked' || key === 'prunable') wt[key] = true;
  }
  return wt;
}

/** Paths from `git status --porcelain -z` (v1); a rename or copy gives its new path only. */
export function parseStatusPaths(out: string): string[] {
  const fields = out.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i]!;
    if (entry.length < 4) continue;
    paths.push(entry.slice(3));
    if (/[RC]/.test(entry.slice(0, 2))) i++; // the next field is the original path
  }
  return paths;
}

export const EXCLUDE_MARK = '# treemux: files it writes into worktrees';

/**
 * `content` of an info/exclude file with every pattern present in treemux's block (created at the end
 * when missing; the block is the marker line and the non-empty lines after it). Null when unchanged.
 */
export function mergeExcludeBlock(content: string, patterns: string[]): string | null {
  const wanted = [...new Set(patterns)].filter((p) => p.trim() !== '');
  if (wanted.length === 0) return null;
  const lines = content === '' ? [] : content.replace(/\n$/, '').split('\n');
  let start = lines.indexOf(EXCLUDE_MARK);
  if (start < 0) {
    if (lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
    start = lines.push(EXCLUDE_MARK) - 1;
  }
  let end = start + 1;
  while (end < lines.length && lines[end] !== '') end++;
  const have = new Set(lines.slice(start + 1, end));
  const missing = wanted.filter((p) => !have.has(p));
  if (missing.length === 0) return null;
  lines.splice(end, 0, ...missing);
  return lines.join('\n') + '\n';
}
