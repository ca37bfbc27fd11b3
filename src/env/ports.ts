// The machine-wide port registry: which ports treemux handed to which agent of which project, in
// $XDG_STATE_HOME/treemux/ports.json (default ~/.local/state/treemux/). Every change happens under a
// file lock and is written atomically (temp file + rename), so two `treemux up` in two repositories
// at the same moment never hand out the same port. A new port must also be free right now (bound on
// 127.0.0.1 and ::1), so a dev server or a database that already holds it is skipped.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { ensureDirIn, writeFileIn } from '../host/fs.js';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { lock } from '../host/lock.js';

export interface PortEntry {
  port: number;
  /** the repository's absolute git common dir: the project's identity */
  project: string;
  projectName: string;
  agent: string;
  /** port name, e.g. web */
  name: string;
  worktree: string;
  /** ISO time the port was handed out */
  at: string;
}

export class PortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortError';
  }
}

const MAX_PORT = 65535;

/** $XDG_STATE_HOME/treemux, or ~/.local/state/treemux (HOME taken from `env`). */
export function registryDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  // the XDG spec: a relative path is invalid and ignored
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'treemux');
  return path.join(env.HOME || os.homedir(), '.local', 'state', 'treemux');
}

interface RegistryFile {
  version: 1;
  ports: PortEntry[];
}

export interface AllocateRequest {
  project: string;
  projectName: string;
  agent: string;
  worktree: string;
  /** port name -> first candidate */
  ports: Record<string, number>;
}

export class PortRegistry {
  readonly dir: string;
  readonly file: string;

  constructor(dir: string = registryDir()) {
    this.dir = dir;
    this.file = path.join(dir, 'ports.json');
  }

  /**
   * Ports for one agent: name -> number. The agent keeps the ports it already has (stable across
   * runs; not bind-tested, its own dev server may hold them). A new one starts at the requested
   * number and walks up, skipping ports in the registry (any project, any agent) and ports in use
   * right now. The agent's entries become exactly the requested names. Entries whose project or
   * worktree no longer exists are reclaimed on the way.
   */
  async allocate(req: AllocateRequest): Promise<Record<string, number>> {
    const wanted = Object.entries(req.ports);
    for (const [name, start] of wanted) {
      if (!isPortNumber(start)) throw new PortError(`port ${name}: ${String(start)} is not a port number (1 to ${MAX_PORT})`);
    }
    const isMine = (e: PortEntry): boolean => e.project === req.project && e.agent === req.agent;

    return this.update(async (entries) => {
      // reclaim the dead: a deleted repository, a worktree removed by hand
      const alive = entries.filter((e) => !isMine(e) && existsSync(e.project) && existsSync(e.worktree));
      const mine = entries.filter(isMine);
      const held = new Set(alive.map((e) => e.port));

      const got = new Map<string, number>();
      const taken = new Set<number>();
      const kept = new Map<string, PortEntry>();
      for (const [name, start] of wanted) {
        const had = mine.find((e) => e.name === name);
        // kept unless another entry claims it (a damaged file) or the layout now starts above it
        if (had && had.port >= start && !held.has(had.port) && !taken.has(had.port)) {
          got.set(name, had.port);
          taken.add(had.port);
          kept.set(name, had);
        }
      }
      for (const [name, start] of wanted) {
        if (got.has(name)) continue;
        let port = start;
        while (port <= MAX_PORT && (held.has(port) || taken.has(port) || !(await isPortFree(port)))) port++;
        if (port > MAX_PORT) throw new PortError(`no free port for ${name} from ${start} to ${MAX_PORT}`);
        got.set(name, port);
        taken.add(port);
      }

      const at = new Date().toISOString();
      const result: Record<string, number> = {};
      const fresh: PortEntry[] = [];
      for (const [name] of wanted) {
        const port = got.get(name)!;
        result[name] = port;
        fresh.push({
          port,
          project: req.project,
          projectName: req.projectName,
          agent: req.agent,
          name,
          worktree: req.worktree,
          at: kept.get(name)?.at ?? at,
        });
      }
      return { entries: [...alive, ...fresh], value: result };
    });
  }

  /** Drop the agent's entries (all names). */
  async release(project: string, agent: string): Promise<void> {
    if (!existsSync(this.file)) return;
    await this.update(async (entries) => ({
      entries: entries.filter((e) => !(e.project === project && e.agent === agent)),
      value: undefined,
    }));
  }

  /** Every entry, by port. */
  async list(): Promise<PortEntry[]> {
    return (await this.read()).sort((a, b) => a.port - b.port);
  }

  private async read(): Promise<PortEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    // a damaged file counts as empty: the worst outcome is a port handed out twice, and the bind
    // test still skips any port a running server holds
    try {
      const parsed = JSON.parse(text) as Partial<RegistryFile> | null;
      return Array.isArray(parsed?.ports) ? parsed.ports.filter(isEntry) : [];
    } catch {
      return [];
    }
  }

  /** Read, change and write the registry under its lock. */
  private async update<T>(change: (entries: PortEntry[]) => Promise<{ entries: PortEntry[]; value: T }>): Promise<T> {
    await mkdir(path.dirname(this.dir), { recursive: true }); // $XDG_STATE_HOME: the user's own
    await ensureDirIn(path.dirname(this.dir), this.dir); // treemux's folder in it: never a link
    let compromised: Error | undefined;
    let release: () => Promise<void>;
    try {
      release = await lock(this.file, {
        staleMs: 20_000, // the lock is ports.json.lock
        retries: 80,
        onCompromised: (err) => {
          compromised = err;
        },
      });
    } catch (err) {
      throw new PortError(
        `port registry ${this.file} is busy (${(err as Error).message}); retry, or remove ${this.file}.lock if no treemux is running`,
      );
    }
    try {
      const { entries, value } = await change(await this.read());
      if (compromised) throw new PortError(`port registry lock was lost (${compromised.message}); retry`);
      const file: RegistryFile = { version: 1, ports: entries.sort((a, b) => a.port - b.port) };
      await writeAtomic(this.file, `${JSON.stringify(file, null, 2)}\n`);
      return value;
    } finally {
      await release().catch(() => undefined);
    }
  }
}

async function writeAtomic(file: string, content: string): Promise<void> {
  await writeFileIn(path.dirname(file), file, content);
}

function isPortNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_PORT;
}

function isEntry(e: unknown): e is PortEntry {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return (
    isPortNumber(r.port) &&
    typeof r.project === 'string' &&
    typeof r.agent === 'string' &&
    typeof r.name === 'string' &&
    typeof r.worktree === 'string' &&
    typeof r.projectName === 'string' &&
    typeof r.at === 'string'
  );
}

type BindResult = 'free' | 'busy' | 'no-address';

function tryBind(host: string, port: number): Promise<BindResult> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT') resolve('no-address');
      else resolve('busy'); // EADDRINUSE, EACCES (privileged port), anything else: not for us
    });
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => resolve('free'));
    });
  });
}

/** Whether nothing listens on the port right now: it binds on 127.0.0.1 and on ::1 (when this machine has IPv6). */
export async function isPortFree(port: number): Promise<boolean> {
  if (!isPortNumber(port)) return false;
  if ((await tryBind('127.0.0.1', port)) !== 'free') return false;
  return (await tryBind('::1', port)) !== 'busy';
}
