// Where commands write: results to stdout, progress and problems to stderr, one line each.
export interface Output {
  /** a result line (stdout) */
  print(line: string): void;
  /** progress (stderr) */
  info(line: string): void;
  /** a problem that does not stop the command (stderr) */
  warn(line: string): void;
}

export const consoleOutput: Output = {
  print: (line) => process.stdout.write(`${line}\n`),
  info: (line) => process.stderr.write(`${line}\n`),
  warn: (line) => process.stderr.write(`treemux: ${line}\n`),
};

/** Says nothing (a full-screen UI, a watcher in the background). */
export const SILENT: Output = { print: () => undefined, info: () => undefined, warn: () => undefined };

/** An error whose message is meant for the user as it is: printed as one line (its exit status: commands/exit.ts). */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n').find((l) => l.trim().length > 0)?.trim() ?? 'unknown error';
}
