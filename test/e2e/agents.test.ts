// add (and --save), tmux key bindings only for treemux sessions, and Claude agents: hooks installed
// without touching git status, events recorded by `treemux hook`, a conversation resumed by `up`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
  makeAppRepo(w);
});
afterEach(async () => {
  await w.tm(['down', '--force']);
  w.cleanup();
});

describe('add', () => {
  it('adds an agent now, and --save writes it into the layout keeping its comments', async () => {
    w.write('treemux.yaml', `# our agents\nversion: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nagents:\n  - name: auth # the first\n    task: a\n`);
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    const r = await w.tm(['add', 'extra', '--task', 'Do the extra thing; now']);
    expect(r.code, r.stderr).toBe(0);
    await waitFor(() => w.screen('app:extra').includes('task:[Do the extra thing; now]'), 'extra runs', () => w.screen('app:extra'));
    const names = JSON.parse((await w.tm(['ls', '--json'])).stdout).agents.map((a: { name: string }) => a.name);
    expect(names).toEqual(['auth', 'extra']);
    expect(readFileSync(join(w.repo, 'treemux.yaml'), 'utf8')).not.toContain('extra');

    const saved = await w.tm(['add', 'more', '--task', 'More', '--save']);
    expect(saved.code, saved.stderr).toBe(0);
    const layout = readFileSync(join(w.repo, 'treemux.yaml'), 'utf8');
    expect(layout).toContain('# our agents');
    expect(layout).toContain('# the first');
    expect(layout).toMatch(/- name: more\n\s+task: More/);

    const dup = await w.tm(['add', 'auth']);
    expect(dup.code).toBe(1);
    expect(dup.stderr.trim()).toBe('treemux: an agent named auth already exists');
    const bad = await w.tm(['add', 'Bad_Name']);
    expect(bad.stderr.trim()).toBe('treemux: agent name "Bad_Name" must match [a-z0-9][a-z0-9-]*');
  });
});

describe('key bindings', () => {
  it('are conditional on the session option and keep the key\'s old binding', async () => {
    // the user's own server, with their own binding for g
    w.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', 'mine']);
    w.tmux(['bind-key', '-T', 'prefix', 'g', 'display-message', 'my own g']);
    w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nagents:\n  - { name: auth, task: a }\n`);
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0); // not wrapped twice
    const g = w.tmux(['list-keys', '-T', 'prefix', 'g']).trim();
    expect(g).toContain('#{@treemux-project}');
    expect(g).toContain('select-window -t :=dash');
    expect(g).toContain('my own g');
    expect(g.match(/@treemux-project/g)).toHaveLength(1);
    expect(w.tmux(['list-keys', '-T', 'prefix', 'J'])).toContain('next-window');
    expect(w.tmux(['show-options', '-t', 'app', '-v', '@treemux-project']).trim()).toBe('app');
    expect(w.tmux(['show-options', '-q', '-t', 'mine', '-v', '@treemux-project']).trim()).toBe('');
  });
});

describe('Claude agents', () => {
  it('get status hooks that git never sees, and up resumes their conversation', async () => {
    w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT}, kind: claude }\nagents:\n  - { name: auth, task: first task }\n`);
    expect((await w.tm(['up', '--no-attach'])).code).toBe(0);
    const wt = join(w.dir, 'app-auth');
    const settings = JSON.parse(readFileSync(join(wt, '.claude', 'settings.local.json'), 'utf8'));
    const command: string = settings.hooks.SessionStart[0].hooks[0].command;
    expect(command).toContain(BIN);
    expect(command).toContain(' hook');
    expect(w.git(['status', '--porcelain'], wt)).toBe('');

    // what Claude Code would do at start: run the hook with the event on stdin, in the agent's environment
    const env = { ...w.env, TREEMUX_AGENT: 'auth', TREEMUX_STATE_DIR: join(w.repo, '.git', 'treemux') };
    const sid = '0b7e4a52-3f1c-4c47-9a51-6d2f0c1e9b11';
    const input = JSON.stringify({ hook_event_name: 'SessionStart', session_id: sid, transcript_path: join(w.dir, 't.jsonl'), cwd: wt });
    const hook = await execa('sh', ['-c', command], { cwd: wt, env, extendEnv: false, input, reject: false });
    expect(hook.exitCode).toBe(0);
    expect(hook.stdout).toBe('');
    expect(readFileSync(join(w.repo, '.git', 'treemux', 'events', 'auth.jsonl'), 'utf8')).toContain(`"sessionId":"${sid}"`);
    const state = JSON.parse(readFileSync(join(w.repo, '.git', 'treemux', 'state.json'), 'utf8'));
    expect(state.agents.auth.session).toBe(sid);
    // a session id of another shape (an option, say) is neither kept nor ever passed to claude
    const hostile = JSON.stringify({ hook_event_name: 'SessionStart', session_id: '--dangerously-skip-permissions', cwd: wt });
    expect((await execa('sh', ['-c', command], { cwd: wt, env, extendEnv: false, input: hostile, reject: false })).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(w.repo, '.git', 'treemux', 'state.json'), 'utf8')).agents.auth.session).toBe(sid);

    // the window is lost (a crash, a reboot): up brings it back resuming the conversation
    w.tmux(['kill-window', '-t', 'app:auth']);
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(resumed)');
    await waitFor(() => w.screen('app:auth').includes('task:[--resume]'), 'resumed', () => w.screen('app:auth'));
    expect(w.screen('app:auth')).toContain('argc:2');
    expect(w.screen('app:auth')).toContain(`then:[${sid}]`);
    expect(existsSync(join(wt, 'CLAUDE.local.md'))).toBe(true);
    execFileSync('true');
  });
});
