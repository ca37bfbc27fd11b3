// Layouts with `hosts:` and `agent.host`: what parses, how a remote agent resolves (its host, its
// worktree there beside the host's clone, `~` kept), and each refusal in one line naming file:line.
import { describe, expect, it } from 'vitest';
import { parseLayout, resolveLayout, type RepoContext } from '../../src/layout/index.js';
import { layoutError } from './helpers.js';

const ctx: RepoContext = { repoRoot: '/home/me/src/shop', repoName: 'shop', defaultBase: 'main' };
const BOX = 'hosts:\n  box: { ssh: dev@build-1, repo: ~/src/shop }\n';
const v1 = (rest: string) => `version: 1\n${rest}`;
const resolved = (text: string) => resolveLayout(parseLayout(text, 'treemux.yaml'), ctx, 'treemux.yaml');
/** every problem of the layout, one line each */
const problems = (text: string) => layoutError(text).errors.map((e) => e.message);

describe('a layout with hosts', () => {
  it('parses hosts: and agent.host, and an agent without host: is local', () => {
    const text = v1(`${BOX}agents:\n  - name: auth\n    host: box\n  - name: ui\n`);
    const layout = parseLayout(text, 'treemux.yaml');
    expect(layout.hosts).toEqual({ box: { ssh: 'dev@build-1', repo: '~/src/shop' } });
    expect(layout.agents.map((a) => a.host)).toEqual(['box', undefined]);
    expect(layout.agent.host).toBeUndefined();
    const r = resolved(text);
    expect(r.agents.map((a) => [a.name, a.host, a.worktree])).toEqual([
      ['auth', 'box', '~/src/shop-auth'],
      ['ui', 'local', '/home/me/src/shop-ui'],
    ]);
    // only the place changes: branch, command and the rest resolve as for a local agent
    expect(r.agents[0]).toMatchObject({ branch: 'feature/auth', command: 'claude', kind: 'claude', mode: 'interactive', base: 'main' });
  });

  it('no hosts: is an empty mapping, and every agent is local', () => {
    const r = resolved(v1('agents: [{ name: a }, { name: b, host: local }]\n'));
    expect(r.layout.hosts).toEqual({});
    expect(r.agents.map((a) => [a.host, a.worktree])).toEqual([
      ['local', '/home/me/src/shop-a'],
      ['local', '/home/me/src/shop-b'],
    ]);
  });

  it('agent: { host: box } is the default; an agent may still say host: local', () => {
    const r = resolved(v1(`${BOX}agent: { host: box }\nagents:\n  - name: auth\n  - name: ui\n    host: local\n`));
    expect(r.layout.agent.host).toBe('box');
    expect(r.agents.map((a) => [a.name, a.host, a.worktree])).toEqual([
      ['auth', 'box', '~/src/shop-auth'],
      ['ui', 'local', '/home/me/src/shop-ui'],
    ]);
  });

  it('a remote worktree is the layout worktree relative to the repository, placed beside the host clone', () => {
    // an absolute clone there: an absolute path
    const abs = resolved(v1('hosts:\n  box: { ssh: dev@build-1, repo: /srv/git/shop }\nagents: [{ name: auth, host: box }]\n'));
    expect(abs.agents[0]!.worktree).toBe('/srv/git/shop-auth');
    // a worktree template deeper than ../: the same shape there, ~ kept unexpanded
    const deep = resolved(v1(`worktree: "../wt/{project}/{agent}"\n${BOX}agents: [{ name: auth, host: box }, { name: ui }]\n`));
    expect(deep.agents.map((a) => a.worktree)).toEqual(['~/src/wt/shop/auth', '/home/me/src/wt/shop/ui']);
    // placeholders ({branch}, {index}) are expanded before it is placed
    const branchy = resolved(v1(`worktree: "../{project}-{index}-{branch}"\nbranch: "agent-{agent}"\n${BOX}agents: [{ name: auth, host: box }]\n`));
    expect(branchy.agents[0]!.worktree).toBe('~/src/shop-1-agent-auth');
  });

  it('an ssh:// destination with a port is one destination', () => {
    const r = resolved(v1('hosts:\n  box: { ssh: "ssh://dev@build-1:2222", repo: ~/src/shop }\nagents: [{ name: auth, host: box }]\n'));
    expect(r.layout.hosts.box!.ssh).toBe('ssh://dev@build-1:2222');
    expect(r.agents[0]!.host).toBe('box');
  });

  it('a remote agent may use sqlite or no database', () => {
    expect(resolved(v1(`database: { kind: sqlite }\n${BOX}agents: [{ name: auth, host: box }]\n`)).agents[0]!.host).toBe('box');
    expect(resolved(v1(`database: { kind: none }\n${BOX}agents: [{ name: auth, host: box }]\n`)).agents[0]!.host).toBe('box');
  });

  it('a server database is fine while every agent is local, even with hosts declared', () => {
    const r = resolved(v1(`database: { kind: postgres, url: "postgresql://u@localhost:5432/shop_dev" }\n${BOX}agents: [{ name: auth }]\n`));
    expect(r.agents[0]!.host).toBe('local');
  });

  it('a worktree the template would put above the home folder there is refused; an absolute template is taken as it is there', () => {
    // repo "~" with ../{project}-{agent}: beside the home folder, which is not a place treemux can name there
    expect(() => resolved(v1('hosts:\n  box: { ssh: dev@build-1, repo: "~" }\nagents: [{ name: auth, host: box }]\n'))).toThrow(/treemux\.yaml: worktree: .*above the home folder on host box for agent auth/);
    const r = resolved(v1(`worktree: "/tmp/wt/{agent}"\n${BOX}agents: [{ name: auth, host: box }]\n`));
    expect(r.agents[0]!.worktree).toBe('/tmp/wt/auth');
  });
});

describe('hosts refused, one line each with file:line:column', () => {
  it('an unknown host on an agent, with a did-you-mean', () => {
    expect(problems(v1(`${BOX}agents:\n  - name: auth\n    host: bxo\n`))).toEqual([
      'treemux.yaml:6:11: agents[0].host: unknown host "bxo" (did you mean "box"?)',
    ]);
  });

  it('an unknown host nothing is close to lists the hosts there are', () => {
    expect(problems(v1(`${BOX}agents:\n  - name: auth\n    host: zzzzzz\n`))).toEqual([
      'treemux.yaml:6:11: agents[0].host: unknown host "zzzzzz" (hosts: local, box)',
    ]);
  });

  it('an unknown default host under agent:', () => {
    expect(problems(v1(`${BOX}agent: { host: bx }\nagents:\n  - name: auth\n`))).toEqual([
      'treemux.yaml:4:16: agent.host: unknown host "bx" (did you mean "box"?)',
    ]);
  });

  it('a host named local', () => {
    expect(problems(v1('hosts:\n  local: { ssh: dev@build-1, repo: ~/src/shop }\nagents:\n  - name: auth\n'))).toEqual([
      'treemux.yaml:3:10: hosts.local: "local" is this machine: give the other host another name',
    ]);
  });

  it('a host name or an agent.host outside [a-z0-9][a-z0-9-]*', () => {
    expect(problems(v1('hosts:\n  Box: { ssh: dev@build-1, repo: ~/src/shop }\n'))).toEqual([
      'treemux.yaml:3:3: hosts.Box: must be a host name [a-z0-9][a-z0-9-]*',
    ]);
    expect(problems(v1('agents: [{ name: a, host: Box }]\n'))).toEqual([
      'treemux.yaml:2:27: agents[0].host: must be local or a name under hosts: ([a-z0-9][a-z0-9-]*)',
    ]);
  });

  it('an ssh destination that starts with "-" (it would be an ssh option)', () => {
    expect(problems(v1('hosts:\n  box: { ssh: -oProxyCommand=touch, repo: ~/src/shop }\n'))).toEqual([
      'treemux.yaml:3:15: hosts.box.ssh: must not start with "-" (it would be an ssh option)',
    ]);
  });

  it('an ssh destination with a space, a tab or a control character', () => {
    const msg = 'treemux.yaml:3:15: hosts.box.ssh: must be one ssh destination (user@host or a Host of ~/.ssh/config), no spaces';
    expect(problems(v1('hosts:\n  box: { ssh: "dev@build-1 -p 22", repo: ~/src/shop }\n'))).toEqual([msg]);
    expect(problems(v1('hosts:\n  box: { ssh: "dev@build-1\\t", repo: ~/src/shop }\n'))).toEqual([msg]);
    expect(problems(v1('hosts:\n  box: { ssh: "dev@build-1\\u0007", repo: ~/src/shop }\n'))).toEqual([msg]);
  });

  it('an empty ssh destination, or none', () => {
    expect(problems(v1('hosts:\n  box: { ssh: "", repo: ~/src/shop }\n'))).toEqual(['treemux.yaml:3:15: hosts.box.ssh: must not be empty']);
    expect(problems(v1('hosts:\n  box: { repo: ~/src/shop }\n'))).toEqual([expect.stringMatching(/^treemux\.yaml:3:\d+: hosts\.box\.ssh: is required$/)]);
  });

  it('a relative repo path', () => {
    expect(problems(v1('hosts:\n  box: { ssh: dev@build-1, repo: src/shop }\n'))).toEqual([
      'treemux.yaml:3:34: hosts.box.repo: must be an absolute path there, or one under ~ (e.g. ~/src/shop; a lone ~ is written "~")',
    ]);
    expect(problems(v1('hosts:\n  box: { ssh: dev@build-1, repo: "~dev/src/shop" }\n'))).toEqual([
      'treemux.yaml:3:34: hosts.box.repo: must be an absolute path there, or one under ~ (e.g. ~/src/shop; a lone ~ is written "~")',
    ]);
  });

  it('an unknown key under a host', () => {
    expect(problems(v1('hosts:\n  box: { ssh: dev@build-1, repo: ~/src/shop, port: 22 }\n'))).toEqual([
      expect.stringMatching(/^treemux\.yaml:3:\d+: hosts\.box.*port/),
    ]);
  });

  it('an agent on a host with mode: headless, its own or the default', () => {
    const own = v1(`${BOX}agents:\n  - name: auth\n    host: box\n    mode: headless\n    task: do it\n`);
    expect(problems(own)).toEqual([
      'treemux.yaml:6:11: agents[0].host: agent "auth" runs headless on host box: headless runs need treemux where they run, so on other hosts agents are interactive (docs/hosts.md)',
    ]);
    // host and mode both from agent: the line is the agent's own (it has no host: key)
    const defaults = v1(`${BOX}agent: { mode: headless, host: box }\nagents:\n  - name: auth\n    task: do it\n`);
    expect(problems(defaults)).toEqual([
      'treemux.yaml:6:5: agents[0].host: agent "auth" runs headless on host box: headless runs need treemux where they run, so on other hosts agents are interactive (docs/hosts.md)',
    ]);
    // headless locally is fine beside a remote interactive agent
    expect(resolved(v1(`${BOX}agents:\n  - { name: auth, host: box }\n  - { name: ui, mode: headless, task: t }\n`)).agents.map((a) => a.mode)).toEqual([
      'interactive',
      'headless',
    ]);
  });

  it('a postgres, mysql or command database with a remote agent', () => {
    const withDb = (db: string) => v1(`database: ${db}\n${BOX}agents:\n  - name: auth\n    host: box\n`);
    expect(problems(withDb('{ kind: postgres, url: "postgresql://u@localhost:5432/shop_dev" }'))).toEqual([
      'treemux.yaml:2:19: database.kind: database kind "postgres" is not made on other hosts yet: agents with host: are given sqlite or none (docs/hosts.md)',
    ]);
    expect(problems(withDb('{ kind: mysql, url: "mysql://root@localhost:3306/shop_dev" }'))).toEqual([
      'treemux.yaml:2:19: database.kind: database kind "mysql" is not made on other hosts yet: agents with host: are given sqlite or none (docs/hosts.md)',
    ]);
    expect(problems(withDb('{ kind: command, create: "make db" }'))).toEqual([
      'treemux.yaml:2:19: database.kind: database kind "command" is not made on other hosts yet: agents with host: are given sqlite or none (docs/hosts.md)',
    ]);
  });

  it('a server database with agents on a host only by agent: { host: }', () => {
    const text = v1(`database: { kind: postgres, url: "postgresql://u@localhost:5432/shop_dev" }\n${BOX}agent: { host: box }\nagents: [{ name: auth }]\n`);
    expect(problems(text)).toEqual([
      'treemux.yaml:2:19: database.kind: database kind "postgres" is not made on other hosts yet: agents with host: are given sqlite or none (docs/hosts.md)',
    ]);
  });

  it('redis: with a remote agent', () => {
    expect(problems(v1(`redis: {}\n${BOX}agents: [{ name: auth, host: box }]\n`))).toEqual([
      expect.stringMatching(/^treemux\.yaml:2:\d+: redis: redis: shares are not given to agents on other hosts yet \(docs\/hosts\.md\)$/),
    ]);
  });

  it('keeps every host problem, in file order', () => {
    const text = v1(
      'hosts:\n  local: { ssh: a@b, repo: ~/x }\n  box: { ssh: dev@build-1, repo: ~/src/shop }\nagents:\n  - { name: auth, host: bxo }\n  - { name: ui, host: box, mode: headless, task: t }\n',
    );
    expect(problems(text)).toEqual([
      'treemux.yaml:3:10: hosts.local: "local" is this machine: give the other host another name',
      'treemux.yaml:6:25: agents[0].host: unknown host "bxo" (did you mean "box"?)',
      'treemux.yaml:7:23: agents[1].host: agent "ui" runs headless on host box: headless runs need treemux where they run, so on other hosts agents are interactive (docs/hosts.md)',
    ]);
  });
});
