// Command-line entry: parses arguments with commander and hands each command to its own file.
// Every failure becomes one line on stderr and a non-zero exit status.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { oneLine, UserError } from './util/output.js';
import { rememberInvocation } from './util/invocation.js';
import { templatesHelp } from './layout/templates.js';

const pkg = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8')) as {
  version: string;
};

type Run = (cmd: Command) => Promise<number>;

/** Commands load only what they use (the databases and the UI are heavy): a quick start for each. */
const cmd = {
  add: () => import('./commands/add.js'),
  dash: () => import('./commands/dash.js'),
  demo: () => import('./commands/demo.js'),
  doctor: () => import('./commands/doctor.js'),
  down: () => import('./commands/down.js'),
  hook: () => import('./commands/hook.js'),
  init: () => import('./commands/init.js'),
  jump: () => import('./commands/jump.js'),
  logs: () => import('./commands/logs.js'),
  ls: () => import('./commands/ls.js'),
  rm: () => import('./commands/rm.js'),
  send: () => import('./commands/send.js'),
  sidebar: () => import('./commands/sidebar.js'),
  up: () => import('./commands/up.js'),
  diff: () => import('./commands/diff.js'),
  conflicts: () => import('./commands/conflicts.js'),
  merge: () => import('./commands/merge.js'),
  save: () => import('./commands/save.js'),
  run: () => import('./commands/run.js'),
  wait: () => import('./commands/wait.js'),
  report: () => import('./commands/report.js'),
};

function build(setCode: (code: number) => void): Command {
  const program = new Command('treemux')
    .description('Run several coding agents in parallel on one repository, each in its own worktree and tmux window.')
    .version(pkg.version, '--version')
    .option('--layout <file>', 'layout file (default: treemux.yaml at the repository root)')
    .option('--socket <name>', 'tmux socket name (tmux -L; also $TREEMUX_SOCKET)')
    .option('-C <dir>', 'run as if treemux was started in DIR')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => undefined })
    .hook('preSubcommand', (command) => {
      const opts = command.opts<{ C?: string; socket?: string; layout?: string }>();
      if (opts.C) changeDirectory(opts.C);
      rememberInvocation({ socket: opts.socket, layout: opts.layout }); // --layout is relative to -C's folder

    });

  const action = (run: Run) =>
    async function (this: Command) {
      setCode(await run(this));
    };

  program
    .command('init')
    .description('write a treemux.yaml for this repository')
    .option('--template <name>', 'one of the templates listed below (default: default)')
    .option('--force', 'overwrite an existing layout file')
    .addHelpText('after', () => templatesHelp())
    .action(action(async (c) => (await cmd.init()).init(c.optsWithGlobals())));

  program
    .command('demo')
    .description('make a throwaway repository with a layout and a stand-in agent, and bring it up')
    .option('--agent <kind>', 'stand-in (default: pretends, in seconds, for free) or claude (Claude Code, for real)')
    .option('--no-attach', 'do not attach to the session')
    .action(action(async (c) => (await cmd.demo()).demo(c.optsWithGlobals())));

  program
    .command('up')
    .description('create whatever is missing and start the agents (safe to run again)')
    .argument('[agents...]', 'only these agents')
    .option('--no-attach', 'do not attach to the session')
    .action(action(async (c) => (await cmd.up()).up(c.args, c.optsWithGlobals())));

  program
    .command('add')
    .description('add one agent now (a worktree, branch and window like the others)')
    .argument('<name>')
    .option('--task <text>', 'its task (its first prompt)')
    .option('--base <ref>', 'the branch to start from (default: the layout base)')
    .option('--save', 'also write it into the layout file')
    .action(action(async (c) => (await cmd.add()).add(c.args[0]!, c.optsWithGlobals())));

  program
    .command('ls')
    .description('every agent with branch, worktree, status and last line')
    .option('--json', 'print one JSON object')
    .action(action(async (c) => (await cmd.ls()).ls(c.optsWithGlobals())));

  program
    .command('dash')
    .description('the dashboard')
    .action(action(async (c) => (await cmd.dash()).dash(c.optsWithGlobals())));

  program
    .command('sidebar')
    .description('the compact view that runs in each agent window')
    .action(action(async (c) => (await cmd.sidebar()).sidebar(c.optsWithGlobals())));

  program
    .command('logs')
    .description("the agent's log (its window's output)")
    .argument('<agent>')
    .option('-f, --follow', 'keep printing what it writes')
    .option('-n, --lines <n>', 'how many lines (default 50)')
    .action(action(async (c) => (await cmd.logs()).logs(c.args[0]!, c.optsWithGlobals())));

  program
    .command('hook', { hidden: true })
    .description('record a Claude Code hook event (run by Claude Code, not by you)')
    .action(action(async () => (await cmd.hook()).hook()));

  program
    .command('jump')
    .description("switch to the agent's window (attach when outside tmux); with no agent, to the dashboard")
    .argument('[agent]', 'an agent (default: the dashboard; `dash` too, unless an agent has that name)')
    .action(action(async (c) => (await cmd.jump()).jump(c.args[0], c.optsWithGlobals())));

  program
    .command('send')
    .description('type TEXT into the agent (or all agents) and press Enter')
    .argument('[agent-and-text...]', 'AGENT TEXT, or TEXT with --all')
    .option('--all', 'send to every running agent')
    .allowUnknownOption() // text that starts with a dash ("- also fix x") is text
    .action(action(async (c) => (await cmd.send()).send(c.args, c.optsWithGlobals())));

  program
    .command('diff')
    .description('files each agent changed against its base, scope violations marked')
    .argument('[agents...]')
    .option('--json', 'print one JSON object')
    .action(action(async (c) => (await cmd.diff()).diff(c.args, c.optsWithGlobals())));

  program
    .command('conflicts')
    .description('which agents touch the same files, and which pairs would conflict on merge')
    .option('--json', 'print one JSON object')
    .action(action(async (c) => (await cmd.conflicts()).conflicts(c.optsWithGlobals())));

  program
    .command('merge')
    .description('merge agents into base in dependency order, testing after each; stop at the first failure')
    .argument('[agents...]', 'default: every agent with commits ahead of base')
    .option('--dry-run', 'do everything but move base')
    .option('--cleanup', 'then remove the merged agents like rm')
    .action(action(async (c) => (await cmd.merge()).merge(c.args, c.optsWithGlobals())));

  program
    .command('save')
    .description('write the agents that exist now (added ones too) into the layout file, keeping its comments')
    .action(action(async (c) => (await cmd.save()).save(c.optsWithGlobals())));

  program
    .command('rm')
    .description('stop agents and remove their windows and worktrees; keep unmerged branches')
    .argument('<agents...>')
    .option('--force', 'remove even with uncommitted or unmerged work (saved to the trash first)')
    .action(action(async (c) => (await cmd.rm()).rm(c.args, c.optsWithGlobals())));

  program
    .command('down')
    .description('rm every agent, then close the session')
    .option('--force', 'remove even with uncommitted or unmerged work (saved to the trash first)')
    .action(action(async (c) => (await cmd.down()).down(c.optsWithGlobals())));

  program
    .command('wait')
    .description('block until the agents have finished; exit 0 when all did well, 1 when one failed or waits for you, 124 on timeout')
    .argument('[agents...]', 'default: every agent that exists or is queued')
    .option('--timeout <seconds>', 'give up after this long (exit 124)')
    .action(action(async (c) => (await cmd.wait()).wait(c.args, c.optsWithGlobals())));

  program
    .command('report')
    .description('per agent: status, outcome, duration, cost, turns, commits, files, scope violations, conflicts; totals')
    .option('--json', 'print one JSON object')
    .option('--markdown', 'print Markdown (for a pull request)')
    .action(action(async (c) => (await cmd.report()).report(c.optsWithGlobals())));

  program
    .command('run', { hidden: true })
    .description("run a headless agent's program and record how it went (what runs in its window)")
    .requiredOption('--agent <name>')
    .requiredOption('--kind <kind>')
    .argument('<program...>')
    .action(action(async (c) => (await cmd.run()).run(c.args, c.optsWithGlobals())));

  program
    .command('doctor')
    .description('check tmux, git, the layout and the agent commands; say what to fix')
    .action(action(async (c) => (await cmd.doctor()).doctor(c.optsWithGlobals())));

  return program;
}

/** `-C DIR`: like git and make, everything then happens as if started there. */
function changeDirectory(dir: string): void {
  try {
    process.chdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`-C ${dir}: ${code === 'ENOENT' ? 'no such directory' : code === 'ENOTDIR' ? 'not a directory' : oneLine(err)}`, 2);
  }
}

/** Every error prints as one line: the modules' errors are written for the user. */
export function describeError(err: unknown): string {
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
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
      const message = err.message.replace(/^error:\s*/, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
      process.stderr.write(`treemux: ${message}\n`);
      return 2;
    }
    process.stderr.write(`treemux: ${describeError(err)}\n`);
    return err instanceof UserError ? err.exitCode : 1;
  }
}
