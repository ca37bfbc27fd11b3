import { describe, expect, it } from 'vitest';
import { DbError, maskUrl, plannedName, providerFor } from '../../src/db/index.js';
import { checkService } from '../helpers/services.js';

describe('maskUrl and DbError', () => {
  it('masks passwords, leaves the rest', () => {
    expect(maskUrl('postgresql://u:secret@h/db')).toBe('postgresql://u:***@h/db');
    expect(maskUrl('mysql://root:p%40ss@127.0.0.1:3306/shop_dev?ssl=true')).toBe('mysql://root:***@127.0.0.1:3306/shop_dev?ssl=true');
    expect(maskUrl('postgresql://u@h/db')).toBe('postgresql://u@h/db');
    expect(maskUrl('file:/abs/db/dev.sqlite')).toBe('file:/abs/db/dev.sqlite');
    expect(maskUrl('not a url')).toBe('not a url');
    expect(maskUrl('see postgres://a:b@h1/x and redis://:pw@h2:6379/0')).toBe('see postgres://a:***@h1/x and redis://:***@h2:6379/0');
  });

  it('DbError is one line with URLs masked', () => {
    const e = new DbError('failed:\n  at postgresql://u:secret@h/db\n  again');
    expect(e.message).toBe('failed: at postgresql://u:***@h/db again');
    expect(e.name).toBe('DbError');
  });

  it('providerFor gives null for none, a provider per kind', () => {
    expect(providerFor({ kind: 'none' })).toBeNull();
    expect(providerFor({ kind: 'sqlite', path: 'db/dev.sqlite' })?.kind).toBe('sqlite');
    expect(providerFor({ kind: 'postgres', url: 'postgresql://h/x', allow_empty: false })?.kind).toBe('postgres');
    expect(providerFor({ kind: 'mysql', url: 'mysql://h/x' })?.kind).toBe('mysql');
    expect(providerFor({ kind: 'command', create: 'x' })?.kind).toBe('command');
    expect(plannedName({ kind: 'none' }, { agent: 'a', worktree: '/w' })).toBeNull();
    expect(plannedName({ kind: 'postgres', url: 'postgresql://h:{port.pg}/shop', allow_empty: false }, { agent: 'a', worktree: '/w' })).toBe(
      'shop_a',
    );
  });
});

describe('test service helper', () => {
  it('reports a closed port as not available, with the reason', async () => {
    for (const [kind, url] of [
      ['postgres', 'postgresql://postgres@127.0.0.1:1/postgres'],
      ['mysql', 'mysql://root@127.0.0.1:1'],
      ['redis', 'redis://127.0.0.1:1'],
    ] as const) {
      expect(await checkService(kind, url)).toEqual({ available: false, url, why: 'ECONNREFUSED' });
    }
  });
});

describe('a URL without its password, and the password back from the layout', () => {
  it('removes only the password; gives it back for the same user and host only', async () => {
    const { withoutPassword, withPasswordFrom } = await import('../../src/db/url.js');
    expect(withoutPassword('postgresql://app:s3cr%40t@db:5432/shop_auth?sslmode=require')).toBe('postgresql://app@db:5432/shop_auth?sslmode=require');
    expect(withoutPassword('postgresql://app@db/shop')).toBe('postgresql://app@db/shop');
    expect(withoutPassword('mysql://root:@127.0.0.1:3306/x')).toBe('mysql://root@127.0.0.1:3306/x');
    expect(withPasswordFrom('postgresql://app@db:5432/shop_auth', 'postgresql://app:pw@db:5432/shop')).toBe('postgresql://app:pw@db:5432/shop_auth');
    expect(withPasswordFrom('postgresql://app@db:5432/shop_auth', 'postgresql://other:pw@db:5432/shop')).toBe('postgresql://app@db:5432/shop_auth');
    expect(withPasswordFrom('postgresql://app@db:5432/shop_auth', 'postgresql://app:pw@elsewhere:5432/shop')).toBe('postgresql://app@db:5432/shop_auth');
    expect(withPasswordFrom('postgresql://app:mine@db/x', 'postgresql://app:pw@db/y')).toBe('postgresql://app:mine@db/x');
  });
});
