import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_KEYS, PLACEHOLDER_NAMES, expand, placeholdersIn } from '../../src/layout/index.js';

describe('placeholdersIn', () => {
  it('finds {name} placeholders once each, in order', () => {
    expect(placeholdersIn('{agent}-{port.web}/{agent}:{db.url}')).toEqual(['agent', 'port.web', 'db.url']);
  });

  it('ignores ${VAR} (shell), JSON-ish braces and empty braces', () => {
    expect(placeholdersIn('echo ${HOME} $PATH {"a": 1} { agent } {} {1x} {agent}')).toEqual(['agent']);
  });

  it('finds none in plain text', () => {
    expect(placeholdersIn('npm test')).toEqual([]);
  });
});

describe('expand', () => {
  const vars = { project: 'shop', agent: 'auth', 'port.web': '3001' };

  it('replaces every placeholder', () => {
    expect(expand('../{project}-{agent}', vars)).toBe('../shop-auth');
    expect(expand('http://localhost:{port.web}/{agent}/{agent}', vars)).toBe('http://localhost:3001/auth/auth');
  });

  it('leaves ${VAR} and other braces alone', () => {
    expect(expand('${HOME}/{agent} {"x": 1}', vars)).toBe('${HOME}/auth {"x": 1}');
  });

  it('does not expand placeholder text inside values', () => {
    expect(expand('{agent}', { agent: '{project}', project: 'x' })).toBe('{project}');
  });

  it('throws an Error that names an unknown placeholder', () => {
    expect(() => expand('{agent}-{db.url}', vars)).toThrow('unknown placeholder {db.url} in "{agent}-{db.url}" (known: project, agent, port.web)');
  });

  it('does not take names from Object.prototype', () => {
    expect(() => expand('{constructor}', {})).toThrow('unknown placeholder {constructor}');
  });
});

describe('the placeholder table', () => {
  it('lists the names of the contract', () => {
    expect(PLACEHOLDER_NAMES).toEqual([
      'project', 'agent', 'branch', 'base', 'index', 'worktree', 'port.NAME', 'db.url', 'db.name', 'redis.prefix', 'redis.db',
    ]);
  });

  it('restricts branch, worktree, redis.prefix and the database keys', () => {
    const at = (key: string) => PLACEHOLDER_KEYS.find((k) => k.key === key)?.names;
    expect(at('branch')).toEqual(['project', 'agent', 'base', 'index']);
    expect(at('worktree')).toEqual(['project', 'agent', 'branch', 'base', 'index']);
    expect(at('redis.prefix')).toEqual(['project', 'agent', 'branch', 'base', 'index']);
    for (const k of ['database.create', 'database.drop', 'database.path']) {
      expect(at(k)).toEqual(['project', 'agent', 'branch', 'base', 'index', 'worktree', 'port.NAME']);
    }
    expect(at('env.set')).toEqual(PLACEHOLDER_NAMES);
    expect(PLACEHOLDER_KEYS.map((k) => k.key)).not.toContain('agents[].task');
  });
});
