// treemux hook: what Claude Code's hooks run (installed by `up` in .claude/settings.local.json).
// Reads the event JSON on stdin and appends it to <common>/treemux/events/<agent>.jsonl. It prints
// nothing (Claude would take stdout as context) and always exits 0: a hook must never break Claude.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StateStore } from '../state/index.js';
import type { HookEvent } from '../agents/observe.js';

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
    const agent = process.env.TREEMUX_AGENT;
    const dir = process.env.TREEMUX_STATE_DIR;
    const input = JSON.parse((await readStdin(3000)) || '{}') as Record<string, unknown>;
    if (!agent || !dir || !/^[a-z0-9][a-z0-9-]*$/.test(agent)) return 0;
    const event: HookEvent = {
      at: Date.now(),
      event: String(input.hook_event_name ?? 'unknown'),
      sessionId: typeof input.session_id === 'string' ? input.session_id : undefined,
      transcriptPath: typeof input.transcript_path === 'string' ? input.transcript_path : undefined,
      message: typeof input.message === 'string' ? input.message : undefined,
      tool: typeof input.tool_name === 'string' ? input.tool_name : undefined,
    };
    const file = join(dir, 'events', `${agent}.jsonl`);
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, `${JSON.stringify(event)}\n`);
    if (event.event === 'SessionStart' && event.sessionId) {
      const sessionId = event.sessionId;
      await new StateStore(dirname(dir)).update((s) => {
        const record = s.agents[agent];
        if (record) record.claudeSession = sessionId;
      });
    }
  } catch {
    // never fail Claude
  }
  return 0;
}
