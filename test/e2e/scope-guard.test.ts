// The scope guard: Claude Code's PreToolUse hook, as treemux installs it, denies a write outside
// the agent's scope (or inside its avoid list) before the file is touched; scope_mode: warn notes it.
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_AGENT, makeAppRepo, makeWorld, type World } from '../helpers/world.js';

let w: World;
let command: string;
const wt = () => join(w.dir, 'app-auth');

async function preToolUse(tool: string, file: string, scope: object) {
  const env = {
    ...w.env,
    TREEMUX_AGENT: 'auth',
    TREEMUX_STATE_DIR: join(w.repo, '.git', 'treemux'),
    TREEMUX_WORKTREE: wt(),
    TREEMUX_SCOPE: JSON.stringify(scope),
  };
  const input = JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: tool, tool_input: { file_path: file }, cwd: wt(), session_id: 's' });
  const r = await execa('sh', ['-c', command], { cwd: wt(), env, extendEnv: false, input, reject: false });
  expect(r.exitCode).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  w = makeWorld();
  makeAppRepo(w);
  w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT}, kind: claude }\nagents:\n  - { name: auth, task: a, scope: ["src/auth/**"], avoid: ["src/auth/secret.ts"] }\n  - { name: pay, task: p }\n`);
  expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
  command = JSON.parse(readFileSync(join(wt(), '.claude', 'settings.local.json'), 'utf8')).hooks.PreToolUse[0].hooks[0].command;
});
afterAll(async () => {
  await w.tm(['down', '--force']);
  w.cleanup();
});

describe('scope guard', () => {
  const deny = { scope: ['src/auth/**'], avoid: ['src/auth/secret.ts'], mode: 'deny' };
  it('denies a write outside the scope, with the reason', async () => {
    const out = JSON.parse(await preToolUse('Write', join(wt(), 'src/payments/pay.ts'), deny));
    expect(out.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(out.hookSpecificOutput.permissionDecisionReason).toContain('src/payments/pay.ts');
    expect(out.hookSpecificOutput.permissionDecisionReason).toContain('src/auth/**');
  });
  it('denies a file in avoid even inside the scope, relative paths too', async () => {
    const out = JSON.parse(await preToolUse('Edit', 'src/auth/secret.ts', deny));
    expect(out.hookSpecificOutput.permissionDecisionReason).toContain('avoid');
  });
  it('allows a write in scope, and tools that write nothing', async () => {
    expect(await preToolUse('Write', join(wt(), 'src/auth/login.ts'), deny)).toBe('');
    expect(await preToolUse('Read', join(wt(), 'src/payments/pay.ts'), deny)).toBe('');
  });
  it('denies a write into the main checkout or another agent\'s worktree by absolute path; elsewhere is not its business', async () => {
    for (const file of [join(w.repo, 'src/auth/login.ts'), join(w.dir, 'app-pay', 'src/auth/login.ts')]) {
      const out = JSON.parse(await preToolUse('Write', file, deny));
      expect(out.hookSpecificOutput.permissionDecision, file).toBe('deny');
      expect(out.hookSpecificOutput.permissionDecisionReason).toContain('in another checkout of this project');
    }
    expect(await preToolUse('Write', join(w.dir, 'scratch', 'notes.md'), deny)).toBe('');
    // with no scope at all, the other checkouts are still out of bounds
    const out = JSON.parse(await preToolUse('Write', join(w.repo, 'README.md'), { scope: [], avoid: [], mode: 'deny' }));
    expect(out.hookSpecificOutput.permissionDecision).toBe('deny');
  });

  it('judges the real path: a link inside the scope that leads out of it does not let a write through', async () => {
    mkdirSync(join(wt(), 'src', 'auth'), { recursive: true });
    mkdirSync(join(wt(), 'src', 'pay'), { recursive: true });
    symlinkSync('../pay', join(wt(), 'src', 'auth', 'link'));
    const out = JSON.parse(await preToolUse('Write', 'src/auth/link/p.ts', deny));
    expect(out.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(out.hookSpecificOutput.permissionDecisionReason).toContain('src/pay/p.ts');
    expect(out.hookSpecificOutput.permissionDecisionReason).toContain('that is where src/auth/link/p.ts leads');
    // a link that leads into the main checkout is another checkout
    symlinkSync(w.repo, join(wt(), 'src', 'auth', 'main'));
    const main = JSON.parse(await preToolUse('Write', join(wt(), 'src/auth/main/src/a.ts'), deny));
    expect(main.hookSpecificOutput.permissionDecisionReason).toContain('in another checkout of this project');
  });

  it('scope_mode warn lets it through but notes it in the events', async () => {
    expect(await preToolUse('Write', join(wt(), 'README.md'), { ...deny, mode: 'warn' })).toBe('');
    const events = readFileSync(join(w.repo, '.git', 'treemux', 'events', 'auth.jsonl'), 'utf8');
    expect(events).toContain('README.md is');
  });
  it('the agent window carries the rules', async () => {
    const pid = w.tmux(['display-message', '-p', '-t', 'app:auth', '#{pane_pid}']).trim();
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ.find((e) => e.startsWith('TREEMUX_SCOPE='))).toContain('"mode":"deny"');
    expect(environ).toContain(`TREEMUX_WORKTREE=${wt()}`);
  });
});
