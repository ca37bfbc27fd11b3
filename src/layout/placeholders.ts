// Placeholders `{name}` in layout strings: which exist, which each key accepts, and expansion.

/** Every placeholder name; `port.NAME` stands for one per port declared under `ports`. */
export const PLACEHOLDER_NAMES: readonly string[] = Object.freeze([
  'project', 'agent', 'branch', 'base', 'index', 'worktree', 'port.NAME', 'db.url', 'db.name', 'redis.prefix', 'redis.db',
]);

/** `{name}`, but not `${name}` (shell syntax, left for the shell) and not JSON-ish braces. */
const PLACEHOLDER_RE = /(?<!\$)\{([A-Za-z_][A-Za-z0-9_.]*)\}/g;

/** The placeholder names in `s`, each once, in order of first appearance. */
export function placeholdersIn(s: string): string[] {
  const seen = new Set<string>();
  for (const m of s.matchAll(PLACEHOLDER_RE)) seen.add(m[1]!);
  return [...seen];
}

/** Offset of the first `{name}` placeholder occurrence in `s` (not after `$`), or -1. */
export function placeholderOffset(s: string, name: string): number {
  for (const m of s.matchAll(PLACEHOLDER_RE)) if (m[1] === name) return m.index;
  return -1;
}

/** Replace every placeholder with its value; an unknown one throws an Error that names it. */
export function expand(template: string, vars: Record<string, string>): string {
  return template.replace(PLACEHOLDER_RE, (_whole, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
    if (value === undefined) {
      throw new Error(`unknown placeholder {${name}} in "${template}" (known: ${Object.keys(vars).join(', ')})`);
    }
    return value;
  });
}

const IDENTITY = ['project', 'agent', 'base', 'index'] as const;
const ALL = PLACEHOLDER_NAMES;

/**
 * THE table: which placeholders each key takes. `path` segments: a key, `*` (every key of a mapping)
 * or `[]` (every item of a list); a path ending at a list covers each item. Keys not listed here are
 * never expanded (task, done, scope, avoid, file names, …): their braces are plain text.
 */
export const PLACEHOLDER_KEYS: readonly { key: string; path: readonly string[]; names: readonly string[] }[] = [
  { key: 'branch', path: ['branch'], names: IDENTITY },
  { key: 'worktree', path: ['worktree'], names: [...IDENTITY.slice(0, 2), 'branch', ...IDENTITY.slice(2)] },
  { key: 'redis.prefix', path: ['redis', 'prefix'], names: ['project', 'agent', 'branch', 'base', 'index'] },
  ...(['create', 'drop', 'path'] as const).map((k) => ({
    key: `database.${k}`,
    path: ['database', k],
    names: ['project', 'agent', 'branch', 'base', 'index', 'worktree', 'port.NAME'],
  })),
  // the database's own URL cannot refer to itself
  { key: 'database.url', path: ['database', 'url'], names: ALL.filter((n) => !n.startsWith('db.')) },
  { key: 'env.set', path: ['env', 'set', '*'], names: ALL },
  { key: 'setup', path: ['setup'], names: ALL },
  { key: 'panes[].command', path: ['panes', '[]', 'command'], names: ALL },
  { key: 'agent.command', path: ['agent', 'command'], names: ALL },
  { key: 'agent.args', path: ['agent', 'args'], names: ALL },
  { key: 'agents[].command', path: ['agents', '[]', 'command'], names: ALL },
  { key: 'agents[].args', path: ['agents', '[]', 'args'], names: ALL },
  { key: 'merge.test', path: ['merge', 'test'], names: ALL },
];

/** What a layout provides: its declared ports, whether it has a database and a redis section. */
export interface PlaceholderContext {
  ports: readonly string[];
  hasDatabase: boolean;
  hasRedis: boolean;
}

/** The concrete names usable at a key of PLACEHOLDER_KEYS, `port.NAME` expanded to the declared ports. */
export function namesAt(names: readonly string[], ctx: PlaceholderContext): string[] {
  const out: string[] = [];
  for (const n of names) {
    if (n === 'port.NAME') out.push(...ctx.ports.map((p) => `port.${p}`));
    else if (n.startsWith('db.') && !ctx.hasDatabase) continue;
    else if (n.startsWith('redis.') && !ctx.hasRedis) continue;
    else out.push(n);
  }
  return out;
}

/** Why `name` cannot be used where only `known` are: a one-line reason. */
export function placeholderProblem(name: string, known: readonly string[], ctx: PlaceholderContext): string {
  const list = `(known: ${known.join(', ') || 'none'})`;
  const everywhere = namesAt(ALL, ctx);
  if (everywhere.includes(name)) return `placeholder {${name}} cannot be used here ${list}`;
  if (name.startsWith('db.') && ALL.includes(name)) {
    return `placeholder {${name}} has no value: no database is configured ${list}`;
  }
  if (name.startsWith('redis.') && ALL.includes(name)) {
    return `placeholder {${name}} has no value: no redis is configured ${list}`;
  }
  return `unknown placeholder {${name}} ${list}`;
}
