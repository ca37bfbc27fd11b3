// Merge predictions are cached by the pair of commits for as long as their holder lives (the leading
// watcher's radar); a new holder computes again. Real git in a temp repository.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MergePredictions } from '../../src/agents/review/conflicts.js';
import { isolateGitEnv, makeRepo, type TestRepo } from '../helpers/gitenv.js';

let restore: () => void;
let r: TestRepo;
let a: string;
let b: string;
beforeAll(async () => {
  restore = isolateGitEnv();
  r = await makeRepo({ files: { 'src/x.txt': 'one\n' } });
  const wa = path.join(r.tmp, 'a');
  const wb = path.join(r.tmp, 'b');
  await r.git(['worktree', 'add', '--quiet', '-b', 'feature/a', wa, 'main']);
  await r.git(['worktree', 'add', '--quiet', '-b', 'feature/b', wb, 'main']);
  a = await r.commit('a', { 'src/x.txt': 'from a\n' }, wa);
  b = await r.commit('b', { 'src/x.txt': 'from b\n' }, wb);
});
afterAll(() => {
  r?.cleanup();
  restore();
});

it('a pair is predicted once per holder, in either order; another holder predicts again', async () => {
  const predictions = new MergePredictions();
  const first = await predictions.predict(r.dir, a, b);
  expect(first).toEqual({ conflict: true, conflicts: ['src/x.txt'] });
  expect(await predictions.predict(r.dir, b, a)).toBe(first);
  const other = await new MergePredictions().predict(r.dir, a, b);
  expect(other).not.toBe(first);
  expect(other).toEqual(first);
});
