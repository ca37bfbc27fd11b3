// Exit statuses, in one place. A command resolves to the status of what it did (EXIT.*); an error it
// throws gets its status here, from the error's type (exitCodeFor), and nowhere else.
import { CommanderError } from 'commander';
import { UserError } from '../util/output.js';

export const EXIT = {
  ok: 0,
  /** not everything went well (an agent failed, doctor found a problem), or an error */
  failed: 1,
  /** called wrong: commander's own errors (an unknown option, a missing argument) and UsageError */
  usage: 2,
  /** `wait --timeout` ran out, as timeout(1) says it */
  timeout: 124,
  /** stopped by SIGINT or SIGTERM while waiting (128 + SIGINT, as a shell says it) */
  interrupted: 130,
} as const;

/** The command was called wrong (an option's value, an agent that does not exist): exit status 2,
 * like commander's own usage errors. Its message is for the user, as UserError's. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The exit status for an error that ended a command. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    const done = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0;
    return done ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof UsageError) return EXIT.usage;
  return EXIT.failed;
}
