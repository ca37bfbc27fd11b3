// Command-line entry: parses arguments with commander and hands each command to its own file.
// Every failure becomes one line on stderr and a non-zero exit status (commands/exit.ts decides which).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { oneLine } from './util/output.js';
import { rememberInvocation } from './util/invocation.js';
import { EXIT, exitCodeFor, UsageError } from './commands/exit.js';
import type { CommandSpec } from './commands/spec.js';
import { spec as add } from './commands/add.js';
import { spec as conflicts } from './commands/conflicts.js';
import { spec as dash } from './commands/dash.js';
import { spec as demo } from './commands/demo.js';
import { spec as diff } from './commands/diff.js';
import { spec as doctor } from './commands/doctor.js';
import { spec as down } from './commands/down.js';
import { spec as init } from './commands/init.js';
import { spec as jump } from './commands/jump.js';
import { spec as logs } from './commands/logs.js';
import { spec as ls } from './commands/ls.js';
import { spec as merge } from './commands/merge.js';
import { spec as report } from './commands/report.js';
import { spec as rm } from './commands/rm.js';
import { spec as run } from './commands/run.js';
import { spec as save } from './commands/save.js';
import { spec as send } from './commands/send.js';
import { spec as sidebar } from './commands/sidebar.js';
import { spec as up } from './commands/up.js';
import { spec as wait } from './commands/wait.js';

const pkg = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8')) as {
  version: string;
};

/** `treemux hook`: bin/treemux.js runs hook.ts without the CLI (Claude Code waits for it), and
 * hook.ts exports no spec yet, so its spec is here. It always exits 0. */
const hook: CommandSpec = {
  name: 'hook',
  description: 'record an agent client’s event (run by the client, not by you)',
  hidden: true,
  run: async () => (await import('./commands/hook.js')).hook(),
};

/** Every command, in the order `treemux --help` lists them. Loading them is quick: a command file
 * loads what it needs only when it runs (see commands/spec.ts). */
const COMMANDS: readonly CommandSpec[] = [
  init, demo, up, add, ls, dash, sidebar, logs, hook, jump, send, diff, conflicts, merge, save, rm, down, wait, report, run, doctor,
];

function build(setCode: (code: number) => void): Command {
  const program = new Command('treemux')
    .description('Run several coding agents in parallel on one repository, each in its own worktree and tmux window.')
    .version(pkg.version, '--version')
    .option('--layout <file>', 'layout file (default: treemux.yaml at the repository root)')
    .option('--socket <name>', 'tmux socket name (tmux -L; also $TREEMUX_SOCKET)')
    .option('-C <dir>', 'run as if treemux was started in DIR')
    .showHelpAfterError(false)
    .exitOverride()
    // commander's own error text is dropped: main prints every error as one line of its own
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => undefined })
    .hook('preSubcommand', (command) => {
      const opts = command.opts<{ C?: string; socket?: string; layout?: string }>();
      if (opts.C) changeDirectory(opts.C);
      rememberInvocation({ socket: opts.socket, layout: opts.layout }); // --layout is relative to -C's folder

    });
  for (const spec of COMMANDS) register(program, spec, setCode);
  return program;
}

/** One command from its spec: commander parses, the spec's run does the work. */
function register(program: Command, spec: CommandSpec, setCode: (code: number) => void): void {
  const command = program.command(spec.name, { hidden: spec.hidden }).description(spec.description);
  for (const a of spec.arguments ?? []) command.argument(a.name, a.description);
  for (const o of spec.options ?? []) {
    if (o.required) command.requiredOption(o.flags, o.description);
    else command.option(o.flags, o.description);
  }
  if (spec.helpAfter) command.addHelpText('after', spec.helpAfter);
  if (spec.dashedArguments) command.allowUnknownOption();
  command.action(async function (this: Command) {
    setCode(await spec.run(this.args, withDefaults(spec, this.optsWithGlobals())));
  });
}

/** The spec's defaults for options not given, applied here so that --help shows only the descriptions. */
function withDefaults(spec: CommandSpec, opts: Record<string, unknown>): Record<string, unknown> {
  const filled = { ...opts };
  for (const o of spec.options ?? []) {
    const key = new Option(o.flags).attributeName();
    if (o.default !== undefined && filled[key] === undefined) filled[key] = o.default;
  }
  return filled;
}

/** `-C DIR`: like git and make, everything then happens as if started there. */
function changeDirectory(dir: string): void {
  try {
    process.chdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`-C ${dir}: ${code === 'ENOENT' ? 'no such directory' : code === 'ENOTDIR' ? 'not a directory' : oneLine(err)}`);
  }
}

/** Every error prints as one line: the modules' errors are written for the user; commander's are
 * made one line, without their "error:". */
export function describeError(err: unknown): string {
  if (err instanceof CommanderError) return err.message.replace(/^error:\s*/, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  return oneLine(err);
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = build((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    const status = exitCodeFor(err);
    if (status !== EXIT.ok) process.stderr.write(`treemux: ${describeError(err)}\n`); // --help and --version end as errors too
    return status;
  }
}
