import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadLayoutCached } from '../../src/project/layoutCache.js';

let dir: string;
let common: string;
let file: string;
const cache = () => join(common, 'treemux', 'layout-cache.json');
const GOOD = 'version: 1\nproject: app\nagents:\n  - { name: one, task: t }\n';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'treemux-lc-'));
  common = join(dir, '.git');
  mkdirSync(join(common, 'treemux'), { recursive: true });
  file = join(dir, 'treemux.yaml');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('checks a layout once, then reads it from the cache while its text is the same', async () => {
  writeFileSync(file, GOOD);
  const first = await loadLayoutCached(common, 'treemux.yaml', file);
  expect(JSON.parse(readFileSync(cache(), 'utf8')).text).toBe(GOOD);
  expect(lstatSync(cache()).mode & 0o077).toBe(0);
  expect(await loadLayoutCached(common, 'treemux.yaml', file)).toEqual(first);
  writeFileSync(file, GOOD.replace('one', 'two'));
  expect((await loadLayoutCached(common, 'treemux.yaml', file)).agents[0]!.name).toBe('two');
});

it('a layout with errors fails with its error every time, and is not cached', async () => {
  writeFileSync(file, 'version: 1\nagents:\n  - { name: One, task: t }\n');
  await expect(loadLayoutCached(common, 'treemux.yaml', file)).rejects.toThrow(/treemux\.yaml:3/);
  await expect(loadLayoutCached(common, 'treemux.yaml', file)).rejects.toThrow(/treemux\.yaml:3/);
  expect(existsSync(cache())).toBe(false);
});

it('a cache of the wrong shape, for another text, or a link is not believed', async () => {
  writeFileSync(file, GOOD);
  const real = await loadLayoutCached(common, 'treemux.yaml', file);
  const c = JSON.parse(readFileSync(cache(), 'utf8'));
  writeFileSync(cache(), JSON.stringify({ ...c, layout: { agents: 'no' } }));
  expect(await loadLayoutCached(common, 'treemux.yaml', file)).toEqual(real);
  // a link planted in place of the cache: neither read nor written through
  const target = join(dir, 'elsewhere.json');
  writeFileSync(target, JSON.stringify({ ...c, layout: { ...c.layout, agents: [{ name: 'evil', task: 'x' }] } }));
  rmSync(cache());
  symlinkSync(target, cache());
  expect((await loadLayoutCached(common, 'treemux.yaml', file)).agents[0]!.name).toBe('one');
  expect(JSON.parse(readFileSync(target, 'utf8')).layout.agents[0].name).toBe('evil');
});
