// treemux hook: what Claude Code's hooks run (installed by `up` in .claude/settings.local.json).
// Reads the event JSON on stdin and appends it to <common>/treemux/events/<agent>.jsonl. It prints
// nothing (Claude would take stdout as context) and always exits 0: a hook must never break Claude.
import { AGENT_NAME_RE } from '../layout/schema.js';
import { existsSync } from 'node:fs';
import { appendFileIn } from '../host/fs.js';
import { dirname, isAbsolute, join } from 'node:path';
import { judgeWrite, projectCheckouts } from '../agents/review/scope.js';
import { StateStore } from '../state/index.js';
import type { HookEvent } from '../agents/status/rules.js';
import { isSessionId } from '../agents/kinds/claude/ids.js';

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

/** A short line of text to show, with control characters (a terminal's escapes) removed; undefined otherwise. */
function plain(value: unknown, max: number): string | undefined {
  return typeof value === 'string' ? value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, max) : undefined;
}

const WRITING_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

/**
 * The scope guard: a write outside the agent's scope (or inside its avoid list), or into another
 * checkout of the project, is denied or noted; judged on the real path.
 */
function scopeDecision(input: Record<string, unknown>, stateDir: string): { deny: boolean; reason: string } | null {
  const rules = process.env.TREEMUX_SCOPE;
  const worktree = process.env.TREEMUX_WORKTREE;
  if (!worktree || input.hook_event_name !== 'PreToolUse' || !WRITING_TOOLS.has(String(input.tool_name))) return null;
  const { scope = [], avoid = [], mode = 'deny' } = (rules ? JSON.parse(rules) : {}) as { scope?: string[]; avoid?: string[]; mode?: 'warn' | 'deny' };
  const toolInput = (input.tool_input ?? {}) as Record<string, unknown>;
  const target = toolInput.file_path ?? toolInput.notebook_path;
  if (typeof target !== 'string' || !target) return null;
  const verdict = judgeWrite({
    worktree,
    rules: { scope, avoid },
    cwd: typeof input.cwd === 'string' && isAbsolute(input.cwd) ? input.cwd : worktree,
    target,
    checkouts: projectCheckouts(dirname(stateDir)),
  });
  if (!verdict) return null;
  return {
    deny: mode !== 'warn',
    reason: `treemux: ${verdict.file} ${mode === 'warn' ? 'is' : 'may not be changed:'} ${verdict.why}. Change only files in your scope; if this file must change, tell the user.`,
  };
}

export async function hook(): Promise<number> {
  try {
    const agent = process.env.TREEMUX_AGENT;
    const dir = process.env.TREEMUX_STATE_DIR;
    const input = JSON.parse((await readStdin(3000)) || '{}') as Record<string, unknown>;
    if (!agent || !dir || !AGENT_NAME_RE.test(agent)) return 0;
    // every value is checked: the input comes from a program treemux does not control
    const event: HookEvent = {
      at: Date.now(),
      event: plain(input.hook_event_name, 40) ?? 'unknown',
      sessionId: isSessionId(input.session_id) ? input.session_id : undefined,
      transcriptPath: typeof input.transcript_path === 'string' && isAbsolute(input.transcript_path) && input.transcript_path.endsWith('.jsonl') ? input.transcript_path : undefined,
      message: plain(input.message, 500),
      tool: plain(input.tool_name, 80),
    };
    const decision = scopeDecision(input, dir);
    if (decision) {
      event.message = decision.reason;
      if (decision.deny) {
        // Claude Code reads this from stdout: the write is refused before the file is touched
        process.stdout.write(
          JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: decision.reason } }),
        );
      }
    }
    // an agent removed meanwhile (its window killed, a last SessionEnd on its way): nothing to record
    const worktree = process.env.TREEMUX_WORKTREE;
    if (worktree && !existsSync(worktree)) return 0;
    const file = join(dir, 'events', `${agent}.jsonl`);
    await appendFileIn(dir, file, `${JSON.stringify(event)}\n`, { mode: 0o600 });
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
