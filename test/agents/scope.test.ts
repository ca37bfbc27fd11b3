// Scope rules: `scope` globs (when given, everything else is outside) and `avoid` globs (never).
import { describe, expect, it } from 'vitest';
import { scopeCheck, violations, type ScopeRules } from '../../src/agents/review/scope.js';

const rules = (scope: string[] = [], avoid: string[] = []): ScopeRules => ({ scope, avoid });
const why = (r: ScopeRules, file: string) => scopeCheck(r)(file);

describe('scopeCheck', () => {
  it('a directory glob matches nested files at any depth, and not a sibling with the same prefix', () => {
    const r = rules(['src/auth/**']);
    for (const f of ['src/auth/a.ts', 'src/auth/deep/er/login.ts', 'src/auth/index.ts']) expect(why(r, f)).toBeNull();
    for (const f of ['src/authx/a.ts', 'src/auth.ts', 'src/other/auth/a.ts', 'lib/src/auth/a.ts', 'auth/a.ts']) {
      expect(why(r, f)).toBe('outside scope');
    }
  });

  it('an exact file is in scope, and nothing else of the same name is', () => {
    const r = rules(['package.json', 'src/app.ts']);
    expect(why(r, 'package.json')).toBeNull();
    expect(why(r, 'src/app.ts')).toBeNull();
    for (const f of ['sub/package.json', 'package.json.bak', 'src/app.tsx', 'src/app.ts/x', 'other/src/app.ts']) {
      expect(why(r, f)).toBe('outside scope');
    }
  });

  it('an exact file whose name has glob characters (Next.js routes) matches itself', () => {
    const r = rules(['app/[slug]/page.tsx', 'src/(group)/a.ts']);
    expect(why(r, 'app/[slug]/page.tsx')).toBeNull();
    expect(why(r, 'src/(group)/a.ts')).toBeNull();
  });

  it('a single star stays within one folder', () => {
    const r = rules(['src/*.ts']);
    expect(why(r, 'src/a.ts')).toBeNull();
    expect(why(r, 'src/x/a.ts')).toBe('outside scope');
  });

  it('avoid wins over scope', () => {
    const r = rules(['src/**'], ['src/payments/**', 'src/config.ts']);
    expect(why(r, 'src/auth/a.ts')).toBeNull();
    expect(why(r, 'src/payments/stripe.ts')).toBe('in avoid');
    expect(why(r, 'src/payments/deep/x.ts')).toBe('in avoid');
    expect(why(r, 'src/config.ts')).toBe('in avoid');
    expect(why(r, 'src/paymentsx/a.ts')).toBeNull();
    // a file both outside scope and in avoid is reported as in avoid
    expect(why(rules(['src/auth/**'], ['docs/**']), 'docs/a.md')).toBe('in avoid');
  });

  it('no scope means everything is in scope; avoid still applies', () => {
    const none = rules();
    for (const f of ['a.ts', 'src/deep/x/y.ts', '.github/workflows/ci.yml', '.env.example', 'x/.hidden/y']) expect(why(none, f)).toBeNull();
    const avoidOnly = rules([], ['secrets/**']);
    expect(why(avoidOnly, 'src/a.ts')).toBeNull();
    expect(why(avoidOnly, 'secrets/key.pem')).toBe('in avoid');
  });

  it('dotfiles and dot-folders are matched like any other file', () => {
    const r = rules(['src/auth/**', '**/*.md'], ['**/.env*']);
    expect(why(r, 'src/auth/.eslintrc.json')).toBeNull();
    expect(why(r, 'src/auth/.hidden/x.ts')).toBeNull();
    expect(why(r, '.github/README.md')).toBeNull();
    expect(why(r, 'src/auth/.env')).toBe('in avoid');
    expect(why(r, '.env.local')).toBe('in avoid');
    expect(why(r, '.github/workflows/ci.yml')).toBe('outside scope');
    expect(why(rules(['**']), '.gitignore')).toBeNull();
    expect(why(rules([], ['.github/**']), '.github/workflows/ci.yml')).toBe('in avoid');
  });
});

describe('violations', () => {
  it('lists each violating file with why, in the order given', () => {
    const r = rules(['src/auth/**'], ['src/payments/**']);
    expect(violations(['src/auth/a.ts', 'src/payments/p.ts', 'README.md', 'src/authx/a.ts'], r)).toEqual([
      { file: 'src/payments/p.ts', why: 'in avoid' },
      { file: 'README.md', why: 'outside scope' },
      { file: 'src/authx/a.ts', why: 'outside scope' },
    ]);
  });

  it('is empty when every file is in scope, and with no rules at all', () => {
    expect(violations(['src/auth/a.ts', 'src/auth/b/c.ts'], rules(['src/auth/**']))).toEqual([]);
    expect(violations(['anything', '.dot', 'a/b/c'], rules())).toEqual([]);
    expect(violations([], rules(['x']))).toEqual([]);
  });

  it("never counts treemux's own files, even when scope leaves them out or avoid names them", () => {
    const own = ['CLAUDE.local.md', '.claude/settings.local.json'];
    expect(violations(own, rules(['src/auth/**']))).toEqual([]);
    expect(violations(own, rules([], ['**/*.md', '.claude/**', '**']))).toEqual([]);
    expect(violations(own, rules(['src/**'], ['**']))).toEqual([]);
  });

  it('only those exact paths are treemux\'s: an agent\'s own files of similar names still count', () => {
    const r = rules(['src/**']);
    expect(violations(['CLAUDE.md', 'docs/CLAUDE.local.md', '.claude/settings.json', '.claude/commands/x.md'], r).map((v) => v.file)).toEqual([
      'CLAUDE.md',
      'docs/CLAUDE.local.md',
      '.claude/settings.json',
      '.claude/commands/x.md',
    ]);
  });
});
