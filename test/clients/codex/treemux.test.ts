// treemux driving the real Codex CLI (pinned, see test/helpers/codex.ts) offline: `up`, `ls --json`
// statuses and last lines, `send`, the window coming back with its thread, a headless run, `send` to
// continue it. It runs once the Codex kind is wired in (KIND_NAMES has 'codex'; AgentKind has
// interactiveArgs and transcriptLastLine; `treemux hook --kind codex` reaches the kind's handler: see
// docs/agents-codex.md) and only with TREEMUX_CLIENT_TESTS=1. It passed with that wiring made by hand
// (not committed here).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKindName } from '../../../src/agents/kinds/names.js';
import { codexWorldEachTest } from '../../helpers/codex.js';
import { type FakeResponses, type Reply } from '../../helpers/fake-openai-responses.js';
import { type World } from '../../helpers/world.js';

const enabled = process.env.TREEMUX_CLIENT_TESTS === '1' && isKindName('codex');
const tick = (ms = 100) => new Promise((r) => setTimeout(r, ms));
const escalated = (cmd: string, why: string): Reply => ({ call: { args: { cmd, sandbox_permissions: 'require_escalated', justification: why } } });

interface LsAgent {
  name: string;
  status: string;
  lastLine: string;
}

describe.skipIf(!enabled)('treemux driving the real Codex CLI', () => {
  let codex: string;
  let w: World;
  let api: FakeResponses;
  // the agent's worktree is ../app-auth: trusted in its CODEX_HOME
  codexWorldEachTest((c) => ({ codex, w, api } = c), { projectDirs: (world) => [join(world.dir, 'app-auth')] });

  const wt = () => join(w.dir, 'app-auth');
  const common = () => join(w.repo, '.git', 'treemux');

  async function agent(): Promise<LsAgent | undefined> {
    const r = await w.tm(['ls', '--json']);
    if (r.code !== 0) return undefined;
    return (JSON.parse(r.stdout) as { agents: LsAgent[] }).agents.find((a) => a.name === 'auth');
  }

  /** Polls `ls --json` until the agent's status is `want`; each status seen on the way is added to `seen`. */
  async function untilStatus(want: string, seen: string[], timeoutMs = 30_000): Promise<LsAgent> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const a = await agent();
      if (a && seen[seen.length - 1] !== a.status) seen.push(a.status);
      if (a?.status === want) return a;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${want}; seen ${seen.join(' → ')}; ${JSON.stringify(a)}\n${w.screen('app:auth')}\n${api.traffic()}`);
      await tick();
    }
  }

  const layout = (mode: 'interactive' | 'headless') =>
    ['version: 1', 'project: app', 'agent:', `  command: ${JSON.stringify(codex)}`, '  kind: codex', `  mode: ${mode}`, 'agents:', '  - { name: auth, task: "Say hello", scope: ["src/auth/**"] }', ''].join('\n');

  it('interactive: busy then idle with the answer as last line, waiting on the question, busy then idle once approved, the same thread after tmux is gone', { timeout: 120_000 }, async () => {
    api.script([
      { text: 'Hello from the fake API.', delayMs: 1500 },
      { ...escalated('touch approved.txt', 'Create approved.txt'), delayMs: 2000 },
      { text: 'All done: approved.txt exists.', delayMs: 2500 },
      { text: 'Still here.' },
    ]);
    w.write('treemux.yaml', layout('interactive'));
    const up = await w.tm(['up', '--no-attach']);
    expect(up.code, up.stderr).toBe(0);
    const first: string[] = [];
    const idle = await untilStatus('idle', first);
    expect(first).not.toContain('waiting');
    expect(idle.lastLine).toBe('Hello from the fake API.');
    // the instructions treemux wrote reached the model (the SessionStart hook's context)
    expect(JSON.stringify(api.mainRequests()[0]!.body)).toContain('Instructions for agent');

    const sent = await w.tm(['send', 'auth', 'Create approved.txt']);
    expect(sent.code, sent.stderr).toBe(0);
    const asking: string[] = [];
    await untilStatus('waiting', asking);
    // (the first looks may come before the client took the line: idle then, never after)
    expect(asking.slice(asking.findIndex((s) => s !== 'idle'))).not.toContain('idle');
    w.tmux(['send-keys', '-t', 'app:auth', 'y']);
    const after: string[] = [];
    const done = await untilStatus('idle', after);
    expect(after).toContain('busy');
    expect(done.lastLine).toBe('All done: approved.txt exists.');
    expect(existsSync(join(wt(), 'approved.txt'))).toBe(true);
    const events = readFileSync(join(common(), 'events', 'auth.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { event: string }).event);
    expect(events).toEqual(['SessionStart', 'UserPromptSubmit', 'Stop', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop']);
    // nothing written in the worktree for Codex but what the agent made
    expect(w.git(['status', '--porcelain'], wt()).trim()).toBe('?? approved.txt');

    // after tmux is gone, `up` brings the window back with the thread, and the next prompt continues it
    w.tmux(['kill-server']);
    const again = await w.tm(['up', '--no-attach']);
    expect(again.code, again.stderr).toBe(0);
    const resumed = await untilStatus('idle', []);
    expect(resumed.lastLine).toBe('All done: approved.txt exists.');
    // the record answers before the client has drawn the thread it resumed: wait for the screen to show it
    const drawnBy = Date.now() + 30_000;
    while (!w.screen('app:auth').includes('• All done: approved.txt exists.') && Date.now() < drawnBy) await tick();
    expect(w.screen('app:auth')).toContain('• All done: approved.txt exists.');
    expect(api.mainRequests()).toHaveLength(3);
    await w.tm(['send', 'auth', 'Are you there?']);
    const end = Date.now() + 30_000;
    let answered = await agent();
    while (!(answered?.status === 'idle' && answered.lastLine === 'Still here.') && Date.now() < end) {
      await tick();
      answered = await agent();
    }
    expect(answered?.lastLine, `${JSON.stringify(answered)}\n${w.screen('app:auth')}`).toBe('Still here.');
    expect(JSON.stringify(api.mainRequests().at(-1)!.body)).toContain('Say hello');
  });

  it('headless: exec --json to its end, the report from its events, `send` continues the thread', { timeout: 120_000 }, async () => {
    api.script([{ text: 'Headless hello.' }, { text: 'Follow-up answer.' }]);
    w.write('treemux.yaml', layout('headless'));
    const up = await w.tm(['up', '--no-attach']);
    expect(up.code, up.stderr).toBe(0);
    const wait = await w.tm(['wait', 'auth']);
    expect(wait.code, wait.stderr).toBe(0);
    const report = JSON.parse((await w.tm(['report', '--json'])).stdout) as { agents: Array<Record<string, unknown>> };
    expect(report.agents[0]).toMatchObject({ status: 'exited', ok: true, costUsd: null, turns: 1, lastLine: 'Headless hello.' });
    const log = readFileSync(join(common(), 'logs', 'auth.log'), 'utf8');
    expect(log).toMatch(/^▶ thread [0-9a-f]{8}$/m);
    expect(log).toMatch(/^── ✓ done · 1 turn · [\d,]+ in · [\d,]+ out tokens$/m);
    const send = await w.tm(['send', 'auth', 'And then?']);
    expect(send.code, send.stderr).toBe(0);
    await w.tm(['wait', 'auth']);
    expect(JSON.stringify(api.mainRequests().at(-1)!.body)).toContain('Headless hello.');
    expect((await agent())?.lastLine).toBe('Follow-up answer.');
  });
});
