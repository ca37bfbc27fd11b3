import { describe, expect, it } from 'vitest';
import {
  LayoutError,
  parseLayout,
  resolveAgent,
  resolveLayout,
  type Layout,
  type LayoutAgent,
  type RepoContext,
} from '../../src/layout/index.js';
import { branchNameProblem } from '../../src/layout/resolve.js';
import { fixture } from './helpers.js';

const ctx: RepoContext = { repoRoot: '/home/me/src/shop', repoName: 'shop', defaultBase: 'main' };
const parse = (body: string): Layout => parseLayout(`version: 1\n${body}`, 'treemux.yaml');
const agent = (name: string, more: Partial<LayoutAgent> = {}): LayoutAgent => ({
  name,
  task: '',
  scope: [],
  avoid: [],
  done: [],
  depends_on: [],
  start_after: [],
  role: 'worker',
  ...more,
});

describe('resolveLayout', () => {
  it('resolves the full example', () => {
    const r = resolveLayout(parseLayout(fixture('full.yaml'), 'treemux.yaml'), ctx, 'treemux.yaml');
    expect(r).toMatchObject({ file: 'treemux.yaml', project: 'shop', session: 'shop', base: 'main' });
    expect(r.agents).toEqual([
      {
        name: 'auth',
        index: 1,
        task: 'Build email/password authentication.',
        command: 'claude',
        args: [],
        kind: 'claude',
        mode: 'interactive',
        base: 'main',
        branch: 'feature/auth',
        worktree: '/home/me/src/shop-auth',
        scope: ['src/auth/**', 'tests/auth/**'],
        avoid: ['src/payments/**'],
        done: ['All tests in tests/auth/ pass'],
        dependsOn: [],
        startAfter: [],
        role: 'worker',
        scopeMode: 'deny',
        host: 'local',
      },
    ]);
  });

  it('defaults project to the folder name, made safe for tmux', () => {
    const l = parse('agents: [{ name: a }]');
    expect(resolveLayout(l, { ...ctx, repoName: 'my.app v2' }, 'f').project).toBe('my-app-v2');
    expect(resolveLayout(l, { ...ctx, repoName: '.dotfiles' }, 'f').session).toBe('dotfiles');
    expect(resolveLayout(l, { ...ctx, repoName: 'my.app' }, 'f').agents[0]?.worktree).toBe('/home/me/src/my-app-a');
    expect(resolveLayout(parse('project: shop2'), ctx, 'f').project).toBe('shop2');
  });

  it('uses the layout base, else the branch of the main worktree', () => {
    expect(resolveLayout(parse('agents: [{ name: a }]'), { ...ctx, defaultBase: 'trunk' }, 'f').agents[0]?.base).toBe('trunk');
    const r = resolveLayout(parse('base: develop\nagents: [{ name: a }, { name: b, base: release }]'), ctx, 'f');
    expect(r.base).toBe('develop');
    expect(r.agents.map((a) => a.base)).toEqual(['develop', 'release']);
  });

  it('expands branch and worktree with project, agent, base, index and branch', () => {
    const l = parse('branch: "{project}/{base}/{index}-{agent}"\nworktree: "/tmp/wt/{branch}"\nagents: [{ name: a }, { name: b }]');
    const r = resolveLayout(l, ctx, 'f');
    expect(r.agents.map((a) => [a.branch, a.worktree])).toEqual([
      ['shop/main/1-a', '/tmp/wt/shop/main/1-a'],
      ['shop/main/2-b', '/tmp/wt/shop/main/2-b'],
    ]);
  });

  it('refuses agents that would share a branch or a worktree', () => {
    expect(() => resolveLayout(parse('branch: work\nagents: [{ name: a }, { name: b }]'), ctx, 'treemux.yaml')).toThrow(
      'treemux.yaml: branch: agents a and b would share the branch work (put {agent} in "work")',
    );
    expect(() => resolveLayout(parse('worktree: ../wt\nagents: [{ name: a }, { name: b }]'), ctx, 'treemux.yaml')).toThrow(
      'treemux.yaml: worktree: agents a and b would share the worktree /home/me/src/wt (put {agent} in "../wt")',
    );
  });
});

describe('resolveAgent', () => {
  it('fills defaults from agent: and the layout', () => {
    const l = parse('agent: { command: claude, args: [--verbose], mode: headless }\nscope_mode: warn');
    expect(resolveAgent(l, ctx, agent('x'), 3)).toMatchObject({
      index: 3,
      command: 'claude',
      args: ['--verbose'],
      kind: 'claude',
      mode: 'headless',
      role: 'worker',
      scopeMode: 'warn',
      branch: 'feature/x',
      worktree: '/home/me/src/shop-x',
    });
  });

  it('lets each agent override the defaults', () => {
    const l = parse('agent: { args: [--verbose] }');
    const r = resolveAgent(l, ctx, agent('x', { args: ['--model', 'opus'], mode: 'headless', scope_mode: 'warn', role: 'operator' }), 1);
    expect(r).toMatchObject({ args: ['--model', 'opus'], mode: 'headless', scopeMode: 'warn', role: 'operator' });
  });

  it('infers kind from the command file name', () => {
    const l = parse('');
    expect(resolveAgent(l, ctx, agent('x'), 1).kind).toBe('claude');
    expect(resolveAgent(l, ctx, agent('x', { command: '/usr/local/bin/claude' }), 1).kind).toBe('claude');
    expect(resolveAgent(l, ctx, agent('x', { command: 'aider' }), 1).kind).toBe('other');
    expect(resolveAgent(l, ctx, agent('x', { command: './claude-wrapper.sh' }), 1).kind).toBe('other');
    expect(resolveAgent(l, ctx, agent('x', { command: './claude-wrapper.sh', kind: 'claude' }), 1).kind).toBe('claude');
    expect(resolveAgent(parse('agent: { command: ./fake-agent }'), ctx, agent('x'), 1).kind).toBe('other');
    expect(resolveAgent(parse('agent: { command: ./wrap, kind: claude }'), ctx, agent('x'), 1).kind).toBe('claude');
  });

  it('an agent with its own command takes neither args nor kind from agent:', () => {
    const l = parse('agent: { command: claude, kind: claude, args: [--dangerously-skip-permissions] }');
    expect(resolveAgent(l, ctx, agent('x', { command: 'codex' }), 1)).toMatchObject({ command: 'codex', args: [], kind: 'codex' });
    expect(resolveAgent(l, ctx, agent('y'), 2)).toMatchObject({ command: 'claude', args: ['--dangerously-skip-permissions'], kind: 'claude' });
  });

  it('keeps command and args as templates (ports and database come later)', () => {
    const l = parse('ports: { web: 3001 }\nagent: { command: "./run", args: ["--port", "{port.web}"] }');
    expect(resolveAgent(l, ctx, agent('x'), 1).args).toEqual(['--port', '{port.web}']);
  });

  it('makes the worktree absolute, against the repository root', () => {
    expect(resolveAgent(parse('worktree: "../../wt/{agent}"'), ctx, agent('x'), 1).worktree).toBe('/home/me/wt/x');
    expect(resolveAgent(parse('worktree: "/srv/wt/{agent}/"'), ctx, agent('x'), 1).worktree).toBe('/srv/wt/x');
  });

  it('copies lists, so changing the result does not change the layout', () => {
    const l = parse('agents: [{ name: a, scope: [src/**] }]');
    const r = resolveAgent(l, ctx, l.agents[0]!, 1);
    r.scope.push('x');
    expect(l.agents[0]!.scope).toEqual(['src/**']);
  });

  it('refuses a worktree inside (or containing) the repository', () => {
    const err = (() => {
      try {
        resolveAgent(parse('worktree: "wt/{agent}"'), ctx, agent('x'), 1, 'treemux.yaml');
      } catch (e) {
        return e as LayoutError;
      }
    })();
    expect(err).toBeInstanceOf(LayoutError);
    expect(err?.message).toBe(
      'treemux.yaml: worktree: "wt/{agent}" gives /home/me/src/shop/wt/x for agent x, which is inside the repository (/home/me/src/shop) (use a path outside it, such as ../{project}-{agent})',
    );
    expect(() => resolveAgent(parse('worktree: "."'), ctx, agent('x'), 1)).toThrow('which is the repository itself');
    expect(() => resolveAgent(parse('worktree: ".."'), ctx, agent('x'), 1)).toThrow('which contains the repository');
    expect(() => resolveAgent(parse('worktree: "../shop2-{agent}"'), ctx, agent('x'), 1)).not.toThrow();
  });

  it('refuses a branch that git would refuse', () => {
    expect(() => resolveAgent(parse('branch: "feature/{agent}.lock"'), ctx, agent('x'), 1, 'treemux.yaml')).toThrow(
      'treemux.yaml: branch: "feature/{agent}.lock" gives "feature/x.lock" for agent x, not a valid git branch name (a part ends with ".lock" (x.lock))',
    );
    expect(() => resolveAgent(parse('branch: "{base}..{agent}"'), ctx, agent('x'), 1)).toThrow('branch: "{base}..{agent}" gives "main..x" for agent x, not a valid git branch name (contains "..")');
  });

  it('wants a 1-based index', () => {
    expect(() => resolveAgent(parse(''), ctx, agent('x'), 0)).toThrow('index must be 1-based');
  });
});

describe('branchNameProblem', () => {
  it('accepts ordinary names', () => {
    for (const ok of ['main', 'feature/auth', 'a-b_c.d', 'x/y/z', 'v1.2']) expect(branchNameProblem(ok)).toBeUndefined();
  });

  it('refuses what git check-ref-format refuses', () => {
    const bad: [string, string][] = [
      ['a..b', 'contains ".."'],
      ['a b', 'contains a space'],
      ['a~1', 'contains "~"'],
      ['a^', 'contains "^"'],
      ['a:b', 'contains ":"'],
      ['a?', 'contains "?"'],
      ['a*', 'contains "*"'],
      ['a[1]', 'contains "["'],
      ['a\\b', 'contains "\\"'],
      ['-x', 'starts with "-"'],
      ['/x', 'starts or ends with "/"'],
      ['x/', 'starts or ends with "/"'],
      ['a//b', 'contains "//"'],
      ['x.lock', 'a part ends with ".lock" (x.lock)'],
      ['a/.hidden', 'a part starts with "." (.hidden)'],
      ['x.', 'ends with "."'],
      ['a@{1}', 'contains "@{"'],
      ['@', 'is "@"'],
      ['a\tb', 'contains a control character'],
      ['', 'empty'],
    ];
    for (const [name, why] of bad) expect(branchNameProblem(name), name).toBe(why);
  });
});
