// What every command needs: the repository, the layout, tmux, the state store and an output.
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { openRepo, type Repo } from '../git/index.js';
import { resolveLayout, type ResolvedLayout } from '../layout/resolve.js';
import { loadLayoutCached } from './layoutCache.js';
import { StateStore } from '../state/index.js';
import { Tmux } from '../tmux/index.js';
import { consoleOutput, UserError, type Output } from '../util/output.js';
import { treemuxLine } from '../util/invocation.js';

export interface GlobalOptions {
  layout?: string;
  socket?: string;
}

export interface Ctx {
  cwd: string;
  repo: Repo;
  /** absolute path of the layout file */
  layoutFile: string;
  layout: ResolvedLayout;
  tmux: Tmux;
  state: StateStore;
  out: Output;
}

export const DEFAULT_LAYOUT = 'treemux.yaml';

export function socketFrom(opts: GlobalOptions): string | undefined {
  return opts.socket || process.env.TREEMUX_SOCKET || undefined;
}

/** The layout file: --layout (relative to the current directory), else treemux.yaml at the repo root. */
export function layoutPath(repo: Repo, cwd: string, opts: GlobalOptions): string {
  return opts.layout ? resolve(cwd, opts.layout) : resolve(repo.root, DEFAULT_LAYOUT);
}

/** A path as the user should see it in messages: relative to where they are when it is below there, else absolute. */
export function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** For commands a person waits on: say who holds the project's lock when they must wait for it. */
export function waitNotice(ctx: Ctx): { onWait: (holder: string) => void } {
  return { onWait: (holder) => ctx.out.info(`waiting for ${holder} to finish…`) };
}

export async function openContext(opts: GlobalOptions, out: Output = consoleOutput, cwd = process.cwd()): Promise<Ctx> {
  const repo = await openRepo(cwd);
  const layoutFile = layoutPath(repo, cwd, opts);
  if (!existsSync(layoutFile)) {
    throw new UserError(`${shown(layoutFile, cwd)}: not found (run \`${treemuxLine(['init'])}\` to write one)`);
  }
  const raw = await loadLayoutCached(repo.commonDir, shown(layoutFile, cwd), layoutFile);
  const base = raw.base ?? (await repo.currentBranch()) ?? 'main';
  const layout = resolveLayout(raw, { repoRoot: repo.root, repoName: repo.name, defaultBase: base }, shown(layoutFile, cwd));
  return {
    cwd,
    repo,
    layoutFile,
    layout,
    tmux: new Tmux({ socket: socketFrom(opts) }),
    state: new StateStore(repo.commonDir),
    out,
  };
}
