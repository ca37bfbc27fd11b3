// parseLayout / loadLayout on inline layouts: messages in plain words, positions, special cases.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LayoutError, loadLayout, parseLayout, SIDEBAR_WIDTH, sidebarWidth } from '../../src/layout/index.js';
import { FIXTURES, layoutError, messageOf } from './helpers.js';
import { treemuxLine } from '../../src/util/invocation.js';

const v1 = (rest: string) => `version: 1\n${rest}`;

describe('the file as a whole', () => {
  it('refuses an empty file, or one of comments only, in one line', () => {
    const empty = `treemux.yaml: the layout file is empty (it needs at least "version: 1"; \`${treemuxLine(['init'])}\` writes one)`;
    expect(messageOf('')).toBe(empty);
    expect(messageOf('# just a comment\n\n')).toBe(empty);
  });

  it('refuses a document that is not a mapping', () => {
    expect(messageOf('hello\n')).toBe('treemux.yaml:1:1: the layout must be a mapping of keys (version: 1, agents: …), not a single string');
  });

  it('asks for the version when it is missing', () => {
    expect(messageOf('agents: []\n')).toBe('treemux.yaml:1:1: version: is required (a layout starts with "version: 1")');
  });

  it('reports YAML syntax errors at the yaml package position', () => {
    expect(messageOf('version: 1\nversion: 1\n')).toBe('treemux.yaml:2:1: invalid YAML: duplicate key version');
    expect(messageOf('version: 1\nfoo: *nowhere\n')).toBe('treemux.yaml:2:6: invalid YAML: unknown alias *nowhere');
    expect(messageOf('version: 1\n---\nversion: 1\n')).toMatch(/^treemux\.yaml:2:1: invalid YAML: more than one document/);
    expect(messageOf('version: 1\nagents:\n\t- name: a\n')).toBe('treemux.yaml:3:1: invalid YAML: Tabs are not allowed as indentation');
  });

  it('shows the file name as given', () => {
    expect(layoutError('version: 3\n', 'sub/dir/my.yaml').message).toBe(
      'sub/dir/my.yaml:1:10: version: must be 1 (the only layout version treemux knows)',
    );
  });

  it('keeps every problem in `errors`, in file order, and throws the first', () => {
    const err = layoutError(v1('agents:\n  - name: B\n    scope: x\nmax_parallel: -1\nsidebar: 1\n'));
    expect(err.errors.map((e) => e.message)).toEqual([
      'treemux.yaml:3:11: agents[0].name: must match [a-z0-9][a-z0-9-]*',
      'treemux.yaml:4:12: agents[0].scope: must be a list of strings',
      'treemux.yaml:5:15: max_parallel: must be at least 0',
      'treemux.yaml:6:10: sidebar: must be true, false or { width: N }',
    ]);
    expect(err.message).toBe(err.errors[0]!.message);
  });
});

describe('types and values in plain words', () => {
  const cases: [string, string][] = [
    ['ports: { web: 3.5 }', 'treemux.yaml:2:15: ports.web: must be a whole number'],
    ['ports: { web: 70000 }', 'treemux.yaml:2:15: ports.web: must be a port number 1-65535'],
    ['ports: { "my-port": 3000 }', 'treemux.yaml:2:10: ports.my-port: must be a port name [A-Za-z_][A-Za-z0-9_]*'],
    ['ports: [3000]', 'treemux.yaml:2:8: ports: must be a mapping (key: value pairs)'],
    ['agent: claude', 'treemux.yaml:2:8: agent: must be a mapping (key: value pairs)'],
    ['agent: { kind: gpt }', 'treemux.yaml:2:16: agent.kind: must be one of claude, codex, gemini, opencode, other (got "gpt")'],
    ['agent: { command: "" }', 'treemux.yaml:2:19: agent.command: must not be empty'],
    ['agent: { args: --fast }', 'treemux.yaml:2:16: agent.args: must be a list of strings'],
    ['agents: { name: a }', 'treemux.yaml:2:9: agents: must be a list of mappings'],
    ['agents:\n  - task: x', 'treemux.yaml:3:5: agents[0].name: is required'],
    ['agents:\n  - name: a\n    role: boss', 'treemux.yaml:4:11: agents[0].role: must be worker or operator (got "boss")'],
    ['redis: { db: 20 }', 'treemux.yaml:2:14: redis.db: must be at most 15'],
    ['redis: { db: next }', 'treemux.yaml:2:14: redis.db: must be auto or a number'],
    ['database: { kind: command, create: [] }', 'treemux.yaml:2:36: database.create: must not be an empty list'],
    ['database: { kind: command, create: [a, 3] }', 'treemux.yaml:2:40: database.create[1]: must be a string'],
    ['database: { kind: command, create: 3 }', 'treemux.yaml:2:36: database.create: must be a string or a list of strings'],
    ['database: { kind: postgres }', 'treemux.yaml:2:11: database.url: is required'],
    ['database: [x]', 'treemux.yaml:2:11: database: must be a mapping, e.g. database: { kind: sqlite }'],
    ['database: postgres', 'treemux.yaml:2:11: database: must be a mapping, e.g. database: { kind: postgres }'],
    ['env: { set: { "A B": x } }', 'treemux.yaml:2:15: env.set["A B"]: must be an environment variable name'],
    ['env: { set: { A: [x] } }', 'treemux.yaml:2:18: env.set.A: must be a string, a number or true/false'],
    ['env:\n  set:\n    EMPTY:', 'treemux.yaml:4:5: env.set.EMPTY: has no value (write "" for an empty value)'],
    ['setup:\n  - npm i\n  -', 'treemux.yaml:4:4: setup[1]: has no value'],
    ['project: my.shop', 'treemux.yaml:2:10: project: must match [A-Za-z0-9][A-Za-z0-9_-]*'],
    ['scope_mode: strict', 'treemux.yaml:2:13: scope_mode: must be warn or deny (got "strict")'],
    ['sidebar: yes', 'treemux.yaml:2:10: sidebar: must be true, false or { width: N }'],
    ['sidebar: { width: 5 }', 'treemux.yaml:2:19: sidebar.width: must be at least 12'],
    ['sidebar: { width: 30.5 }', 'treemux.yaml:2:19: sidebar.width: must be a whole number'],
    ['sidebar: { wide: 30 }', 'treemux.yaml:2:12: sidebar.wide: unknown key (did you mean "width"?)'],
  ];
  for (const [body, message] of cases) {
    it(body.replace(/\n\s*/g, ' '), () => expect(messageOf(v1(body))).toBe(message));
  }
});

describe('unknown keys', () => {
  it('points at the key and suggests a close one', () => {
    expect(messageOf(v1('agent: { cmd: aider }'))).toBe('treemux.yaml:2:10: agent.cmd: unknown key (did you mean "command"?)');
    expect(messageOf(v1('max-parallel: 2'))).toBe('treemux.yaml:2:1: max-parallel: unknown key (did you mean "max_parallel"?)');
    expect(messageOf(v1('Agents: []'))).toBe('treemux.yaml:2:1: Agents: unknown key (did you mean "agents"?)');
  });

  it('lists the known keys when nothing is close', () => {
    expect(messageOf(v1('colour: blue'))).toBe(
      'treemux.yaml:2:1: colour: unknown key (known: version, project, base, worktree, branch, agent, max_parallel, ports, database, redis, env, copy, setup, panes, sidebar, merge, scope_mode, hosts, agents)',
    );
  });

  it('explains database keys that belong to another kind', () => {
    expect(messageOf(v1('database:\n  url: postgresql://localhost/shop'))).toBe(
      'treemux.yaml:3:3: database.url: unknown key for a sqlite database (url belongs to kind postgres or mysql; a database without kind is sqlite)',
    );
    expect(messageOf(v1('database: { kind: postgres, url: "postgresql://h/x", path: y }'))).toBe(
      'treemux.yaml:2:54: database.path: unknown key for a postgres database (path belongs to kind sqlite)',
    );
  });
});

describe('empty values and the database default', () => {
  it('treats `key:` with nothing after it as a key left out', () => {
    const l = parseLayout(v1('ports:\nredis:\ndatabase:\nmerge:\nagents:\n  - name: a\n    task:\n    scope:\n'), 'treemux.yaml');
    expect(l.ports).toEqual({});
    expect(l.redis).toBeUndefined();
    expect(l.database).toEqual({ kind: 'none' });
    expect(l.merge).toEqual({});
    expect(l.agents[0]).toMatchObject({ task: '', scope: [] });
  });

  it('no database key means none; a database mapping without kind means sqlite', () => {
    expect(parseLayout(v1(''), 'f').database).toEqual({ kind: 'none' });
    expect(parseLayout(v1('database: {}'), 'f').database).toEqual({ kind: 'sqlite', path: 'db/dev.sqlite' });
    expect(parseLayout(v1('database: { seed: db/seed.sqlite }'), 'f').database).toEqual({
      kind: 'sqlite',
      path: 'db/dev.sqlite',
      seed: 'db/seed.sqlite',
    });
  });

  it('turns env values that YAML reads as numbers or booleans into strings', () => {
    expect(parseLayout(v1('env: { set: { A: 1, B: true, C: "" } }'), 'f').env).toEqual({ file: '.env', set: { A: '1', B: 'true', C: '' } });
  });

  it('reads YAML anchors and merge keys', () => {
    const l = parseLayout(v1('agents:\n  - &base { name: a, scope: [src/**] }\n  - { <<: *base, name: b }\n'), 'f');
    expect(l.agents.map((a) => [a.name, a.scope])).toEqual([
      ['a', ['src/**']],
      ['b', ['src/**']],
    ]);
  });
});

describe('agent references', () => {
  it('refuses an agent that names itself', () => {
    expect(messageOf(v1('agents:\n  - name: a\n    depends_on: [a]'))).toBe(
      'treemux.yaml:4:18: agents[0].depends_on[0]: an agent cannot depend on itself',
    );
    expect(messageOf(v1('agents:\n  - name: a\n    start_after: [a]'))).toBe(
      'treemux.yaml:4:19: agents[0].start_after[0]: an agent cannot start after itself',
    );
  });

  it('lists the agents when an unknown name is not close to any', () => {
    expect(messageOf(v1('agents:\n  - name: auth\n  - name: pay\n    depends_on: [search]'))).toBe(
      'treemux.yaml:5:18: agents[1].depends_on[0]: unknown agent "search" (agents: auth, pay)',
    );
  });

  it('checks names in depends_on against the agent name rule', () => {
    expect(messageOf(v1('agents:\n  - name: a\n    depends_on: [A]'))).toBe(
      'treemux.yaml:4:18: agents[0].depends_on[0]: must match [a-z0-9][a-z0-9-]*',
    );
  });

  it('refuses a cycle that mixes depends_on and start_after (it would wait forever)', () => {
    expect(messageOf(v1('agents:\n  - name: a\n    start_after: [b]\n  - name: b\n    depends_on: [a]'))).toBe(
      'treemux.yaml:4:19: agents[0].start_after[0]: cycle through depends_on and start_after: a -> b -> a',
    );
  });

  it('accepts a chain without cycles', () => {
    const l = parseLayout(v1('agents:\n  - name: a\n  - name: b\n    depends_on: [a]\n  - name: c\n    depends_on: [a, b]\n    start_after: [a]'), 'f');
    expect(l.agents.map((a) => a.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('placeholders in the layout', () => {
  it('leaves ${VAR} and JSON-ish braces to the shell', () => {
    const l = parseLayout(v1(`setup: ['echo \${HOME} {"a": 1} { b } {agent}']`), 'f');
    expect(l.setup).toEqual(['echo ${HOME} {"a": 1} { b } {agent}']);
  });

  it('never checks task, done, scope or avoid (user text)', () => {
    const l = parseLayout(v1('agents:\n  - name: a\n    task: "Fix {whatever}"\n    done: ["{x}"]\n    scope: ["src/{a,b}/**"]\n    avoid: ["{y}"]'), 'f');
    expect(l.agents[0]?.task).toBe('Fix {whatever}');
  });

  it('says which names a key takes', () => {
    expect(messageOf(v1('worktree: "../{project}-{worktree}"'))).toBe(
      'treemux.yaml:2:25: worktree: placeholder {worktree} cannot be used here (known: project, agent, branch, base, index)',
    );
    expect(messageOf(v1('redis: { prefix: "{agent}:{worktree}:" }'))).toBe(
      'treemux.yaml:2:27: redis.prefix: placeholder {worktree} cannot be used here (known: project, agent, branch, base, index)',
    );
    expect(messageOf(v1('database: { kind: command, create: ["mk", "{db.name}"] }'))).toBe(
      'treemux.yaml:2:44: database.create[1]: placeholder {db.name} cannot be used here (known: project, agent, branch, base, index, worktree)',
    );
    expect(messageOf(v1('database: { kind: postgres, url: "postgresql://h/{db.name}" }'))).toBe(
      'treemux.yaml:2:50: database.url: placeholder {db.name} cannot be used here (known: project, agent, branch, base, index, worktree)',
    );
  });

  it('refuses db.* without a database and redis.* without redis', () => {
    expect(messageOf(v1('env: { set: { DATABASE_URL: "{db.url}" } }'))).toBe(
      'treemux.yaml:2:30: env.set.DATABASE_URL: placeholder {db.url} has no value: no database is configured (known: project, agent, branch, base, index, worktree)',
    );
    expect(messageOf(v1('setup: ["redis-cli -n {redis.db} flushdb"]'))).toBe(
      'treemux.yaml:2:23: setup[0]: placeholder {redis.db} has no value: no redis is configured (known: project, agent, branch, base, index, worktree)',
    );
  });

  it('checks agent commands and args, and merge.test', () => {
    expect(messageOf(v1('agent: { args: ["--port", "{port.web}"] }'))).toMatch(/^treemux\.yaml:2:28: agent\.args\[1\]: unknown placeholder \{port\.web\}/);
    expect(messageOf(v1('agents:\n  - name: a\n    command: "./run-{agnt}"'))).toMatch(/^treemux\.yaml:4:21: agents\[0\]\.command: unknown placeholder \{agnt\}/);
    expect(messageOf(v1('merge: { test: "npm test -- {shard}" }'))).toMatch(/^treemux\.yaml:2:29: merge\.test: unknown placeholder \{shard\}/);
  });

  it('points inside block scalars too', () => {
    expect(messageOf(v1('setup:\n  - |\n    echo one\n    echo {two}\n'))).toMatch(/^treemux\.yaml:5:10: setup\[0\]: unknown placeholder \{two\}/);
  });
});

describe('loadLayout', () => {
  it('says how to make a missing file', async () => {
    await expect(loadLayout('no/such/treemux.yaml')).rejects.toThrow(
      new LayoutError('no/such/treemux.yaml', `not found (run \`${treemuxLine(['init'])}\` to write one)`),
    );
    await expect(loadLayout('no/such/treemux.yaml')).rejects.toThrow(`no/such/treemux.yaml: not found (run \`${treemuxLine(['init'])}\` to write one)`);
  });

  it('reads a file and names it in errors as given', async () => {
    expect((await loadLayout(join(FIXTURES, 'minimal.yaml'))).agents[0]?.name).toBe('auth');
    const dir = mkdtempSync(join(tmpdir(), 'treemux-layout-'));
    writeFileSync(join(dir, 'treemux.yaml'), 'version: 1\nagents:\n  - name: X\n');
    await expect(loadLayout(join(dir, 'treemux.yaml'))).rejects.toThrow(`${join(dir, 'treemux.yaml')}:3:11: agents[0].name: must match [a-z0-9][a-z0-9-]*`);
  });

  it('refuses a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'treemux-layout-'));
    mkdirSync(join(dir, 'treemux.yaml'));
    await expect(loadLayout(join(dir, 'treemux.yaml'))).rejects.toThrow('is a directory, not a layout file');
  });
});

describe('the sidebar', () => {
  it('true gives the default width, { width: N } its own, false or absent none', () => {
    const width = (body: string) => sidebarWidth(parseLayout(v1(body), 'f').sidebar);
    expect(width('')).toBeNull();
    expect(width('sidebar: false')).toBeNull();
    expect(width('sidebar: true')).toBe(SIDEBAR_WIDTH);
    expect(width('sidebar: {}')).toBe(SIDEBAR_WIDTH);
    expect(width('sidebar: { width: 40 }')).toBe(40);
  });
});
