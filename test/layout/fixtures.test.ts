// Every fixture in test/layout/fixtures: valid ones parse, bad ones fail with this exact message.
import { describe, expect, it } from 'vitest';
import { parseLayout } from '../../src/layout/index.js';
import { fixture, layoutError } from './helpers.js';
import { treemuxLine } from '../../src/util/invocation.js';

const BAD: Record<string, string> = {
  'bad-syntax.yaml': 'treemux.yaml:6:1: invalid YAML: Missing closing "quote',
  'wrong-type.yaml': 'treemux.yaml:5:12: agents[0].scope: must be a list of strings',
  'wrong-type-number.yaml': 'treemux.yaml:2:15: max_parallel: must be a number',
  'unknown-key.yaml': 'treemux.yaml:2:1: agentz: unknown key (did you mean "agents"?)',
  'unknown-agent-key.yaml': 'treemux.yaml:4:5: agents[0].dependson: unknown key (did you mean "depends_on"?)',
  'bad-name-upper.yaml': 'treemux.yaml:4:13: agents[0].name: must match [a-z0-9][a-z0-9-]*',
  'bad-name-evil.yaml': 'treemux.yaml:3:11: agents[0].name: must match [a-z0-9][a-z0-9-]*',
  'bad-name-shell.yaml': 'treemux.yaml:3:13: agents[0].name: must match [a-z0-9][a-z0-9-]*',
  'duplicate-names.yaml': 'treemux.yaml:6:11: agents[2].name: duplicate agent name "auth" (also agents[0])',
  'unknown-placeholder.yaml':
    'treemux.yaml:9:12: env.set.PORT: unknown placeholder {port.wbe} (known: project, agent, branch, base, index, worktree, port.web, db.url, db.name, redis.prefix, redis.db)',
  'undeclared-port.yaml':
    'treemux.yaml:5:50: panes[0].command: unknown placeholder {port.api} (known: project, agent, branch, base, index, worktree, port.web)',
  'placeholder-not-allowed.yaml':
    'treemux.yaml:3:25: branch: placeholder {port.web} cannot be used here (known: project, agent, base, index)',
  'depends-cycle.yaml': 'treemux.yaml:4:18: agents[0].depends_on[0]: depends_on cycle: a -> c -> b -> a',
  'start-after-cycle.yaml': 'treemux.yaml:4:19: agents[0].start_after[0]: start_after cycle: a -> b -> a',
  'unknown-start-after.yaml': 'treemux.yaml:5:19: agents[1].start_after[0]: unknown agent "auht" (did you mean "auth"?)',
  'bad-version.yaml': 'treemux.yaml:1:10: version: must be 1 (the only layout version treemux knows)',
  'bad-database-kind.yaml':
    'treemux.yaml:3:9: database.kind: must be one of none, sqlite, postgres, mysql, command (got "mongo")',
  'empty.yaml': `treemux.yaml: the layout file is empty (it needs at least "version: 1"; \`${treemuxLine(['init'])}\` writes one)`,
  'not-mapping.yaml': 'treemux.yaml:1:1: the layout must be a mapping of keys (version: 1, agents: …), not a list',
};

describe('bad layouts', () => {
  for (const [name, message] of Object.entries(BAD)) {
    it(`${name}: ${message.slice(message.indexOf(' ') + 1, 70)}…`, () => {
      const err = layoutError(fixture(name));
      expect(err.message).toBe(message);
      expect(err.message).not.toContain('\n');
      expect(err.file).toBe('treemux.yaml');
    });
  }

  it('exposes the position and key path as fields', () => {
    const err = layoutError(fixture('bad-name-upper.yaml'));
    expect({ line: err.line, column: err.column, keyPath: err.keyPath }).toEqual({ line: 4, column: 13, keyPath: 'agents[0].name' });
  });
});

describe('valid layouts', () => {
  it('parses the full example of PRODUCT.md with every key', () => {
    const l = parseLayout(fixture('full.yaml'), 'treemux.yaml');
    expect(l.project).toBe('shop');
    expect(l.base).toBe('main');
    expect(l.agent).toEqual({ command: 'claude', args: [], kind: 'claude', mode: 'interactive' });
    expect(l.ports).toEqual({ web: 3001 });
    expect(l.database).toEqual({ kind: 'sqlite', path: 'db/dev.sqlite', seed: 'db/dev.sqlite' });
    expect(l.redis).toEqual({ prefix: '{agent}:', db: 'auto' });
    expect(l.env?.set).toEqual({
      PORT: '{port.web}',
      NEXT_PUBLIC_API_URL: 'http://localhost:{port.web}',
      DATABASE_URL: '{db.url}',
      REDIS_KEY_PREFIX: '{redis.prefix}',
      REDIS_DB: '{redis.db}',
    });
    expect(l.copy).toEqual(['node_modules']);
    expect(l.setup).toEqual(['npm install']);
    expect(l.panes).toEqual([{ name: 'dev', command: 'npm run dev' }]);
    expect(l.sidebar).toBe(true);
    expect(l.merge).toEqual({ test: 'npm test' });
    expect(l.agents).toEqual([
      {
        name: 'auth',
        task: 'Build email/password authentication.',
        scope: ['src/auth/**', 'tests/auth/**'],
        avoid: ['src/payments/**'],
        done: ['All tests in tests/auth/ pass'],
        depends_on: [],
        start_after: [],
        role: 'worker',
      },
    ]);
  });

  it('fills every default in a minimal layout', () => {
    expect(parseLayout(fixture('minimal.yaml'), 'treemux.yaml')).toEqual({
      version: 1,
      worktree: '../{project}-{agent}',
      branch: 'feature/{agent}',
      agent: { command: 'claude', args: [], mode: 'interactive' },
      max_parallel: 0,
      ports: {},
      database: { kind: 'none' },
      copy: [],
      setup: [],
      panes: [],
      sidebar: false,
      merge: {},
      scope_mode: 'deny',
      hosts: {},
      agents: [
        {
          name: 'auth',
          task: 'Build email/password authentication.',
          scope: [],
          avoid: [],
          done: [],
          depends_on: [],
          start_after: [],
          role: 'worker',
        },
      ],
    });
  });
});
