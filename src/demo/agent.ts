// The stand-in agent that `treemux demo` uses when Claude Code is not installed: it shows its task,
// pretends to work for a moment, then waits at a prompt and answers each line typed into it.
import { createInterface } from 'node:readline';
import { basename } from 'node:path';

const task = process.argv.slice(2).join(' ') || '(no task)';
const steps = ['Reading the code', 'Planning the change', 'Editing files', 'Running the tests'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function work(what: string): Promise<void> {
  process.stdout.write(`\n● ${what}\n`);
  for (const step of steps) {
    process.stdout.write(`  ⎿ ${step}…\n`);
    await sleep(700 + Math.random() * 900);
  }
  process.stdout.write('  Done. (This is treemux\'s stand-in agent; install Claude Code for the real thing.)\n');
}

async function main(): Promise<void> {
  process.stdout.write(`treemux demo agent in ${basename(process.cwd())}\ntask: ${task}\n`);
  await work(task);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
  rl.prompt();
  for await (const line of rl) {
    if (line.trim() === 'exit') break;
    if (line.trim()) await work(line.trim());
    rl.prompt();
  }
  rl.close();
}

void main();
