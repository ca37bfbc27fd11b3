// LayoutError: one line, `file:line:column: keyPath: what`, the shape every layout problem is reported in.

export interface LayoutErrorWhere {
  line?: number;
  column?: number;
  keyPath?: string;
}

export class LayoutError extends Error {
  override name = 'LayoutError';
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly keyPath?: string;
  /** The reason alone, without file, position or key path. */
  readonly what: string;
  /** Every problem found, in file order; the first one is this error itself. */
  errors: LayoutError[];

  constructor(file: string, what: string, where: LayoutErrorWhere = {}) {
    super(formatLayoutError(file, what, where));
    this.file = file;
    this.what = what;
    if (where.line !== undefined) this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
    if (where.keyPath) this.keyPath = where.keyPath;
    this.errors = [this];
  }
}

/** `file:line:column: keyPath: what`; parts that are unknown are left out. Always one line. */
export function formatLayoutError(file: string, what: string, where: LayoutErrorWhere = {}): string {
  let loc = file;
  if (where.line !== undefined) loc += `:${where.line}` + (where.column !== undefined ? `:${where.column}` : '');
  const parts = [loc, where.keyPath, what].filter((p): p is string => !!p);
  return parts.join(': ').replace(/\s*[\r\n]+\s*/g, ' ');
}

/** `agents[2].name`, `env.set.PORT`, `ports["odd key"]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += (out ? '.' : '') + seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** Sort errors by position (errors without one last), keep the first as the thrown one with all attached. */
export function combineErrors(errors: LayoutError[]): LayoutError {
  const sorted = errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => pos(a.e) - pos(b.e) || a.i - b.i)
    .map((x) => x.e);
  const first = sorted[0];
  if (!first) throw new Error('combineErrors: no errors');
  first.errors = sorted;
  return first;
}

function pos(e: LayoutError): number {
  return e.line === undefined ? Number.MAX_SAFE_INTEGER : e.line * 1_000_000 + (e.column ?? 0);
}
