// sqlite: one file inside each worktree, seeded from the main checkout with SQLite's own backup.
import { randomBytes } from 'node:crypto';
import { copyFile, lstat, mkdir, rename, rm, stat } from 'node:fs/promises';
import { ensureDirIn } from '../host/fs.js';
import path from 'node:path';
import { run } from '../host/exec.js';
import { expand } from '../layout/placeholders.js';
import { DbError, maskedNote, messageOf } from './errors.js';
import type { ConfigOf, DbAgent, DbInfo, DbProvider, Note } from './types.js';

const SIDE_FILES = ['-wal', '-shm'] as const;

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** The `.backup` argument: double-quoted, `\` and `"` escaped (the sqlite3 shell's quoting). */
export function sqliteQuote(p: string): string {
  return `"${p.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Where the agent's file lives: `path` expanded with the agent's placeholders, inside the worktree. */
export function sqliteTarget(
  config: ConfigOf<'sqlite'>,
  agent: Pick<DbAgent, 'worktree'> & { vars?: Record<string, string> },
): { name: string; abs: string } {
  let rel: string;
  try {
    rel = expand(config.path, agent.vars ?? {});
  } catch (err) {
    throw new DbError(`database.path: ${messageOf(err)}`);
  }
  const abs = path.resolve(agent.worktree, rel);
  const name = path.relative(agent.worktree, abs);
  if (name === '' || name.startsWith('..') || path.isAbsolute(name)) {
    throw new DbError(`database.path "${rel}" must name a file inside the agent's worktree`);
  }
  return { name: name.split(path.sep).join('/'), abs };
}

export class SqliteProvider implements DbProvider {
  readonly kind = 'sqlite' as const;

  /** `sqlite3` is the CLI used for consistent seed copies (a missing CLI falls back to plain file copies). */
  constructor(
    private readonly config: ConfigOf<'sqlite'>,
    private readonly sqlite3: string = 'sqlite3',
  ) {}

  async create(agent: DbAgent, note: Note): Promise<DbInfo> {
    const say = maskedNote(note);
    const { name, abs } = sqliteTarget(this.config, agent);
    const info: DbInfo = { kind: 'sqlite', name, url: `file:${abs}` };
    await ensureDirIn(agent.worktree, path.dirname(abs)).catch((err: unknown) => {
      throw new DbError(messageOf(err));
    });
    const there = await lstat(abs).catch(() => null);
    if (there?.isSymbolicLink()) throw new DbError(`refusing to use ${name}: it is a symbolic link (the agent's database must be its own file)`);
    if (there?.isFile()) return info; // reuse: the agent's data is its own
    if (!this.config.seed) return info; // the app creates the file itself
    const seed = path.resolve(agent.mainRoot, this.config.seed);
    if (!(await isFile(seed))) {
      say(`sqlite seed ${this.config.seed} not found in the main checkout; ${name} starts empty`);
      return info;
    }
    if (seed === abs) return info;
    await this.copySeed(seed, abs, say);
    say(`seeded ${name} from ${this.config.seed}`);
    return info;
  }

  /** Copy into a temporary file next to the target, then rename: never a half-copied database. */
  private async copySeed(seed: string, abs: string, say: Note): Promise<void> {
    const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.treemux-${randomBytes(4).toString('hex')}`);
    const cleanup = () => Promise.all(['', '-journal', ...SIDE_FILES].map((s) => rm(tmp + s, { force: true })));
    try {
      const r = await run(this.sqlite3, [seed], { input: `.bail on\n.backup ${sqliteQuote(tmp)}\n`, timeoutMs: 300_000 });
      if (r.notFound) {
        say(`sqlite3 not found: copied ${path.basename(seed)} and its -wal/-shm files as they are`);
        await copyFile(seed, tmp);
        for (const s of SIDE_FILES) if (await isFile(seed + s)) await copyFile(seed + s, tmp + s);
      } else if (!r.ok || r.stderr.trim() !== '') {
        const why = r.stderr.trim().split(/\r?\n/).pop() || r.message;
        throw new DbError(`could not copy sqlite seed ${seed}: ${why}`);
      }
      for (const s of SIDE_FILES) if (await isFile(tmp + s)) await rename(tmp + s, abs + s);
      await rename(tmp, abs);
    } catch (err) {
      await cleanup();
      if (err instanceof DbError) throw err;
      throw new DbError(`could not copy sqlite seed ${seed}: ${messageOf(err)}`);
    }
  }

  async drop(agent: DbAgent, info: DbInfo | null, opts?: { trashDir?: string }): Promise<void> {
    // The file lives in the worktree and goes with it: only save a copy when asked.
    if (!opts?.trashDir) return;
    const abs = info?.kind === 'sqlite' && info.url.startsWith('file:') ? info.url.slice(5) : sqliteTarget(this.config, agent).abs;
    if (!(await isFile(abs))) return;
    await mkdir(opts.trashDir, { recursive: true });
    const base = path.join(opts.trashDir, path.basename(abs));
    try {
      await copyFile(abs, base);
      for (const s of SIDE_FILES) if (await isFile(abs + s)) await copyFile(abs + s, base + s);
    } catch (err) {
      throw new DbError(`could not save ${abs} to ${opts.trashDir}: ${messageOf(err)}`);
    }
  }

  async exists(agent: DbAgent, info: DbInfo | null): Promise<boolean> {
    const abs = info?.kind === 'sqlite' && info.url.startsWith('file:') ? info.url.slice(5) : sqliteTarget(this.config, agent).abs;
    return isFile(abs);
  }
}
