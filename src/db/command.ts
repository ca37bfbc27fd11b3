// command: the layout's own CLI makes the database (a Neon branch, a PlanetScale branch, …) and
// prints its URL. Commands are argument arrays: no shell ever runs them.
import { run as exec } from '../host/exec.js';
import { parse } from 'shell-quote';
import { expand } from '../layout/placeholders.js';
import { DbError, messageOf } from './errors.js';
import type { ConfigOf, DbAgent, DbInfo, DbProvider, Note } from './types.js';

const TIMEOUT_MS = 5 * 60_000;
const URL_LINE_RE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const URL_KEYS = ['connection_uri', 'url', 'uri'] as const;

/**
 * The argv of a `database.create`/`drop` entry: a list is taken word for word; a string is split like
 * a shell would (quotes, `$VAR` from the environment) but operators, redirects, globs and comments are
 * refused. Placeholders are expanded in each word after splitting, so a value with spaces stays one word.
 */
export function commandArgv(key: string, line: string | readonly string[], vars: Record<string, string>): string[] {
  let words: string[];
  if (typeof line === 'string') {
    const unset: string[] = [];
    const parsed = parse(line, (name: string) => {
      const v = process.env[name];
      if (v === undefined) unset.push(name);
      return v ?? '';
    });
    words = [];
    for (const w of parsed) {
      if (typeof w === 'string') {
        words.push(w);
        continue;
      }
      const what = 'op' in w ? (w.op === 'glob' ? `the glob ${(w as { pattern: string }).pattern}` : `"${w.op}"`) : 'a comment (#)';
      throw new DbError(`${key}: ${what} needs a shell, and treemux runs commands without one: give ${key} as a list of arguments instead`);
    }
    if (unset.length > 0) throw new DbError(`${key}: environment variable $${unset[0]} is not set`);
  } else {
    words = [...line];
  }
  if (words.length === 0 || words[0] === '') throw new DbError(`${key} is empty`);
  try {
    return words.map((w) => expand(w, vars));
  } catch (err) {
    throw new DbError(`${key}: ${messageOf(err)}`);
  }
}

function isUrl(v: unknown): v is string {
  return typeof v === 'string' && URL_LINE_RE.test(v.trim());
}

/** The first `connection_uri`, else `url`, else `uri` holding a URL, searched breadth first. */
function findUrl(json: unknown): string | undefined {
  for (const key of URL_KEYS) {
    const queue: unknown[] = [json];
    while (queue.length > 0) {
      const v = queue.shift();
      if (Array.isArray(v)) queue.push(...v);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (isUrl(o[key])) return (o[key] as string).trim();
        queue.push(...Object.values(o));
      }
    }
  }
  return undefined;
}

/** What a create command printed: its URL and, when it says, the database's name. */
export function parseCreateOutput(stdout: string): { url: string; name?: string } | null {
  const text = stdout.trim();
  try {
    const json: unknown = JSON.parse(text);
    const url = findUrl(json);
    if (url) {
      const top = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
      const branch = top.branch && typeof top.branch === 'object' ? (top.branch as Record<string, unknown>) : {};
      const name = [top.name, branch.name].find((n): n is string => typeof n === 'string' && n !== '');
      return name ? { url, name } : { url };
    }
  } catch {
    // not JSON: look for a URL line
  }
  const line = text.split(/\r?\n/).map((l) => l.trim()).reverse().find((l) => URL_LINE_RE.test(l));
  return line ? { url: line } : null;
}

function lastLine(s: string): string {
  return s.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '').pop() ?? '';
}

async function run(key: string, argv: string[], cwd: string): Promise<string> {
  const [file, ...args] = argv as [string, ...string[]];
  const r = await exec(file, args, { cwd, timeoutMs: TIMEOUT_MS });
  if (r.notFound) throw new DbError(`${key}: ${file}: command not found`);
  if (r.timedOut) throw new DbError(`${key}: ${file} did not finish within ${TIMEOUT_MS / 60_000} minutes`);
  if (!r.ok) {
    const why = lastLine(r.stderr) || lastLine(r.stdout);
    const status = r.exitCode !== null ? `exited with code ${r.exitCode}` : `was killed (${r.signal ?? 'signal'})`;
    throw new DbError(`${key}: ${file} ${status}${why ? `: ${why}` : ''}`);
  }
  return r.stdout;
}

export class CommandProvider implements DbProvider {
  readonly kind = 'command' as const;

  constructor(private readonly config: ConfigOf<'command'>) {}

  async create(agent: DbAgent, _note: Note): Promise<DbInfo> {
    const argv = commandArgv('database.create', this.config.create, agent.vars);
    const out = parseCreateOutput(await run('database.create', argv, agent.worktree));
    if (!out) {
      throw new DbError(
        `database.create: ${argv[0]} printed no database URL (expected JSON with a connection_uri, url or uri field, or a line like postgres://…)`,
      );
    }
    return { kind: 'command', name: out.name ?? `${agent.project}-${agent.agent}`, url: out.url };
  }

  async drop(agent: DbAgent, info: DbInfo | null): Promise<void> {
    if (!this.config.drop) return;
    const vars = info ? { ...agent.vars, 'db.name': info.name, 'db.url': info.url } : agent.vars;
    await run('database.drop', commandArgv('database.drop', this.config.drop, vars), agent.worktree);
  }

  async exists(_agent: DbAgent, info: DbInfo | null): Promise<boolean> {
    return info !== null;
  }
}
