// How the user runs treemux, so that every command line treemux prints for them works verbatim in
// their own shell: `treemux` when their PATH has this very treemux, else the launcher by absolute
// path. npm puts `node_modules/.bin` on the PATH of what it runs (npx, npm run), never of the user's
// shell, so a `treemux` found only there does not count.
import { shellLine } from './shell.js';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The launcher of this installation, by absolute path. */
export const LAUNCHER = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'treemux.js');

/** The global options the user gave this run that a printed command needs too (set once by cli.ts). */
const given: { socket?: string; layout?: string } = {};

/** `layout`: as given; it is kept as an absolute path (the printed command may run from elsewhere). */
export function rememberInvocation(opts: { socket?: string; layout?: string }): void {
  given.socket = opts.socket || undefined;
  given.layout = opts.layout ? resolve(opts.layout) : undefined;
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

let program: string[] | undefined;

/** `['treemux']` when the user's PATH runs this treemux; else node and the launcher, absolute. */
export function treemuxProgram(env: NodeJS.ProcessEnv = process.env): string[] {
  if (program && env === process.env) return program;
  const ours = realpathOr(LAUNCHER);
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !dir.endsWith(`${sep}node_modules${sep}.bin`))
    .map((dir) => join(dir, 'treemux'))
    .find((file) => existsSync(file));
  const found = onPath !== undefined && realpathOr(onPath) === ours ? ['treemux'] : [process.execPath, LAUNCHER];
  if (env === process.env) program = found;
  return found;
}

export { shellLine, shellWord } from './shell.js';

/** The installed treemux launcher, by absolute path (a bare `treemux` may not be on PATH). */
export function treemuxArgv(): string[] {
  return [process.execPath, LAUNCHER];
}

/**
 * A treemux command line for the user to type: `treemux up auth`, with `--socket NAME` and `--layout
 * FILE` when they gave them on the command line (one from $TREEMUX_SOCKET is in their environment
 * already) and `-C DIR` when given (to run it from anywhere).
 */
export function treemuxLine(args: readonly string[], opts: { dir?: string } = {}): string {
  const globals = [
    ...(opts.dir ? ['-C', opts.dir] : []),
    ...(given.socket ? ['--socket', given.socket] : []),
    ...(given.layout ? ['--layout', given.layout] : []),
  ];
  return shellLine([...treemuxProgram(), ...globals, ...args]);
}
