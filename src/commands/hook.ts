// treemux hook [--kind K] [JSON]: what an agent client's event mechanism runs (installed by `up` in
// the worktree's local settings: Claude Code's hooks, Gemini CLI's hooks, Codex's notify program,
// OpenCode's plugin). It reads the event JSON (the last argument when given, as Codex's notify hands
// it, else stdin) and hands it to the kind (agents/kinds/hook.ts); no --kind is Claude Code, as up
// installed it before there were others. It prints nothing but a scope-guard denial (the client takes
// stdout as context) and always exits 0: a hook must never break its client.
import { handleHook } from '../agents/kinds/hook.js';
import { isKindName, type KindName } from '../agents/kinds/names.js';
import { readAgentEnv } from '../project/env.js';

async function readStdin(timeoutMs: number): Promise<string> {
  if (process.stdin.isTTY) return '';
  return new Promise((resolve) => {
    let data = '';
    const done = () => resolve(data);
    const timer = setTimeout(done, timeoutMs);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (c: string) => (data += c));
    process.stdin.on('end', () => {
      clearTimeout(timer);
      done();
    });
  });
}

/** The kind and the payload argument of `hook`'s arguments (null: not arguments `up` writes). */
export function hookArgs(argv: readonly string[]): { kind: KindName; payload: string | undefined } | null {
  let kind: KindName = 'claude';
  let i = 0;
  if (argv[0] === '--kind') {
    if (!isKindName(argv[1])) return null;
    kind = argv[1];
    i = 2;
  }
  const rest = argv.slice(i);
  if (rest.length > 1) return null;
  return { kind, payload: rest[0] };
}

export async function hook(argv: readonly string[] = process.argv.slice(3)): Promise<number> {
  try {
    const args = hookArgs(argv);
    if (!args) return 0;
    const input = args.payload ?? (await readStdin(3000));
    const stdout = await handleHook(args.kind, input, readAgentEnv());
    if (stdout) process.stdout.write(stdout);
  } catch {
    // never fail Claude: input that is not JSON, a state file it cannot write, are dropped
  }
  return 0;
}
