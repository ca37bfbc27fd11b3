// The built-in templates of `treemux init --template NAME`: each parses and resolves.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLayout, resolveLayout } from '../../src/layout/index.js';

const LAYOUTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'layouts');
const ctx = { repoRoot: '/home/me/src/app', repoName: 'app', defaultBase: 'main' };
const load = (name: string) => parseLayout(readFileSync(join(LAYOUTS, `${name}.yaml`), 'utf8'), `${name}.yaml`);

describe('layouts/*.yaml', () => {
  const ALL = ['default', 'laravel-mysql', 'nextjs-postgres', 'node', 'postgres', 'split-and-merge'];
  it('has the templates', () => {
    expect(readdirSync(LAYOUTS).filter((f) => f.endsWith('.yaml')).sort()).toEqual(ALL.map((n) => `${n}.yaml`));
  });

  for (const name of ALL) {
    it(`${name}.yaml parses and resolves`, () => {
      const r = resolveLayout(load(name), ctx, `${name}.yaml`);
      expect(r.project).toBe('app');
      expect(r.agents.length).toBeGreaterThan(0);
      for (const a of r.agents) expect(a.worktree).toBe(`/home/me/src/app-${a.name}`);
    });
  }

  it('nextjs-postgres.yaml and laravel-mysql.yaml: a database per agent, ports in the env file', () => {
    expect(load('nextjs-postgres').database.kind).toBe('postgres');
    expect(load('nextjs-postgres').env?.set.DATABASE_URL).toBe('{db.url}');
    expect(load('laravel-mysql').database.kind).toBe('mysql');
    expect(Object.keys(load('laravel-mysql').ports)).toEqual(['web', 'vite']);
  });

  it('default.yaml: claude, two agents, no database', () => {
    const l = load('default');
    expect(l.agent.command).toBe('claude');
    expect(l.agents).toHaveLength(2);
    expect(l.database).toEqual({ kind: 'none' });
  });

  it('node.yaml: web port, .env, node_modules, npm install, sqlite, npm test', () => {
    const l = load('node');
    expect(l.ports).toEqual({ web: 3001 });
    expect(l.env).toMatchObject({ file: '.env', copy: '.env', set: { PORT: '{port.web}', DATABASE_URL: '{db.url}' } });
    expect(l.copy).toEqual(['node_modules']);
    expect(l.setup).toEqual(['npm install']);
    expect(l.database.kind).toBe('sqlite');
    expect(l.merge.test).toBe('npm test');
  });

  it('postgres.yaml: a postgres URL', () => {
    const l = load('postgres');
    expect(l.database).toMatchObject({ kind: 'postgres', url: 'postgresql://postgres@localhost:5432/app_dev' });
    expect(l.env?.set.DATABASE_URL).toBe('{db.url}');
  });

  it('split-and-merge.yaml: headless, two at once, the integration agent after the merged parts', () => {
    const l = load('split-and-merge');
    expect(l.agent.mode).toBe('headless');
    expect(l.max_parallel).toBe(2);
    expect(l.agent.args).toContain('--allowedTools');
    expect(l.agents.find((a) => a.name === 'integrate')?.start_after).toEqual(['core', 'api']);
  });
});
