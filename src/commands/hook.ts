// treemux hook: what Claude Code's hooks run (installed by `up` in .claude/settings.local.json). It
// reads the event JSON on stdin and hands it to the Claude kind (agents/kinds/claude/hook.ts). It
// prints nothing but a scope-guard denial (Claude takes stdout as context) and always exits 0: a hook
// must never break Claude.
import { handleHook } from '../agents/kinds/claude/hook.js';
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

export async function hook(): Promise<number> {
  try {
    const stdout = await handleHook(await readStdin(3000), readAgentEnv());
    if (stdout) process.stdout.write(stdout);
  } catch {
    // never fail Claude: input that is not JSON, a state file it cannot write, are dropped
  }
  return 0;
}
