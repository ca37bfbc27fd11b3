// Benchmark: the conflict radar (`treemux conflicts`) against what a person or a naive tool does to
// find out whether two branches would conflict: a scratch clone, a checkout and a trial merge.
//
// Run from the repository root (Node 20 cannot run TypeScript directly, so this file and the modules
// it imports are compiled into dist/.bench, run, and removed again):
//
//   npm run bench:conflicts
//
// which is `tsc --target es2022 --module nodenext … --outDir dist/.bench bench/conflicts.ts
// && node dist/.bench/bench/conflicts.js; rm -rf dist/.bench`.
//
// Environment: TREEMUX_BENCH_DIR              where the temp dir goes (default: the OS temp dir)
//              TREEMUX_BENCH_FILES            files in the repository (default 5000)
//              TREEMUX_BENCH_BASELINE_RUNS    most runs of the baseline (default 3)
//              TREEMUX_BENCH_BUDGET_S         wall-clock budget in seconds (default 210): no further
//                                             baseline run is started when it would end past it
//
// All in one run, in one temp dir, with a private git config (GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM;
// the user's is never read):
//   1. a repository of 5,000 small, seeded source files in nested directories, one commit on main,
//      packed (`git gc`) like a real clone;
//   2. 10 agents, as treemux makes them: `git worktree add -b feature/aN ../wt-aN main`, each committing
//      edits to 20 files (two commits) plus a new file. Deliberate overlaps: 3 pairs edit the same lines
//      of a file (real conflicts), 6 pairs edit the same file at lines far apart (clean overlaps); then
//      one commit on main edits two files agents also changed (the same lines as a4, other lines than a9);
//   3. treemux: `predictMerge` (`git merge-tree --write-tree`: no checkout, no worktree touched) for all 45 pairs and the
//      10 agent-vs-main checks, after resolving the 11 commit ids, cold (empty cache, 3 runs) and warm
//      (the commit-pair cache of conflictRadar, 3 runs); and, for what `treemux conflicts` does end to
//      end, `conflictRadar` itself (changed-file lists, the overlap prefilter, aheadCount), cold (a new
//      MergePredictions, so an empty cache) and warm (the same one again), 3 runs each;
//   4. baseline, per check: `git clone -q --no-checkout`, `git checkout -q A`, `git merge --no-commit
//      --no-ff B`, read the unmerged files, remove the clone — for the same 55 checks, 1–3 runs as the
//      budget allows.
// It checks that every method gives the same verdicts (and conflicted files) as the baseline and the
// design, prints the machine facts and markdown tables, and removes the temp dir at the end, on failure
// and on Ctrl-C. Exit code 1 when verdicts disagree.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Ctx } from '../src/project/context.js';
import type { AgentView } from '../src/agents/inventory.js';
import { conflictRadar, MergePredictions } from '../src/agents/review/conflicts.js';
import { commitOf, predictMerge } from '../src/git/merge.js';
import { prng } from './lib.js';

const FILES = Number(process.env.TREEMUX_BENCH_FILES ?? 5000);
const AGENTS = 10;
const EDITS_PER_AGENT = 20;
const RUNS = 3;
const BASELINE_MAX = Math.max(1, Number(process.env.TREEMUX_BENCH_BASELINE_RUNS ?? 3));
const BUDGET_S = Number(process.env.TREEMUX_BENCH_BUDGET_S ?? 210);
const BASE = process.env.TREEMUX_BENCH_DIR ?? os.tmpdir();

const started = performance.now();
const elapsedS = () => (performance.now() - started) / 1000;
const log = (msg: string) => process.stderr.write(`[${elapsedS().toFixed(0).padStart(3)} s] ${msg}\n`);

// ---------------------------------------------------------------------------------------------------
// Temp dir and cleanup (synchronous, so it also runs from 'exit' and signal handlers)

let tempRoot: string | undefined;
function cleanup(): void {
  if (!tempRoot) return;
  const dir = tempRoot;
  tempRoot = undefined;
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    process.stderr.write(`cleanup of ${dir}: ${(err as Error).message}\n`);
  }
}
process.on('exit', cleanup);
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(sig, () => {
    cleanup();
    process.exit(code);
  });
}

/** A private git world: config file of our own, fixed identity and dates, nothing from the user's. */
function privateGit(root: string): void {
  const config = path.join(root, 'gitconfig');
  writeFileSync(
    config,
    [
      '[user]',
      '\tname = treemux bench',
      '\temail = bench@treemux.invalid',
      '[init]',
      '\tdefaultBranch = main',
      '[gc]',
      '\tauto = 0', // no background gc in the middle of a timing
      '[maintenance]',
      '\tauto = false',
      '[advice]',
      '\tdetachedHead = false',
      '',
    ].join('\n'),
  );
  for (const v of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_CEILING_DIRECTORIES']) {
    delete process.env[v];
  }
  Object.assign(process.env, {
    GIT_CONFIG_GLOBAL: config,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'treemux bench',
    GIT_AUTHOR_EMAIL: 'bench@treemux.invalid',
    GIT_COMMITTER_NAME: 'treemux bench',
    GIT_COMMITTER_EMAIL: 'bench@treemux.invalid',
    GIT_AUTHOR_DATE: '2026-01-01T12:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T12:00:00Z',
    GIT_TERMINAL_PROMPT: '0',
  });
}

async function git(cwd: string, args: string[]): Promise<string> {
  const r = await execa('git', args, { cwd });
  return String(r.stdout);
}

// ---------------------------------------------------------------------------------------------------
// A deterministic repository of small source files


const WORDS = [
  'account', 'audit', 'billing', 'cache', 'cart', 'config', 'customer', 'draft', 'event', 'export', 'feed',
  'filter', 'graph', 'import', 'invoice', 'job', 'label', 'ledger', 'member', 'message', 'metric', 'order',
  'page', 'payment', 'plan', 'policy', 'price', 'profile', 'queue', 'quota', 'report', 'role', 'route',
  'schedule', 'search', 'session', 'setting', 'shipment', 'stock', 'tag', 'team', 'tenant', 'ticket',
  'token', 'upload', 'user', 'vendor', 'webhook', 'widget', 'workflow',
];
const KINDS = ['service', 'store', 'handler', 'mapper', 'client', 'schema', 'utils', 'view', 'hooks', 'types'];
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

interface RepoStats {
  files: number;
  dirs: number;
  bytes: number;
  lines: number;
}

/** TypeScript-like source: imports, an interface, functions with small bodies. Every name is unique to
 * the file, so diffs align the way they do on real code. */
function tsSource(rand: () => number, rel: string, id: number): string[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const noun = pick(WORDS);
  const N = cap(noun);
  const out = [`// ${rel}: ${noun} ${pick(KINDS)} (module ${id})`, `import { z } from 'zod';`];
  const imports = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < imports; i++) out.push(`import { ${pick(WORDS)}${cap(pick(KINDS))} } from '../${pick(WORDS)}/${pick(KINDS)}.js';`);
  out.push('', `export interface ${N}Record${id} {`, '  id: string;', `  ${noun}Name: string;`, '  createdAt: Date;', `  amount${id}: number;`, '}', '');
  out.push(`export const ${noun}Schema${id} = z.object({ id: z.string(), amount: z.number().min(0) });`, '');
  const fns = 4 + Math.floor(rand() * 14);
  for (let f = 0; f < fns; f++) {
    const fn = `${pick(['load', 'save', 'build', 'check', 'format', 'parse', 'merge', 'list'])}${N}${id}x${f}`;
    out.push(`export async function ${fn}(input: ${N}Record${id}, limit = ${1 + Math.floor(rand() * 100)}): Promise<number> {`);
    const body = 2 + Math.floor(rand() * 7);
    for (let b = 0; b < body; b++) {
      const r = rand();
      if (r < 0.35) out.push(`  const v${f}_${b} = input.amount${id} * ${(rand() * 10).toFixed(2)} + limit;`);
      else if (r < 0.6) out.push(`  if (input.${noun}Name.length > ${Math.floor(rand() * 64)}) return ${b} + limit;`);
      else if (r < 0.8) out.push(`  // ${pick(WORDS)} ${pick(KINDS)}: keep step ${b} of ${fn} in sync with the ${pick(WORDS)} rules`);
      else out.push(`  await Promise.resolve(${pick(WORDS)}Step${id}_${f}_${b});`);
    }
    out.push(`  return input.amount${id} + ${f};`, '}', '');
  }
  return out;
}

const TOP = ['packages', 'apps', 'services', 'libs'];

/** 5,000 files under {packages,apps,services,libs}/<pkg>/src/<area>/… (mostly .ts, some .tsx/.test.ts/.md/.css). */
function buildRepo(root: string, count: number): { stats: RepoStats; candidates: string[] } {
  const rand = prng(20260101);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const stats: RepoStats = { files: 0, dirs: 0, bytes: 0, lines: 0 };
  const dirs = new Set<string>();
  const candidates: string[] = []; // .ts files long enough for edits at the top, middle and bottom
  const write = (rel: string, lines: string[]) => {
    const abs = path.join(root, rel);
    const dir = path.dirname(abs);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    const text = `${lines.join('\n')}\n`;
    writeFileSync(abs, text);
    stats.files += 1;
    stats.bytes += Buffer.byteLength(text);
    stats.lines += lines.length;
  };
  write('package.json', ['{', '  "name": "bench-monorepo",', '  "private": true,', '  "workspaces": ["packages/*", "apps/*", "services/*", "libs/*"]', '}']);
  write('README.md', ['# bench-monorepo', '', 'A generated repository for the treemux conflicts benchmark.']);
  let id = 0;
  while (stats.files < count) {
    const pkg = `${pick(TOP)}/${pick(WORDS)}-${pick(KINDS)}`;
    const pkgFiles = 20 + Math.floor(rand() * 60);
    if (!dirs.has(path.join(root, pkg))) write(`${pkg}/package.json`, ['{', `  "name": "@bench/${path.basename(pkg)}",`, '  "version": "1.0.0",', '  "type": "module"', '}']);
    // a handful of directories per package, some nested: about 10 files per directory, as in real code
    const subdirs = [''];
    const nSub = 2 + Math.floor(rand() * 6);
    for (let k = 0; k < nSub; k++) {
      const parent = pick(subdirs);
      subdirs.push(parent ? `${parent}/${pick(WORDS)}` : pick([...WORDS, ...KINDS]));
    }
    for (let i = 0; i < pkgFiles && stats.files < count; i++) {
      id += 1;
      const sub = pick(subdirs);
      const dir = sub ? `${pkg}/src/${sub}` : `${pkg}/src`;
      const r = rand();
      const base = `${pick(WORDS)}-${pick(KINDS)}-${id}`;
      if (r < 0.8) {
        const rel = `${dir}/${base}.ts`;
        const lines = tsSource(rand, rel, id);
        write(rel, lines);
        if (lines.length >= 60) candidates.push(rel);
      } else if (r < 0.88) {
        const rel = `${dir}/${base}.tsx`;
        const lines = tsSource(rand, rel, id);
        lines.push(`export function ${cap(pick(WORDS))}View${id}() {`, `  return <div className="${base}">{${id}}</div>;`, '}');
        write(rel, lines);
      } else if (r < 0.93) {
        write(`${dir}/${base}.test.ts`, [`import { describe, it, expect } from 'vitest';`, '', `describe('${base}', () => {`, ...Array.from({ length: 3 + Math.floor(rand() * 8) }, (_, k) => `  it('case ${k}', () => expect(${k} + ${id}).toBe(${k + id}));`), '});']);
      } else if (r < 0.97) {
        write(`${dir}/${base}.md`, [`# ${base}`, '', ...Array.from({ length: 4 + Math.floor(rand() * 20) }, () => `The ${pick(WORDS)} ${pick(KINDS)} talks to the ${pick(WORDS)} ${pick(KINDS)} through a queue.`)]);
      } else {
        write(`${dir}/${base}.css`, Array.from({ length: 4 + Math.floor(rand() * 20) }, (_, k) => `.${base}-${k} { margin: ${k}px; color: #${Math.floor(rand() * 0xffffff).toString(16).padStart(6, '0')}; }`));
      }
    }
  }
  stats.dirs = dirs.size;
  return { stats, candidates };
}

// ---------------------------------------------------------------------------------------------------
// The agents' work: which files each one edits, and where

type Region = 'top' | 'middle' | 'bottom';
interface Edit {
  file: string;
  region: Region;
}

/** Edits 3 lines at the region (each gets a trailing note) and inserts one line after them. */
function editFile(worktree: string, rel: string, region: Region, tag: string): void {
  const abs = path.join(worktree, rel);
  const lines = readFileSync(abs, 'utf8').split('\n');
  const n = lines.length;
  const at = region === 'top' ? 10 : region === 'middle' ? Math.floor(n / 2) : n - 14;
  for (let k = 0; k < 3; k++) lines[at + k] = `${lines[at + k]} // ${tag}: reviewed step ${k}`;
  lines.splice(at + 3, 0, `  // ${tag}: note added at line ${at + 4}`);
  writeFileSync(abs, lines.join('\n'));
}

const agentName = (i: number) => `a${i}`;
const pairKey = (a: string, b: string) => `${a} × ${b}`;
const baseKey = (a: string) => `main ← ${a}`;

interface Scenario {
  edits: Map<string, Edit[]>;
  mainEdits: Edit[];
  /** designed verdicts: check key → conflicted files (empty: clean) */
  expected: Map<string, string[]>;
  overlaps: Array<{ a: string; b: string; file: string; kind: 'conflict' | 'clean' }>;
  mainNotes: string[];
}

function scenario(candidates: string[]): Scenario {
  const rand = prng(7);
  const pool = [...candidates];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const take = () => {
    const f = pool.pop();
    if (!f) throw new Error('not enough long .ts files for the edits: raise TREEMUX_BENCH_FILES');
    return f;
  };
  const edits = new Map<string, Edit[]>();
  for (let i = 1; i <= AGENTS; i++) edits.set(agentName(i), []);
  const add = (agent: string, file: string, region: Region) => edits.get(agent)!.push({ file, region });
  const overlaps: Scenario['overlaps'] = [];
  // same lines: real conflicts
  for (const [a, b] of [['a1', 'a2'], ['a3', 'a7'], ['a5', 'a6']] as const) {
    const f = take();
    add(a, f, 'top');
    add(b, f, 'top');
    overlaps.push({ a, b, file: f, kind: 'conflict' });
  }
  // same file, lines far apart: clean overlaps (a3 × a7 has one of each)
  for (const [a, b] of [['a1', 'a4'], ['a2', 'a8'], ['a8', 'a9'], ['a9', 'a10'], ['a6', 'a10'], ['a3', 'a7']] as const) {
    const f = take();
    add(a, f, 'top');
    add(b, f, 'bottom');
    overlaps.push({ a, b, file: f, kind: 'clean' });
  }
  // main moves: the same lines as a4 changed in one file, other lines than a9 changed in another
  const m1 = take();
  const m2 = take();
  add('a4', m1, 'middle');
  add('a9', m2, 'top');
  const mainEdits: Edit[] = [
    { file: m1, region: 'middle' },
    { file: m2, region: 'bottom' },
  ];
  // the rest: files nobody else touches
  for (const list of edits.values()) while (list.length < EDITS_PER_AGENT) list.push({ file: take(), region: (['top', 'middle', 'bottom'] as const)[Math.floor(rand() * 3)]! });

  const expected = new Map<string, string[]>();
  for (let i = 1; i <= AGENTS; i++) for (let j = i + 1; j <= AGENTS; j++) expected.set(pairKey(agentName(i), agentName(j)), []);
  for (const o of overlaps) if (o.kind === 'conflict') expected.set(pairKey(o.a, o.b), [o.file]);
  for (let i = 1; i <= AGENTS; i++) expected.set(baseKey(agentName(i)), []);
  expected.set(baseKey('a4'), [m1]);
  return {
    edits,
    mainEdits,
    expected,
    overlaps,
    mainNotes: [`\`${m1}\`: the same lines as a4 (conflict)`, `\`${m2}\`: other lines than a9 (clean)`],
  };
}

// ---------------------------------------------------------------------------------------------------
// The checks

interface Check {
  key: string;
  /** `a` is checked out (or is the first side), `b` merged into it */
  a: string;
  b: string;
}

interface Verdict {
  conflict: boolean;
  files: string[];
}
type Verdicts = Map<string, Verdict>;

function checks(): Check[] {
  const out: Check[] = [];
  for (let i = 1; i <= AGENTS; i++) {
    for (let j = i + 1; j <= AGENTS; j++) {
      const [a, b] = [agentName(i), agentName(j)];
      out.push({ key: pairKey(a, b), a: `feature/${a}`, b: `feature/${b}` });
    }
  }
  for (let i = 1; i <= AGENTS; i++) out.push({ key: baseKey(agentName(i)), a: 'main', b: `feature/${agentName(i)}` });
  return out;
}

type Cache = Map<string, { conflict: boolean; conflicts: string[] }>;

/**
 * treemux's radar on the 55 checks: resolve the commit ids (the cache key), then for each check the
 * commit-pair cache exactly as conflictRadar's `predict` does it, `predictMerge` on a miss.
 */
async function treemuxRadar(root: string, list: Check[], cache: Cache): Promise<{ verdicts: Verdicts; computed: number }> {
  const refs = [...new Set(list.flatMap((c) => [c.a, c.b]))];
  const heads = new Map<string, string>();
  for (const ref of refs) heads.set(ref, await commitOf(root, ref));
  const verdicts: Verdicts = new Map();
  let computed = 0;
  for (const c of list) {
    const [a, b] = [heads.get(c.a)!, heads.get(c.b)!];
    const key = [a, b].sort().join(':');
    let hit = cache.get(key);
    if (!hit) {
      const p = await predictMerge(root, a, b);
      hit = { conflict: !p.clean, conflicts: p.conflicts };
      cache.set(key, hit);
      computed += 1;
    }
    verdicts.set(c.key, { conflict: hit.conflict, files: [...hit.conflicts].sort() });
  }
  return { verdicts, computed };
}


/** `conflictRadar` as `treemux conflicts` calls it, with the minimal context it reads. */
async function fullRadar(predictions: MergePredictions, root: string, worktrees: Map<string, string>): Promise<{ verdicts: Verdicts; overlapping: number }> {
  const ctx = { repo: { root } } as unknown as Ctx;
  const agents = [...worktrees].map(
    ([name, wt]) => ({ name, spec: { branch: `feature/${name}`, base: 'main', scope: [], avoid: [] }, inLayout: true, worktree: { path: wt }, status: 'idle' }) as unknown as AgentView,
  );
  const { pairs, bases } = await conflictRadar(ctx, agents, predictions);
  const verdicts: Verdicts = new Map();
  for (const p of pairs) verdicts.set(pairKey(p.a, p.b), { conflict: p.conflict, files: [...p.conflicts].sort() });
  for (const b of bases) verdicts.set(baseKey(b.name), { conflict: b.conflict, files: [...b.conflicts].sort() });
  return { verdicts, overlapping: pairs.filter((p) => p.overlap.length > 0).length };
}

interface Steps {
  clone: number;
  checkout: number;
  merge: number;
  remove: number;
}

/** The baseline for one check: scratch clone, checkout A, trial merge of B, note the unmerged files,
 * throw the clone away. */
async function naiveCheck(origin: string, scratch: string, c: Check, steps: Steps): Promise<Verdict> {
  const dir = path.join(scratch, 'clone');
  let t = performance.now();
  const lap = (k: keyof Steps) => {
    const now = performance.now();
    steps[k] += now - t;
    t = now;
  };
  await execa('git', ['clone', '-q', '--no-checkout', origin, dir]);
  lap('clone');
  await execa('git', ['checkout', '-q', c.a], { cwd: dir });
  lap('checkout');
  const r = await execa('git', ['merge', '--no-commit', '--no-ff', '-q', `origin/${c.b}`], { cwd: dir, reject: false });
  const unmerged = await execa('git', ['diff', '--name-only', '--diff-filter=U', '-z'], { cwd: dir });
  lap('merge');
  const files = String(unmerged.stdout).split('\0').filter(Boolean).sort();
  if (r.exitCode !== 0 && files.length === 0) throw new Error(`git merge ${c.b} into ${c.a} failed: ${String(r.stderr).trim().split('\n')[0]}`);
  rmSync(dir, { recursive: true, force: true });
  lap('remove');
  return { conflict: r.exitCode !== 0, files };
}

/**
 * The order the baseline goes through the checks: every check with something to find first (the pairs
 * with common files, agent-vs-main), then the other pairs, shuffled: a run cut short by the budget still
 * covers every kind of check and a spread of agents.
 */
function baselineOrder(list: Check[], sc: Scenario): { order: Check[]; first: number } {
  const overlapping = new Set(sc.overlaps.map((o) => pairKey(o.a, o.b)));
  const first = list.filter((c) => overlapping.has(c.key) || c.a === 'main');
  const rest = list.filter((c) => !first.includes(c));
  const rand = prng(11);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  return { order: [...first, ...rest], first: first.length };
}

/** Differences between two verdict sets over `want`'s checks (or `keys`), as readable lines. */
function disagreements(label: string, got: Verdicts, want: Verdicts, keys: Iterable<string> = want.keys()): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const w = want.get(key)!;
    const g = got.get(key);
    if (!g) out.push(`${label}: ${key} missing`);
    else if (g.conflict !== w.conflict || g.files.join('\n') !== w.files.join('\n')) {
      out.push(`${label}: ${key}: ${g.conflict ? `conflict (${g.files.join(', ')})` : 'clean'} vs ${w.conflict ? `conflict (${w.files.join(', ')})` : 'clean'}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Output

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmtMs = (ms: number) => (ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtRatio = (r: number) => (r >= 100 ? Math.round(r).toLocaleString('en-US') : r >= 10 ? r.toFixed(0) : r.toFixed(1));

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  tempRoot = mkdtempSync(path.join(BASE, 'treemux-bench-conflicts-'));
  const tmp = tempRoot;
  privateGit(tmp);
  const repo = path.join(tmp, 'repo');
  const scratch = path.join(tmp, 'scratch');
  mkdirSync(repo);
  mkdirSync(scratch);

  // 1. the repository
  log(`writing ${FILES} files into ${repo} …`);
  const { stats, candidates } = buildRepo(repo, FILES);
  await git(repo, ['init', '-q', '-b', 'main']);
  await git(repo, ['add', '-A']);
  await git(repo, ['commit', '-q', '-m', 'Initial commit']);
  await git(repo, ['gc', '-q']);
  const sc = scenario(candidates);

  // 2. the agents, as treemux makes them
  log(`making ${AGENTS} agent worktrees, ${EDITS_PER_AGENT} edited files each …`);
  const worktrees = new Map<string, string>();
  const tWorktrees = performance.now();
  for (let i = 1; i <= AGENTS; i++) {
    const name = agentName(i);
    await git(repo, ['worktree', 'add', '-q', '-b', `feature/${name}`, `../wt-${name}`, 'main']);
    worktrees.set(name, path.join(tmp, `wt-${name}`));
  }
  const worktreeMs = performance.now() - tWorktrees;
  for (const [name, wt] of worktrees) {
    const list = sc.edits.get(name)!;
    const half = Math.ceil(list.length / 2);
    for (const e of list.slice(0, half)) editFile(wt, e.file, e.region, name);
    await git(wt, ['commit', '-q', '-a', '-m', `${name}: first part`]);
    for (const e of list.slice(half)) editFile(wt, e.file, e.region, name);
    const added = `packages/${name}-feature/src/${name}-feature.ts`;
    mkdirSync(path.dirname(path.join(wt, added)), { recursive: true });
    writeFileSync(path.join(wt, added), `// ${added}\nexport const ${name}Feature = true;\n`);
    await git(wt, ['add', '-A']);
    await git(wt, ['commit', '-q', '-m', `${name}: second part`]);
  }
  for (const e of sc.mainEdits) editFile(repo, e.file, e.region, 'main');
  await git(repo, ['commit', '-q', '-a', '-m', 'main moves on']);
  const list = checks();
  const n = list.length;

  // 3. treemux
  log(`treemux: predictMerge for ${list.length} checks, cold and warm, ${RUNS} runs each …`);
  const cold: number[] = [];
  const warm: number[] = [];
  const results: Array<{ label: string; verdicts: Verdicts }> = [];
  let coldComputed = 0;
  let warmComputed = 0;
  for (let r = 0; r < RUNS; r++) {
    const cache: Cache = new Map();
    let t = performance.now();
    const c = await treemuxRadar(repo, list, cache);
    cold.push(performance.now() - t);
    coldComputed = c.computed;
    results.push({ label: `treemux cold, run ${r + 1}`, verdicts: c.verdicts });
    t = performance.now();
    const w = await treemuxRadar(repo, list, cache);
    warm.push(performance.now() - t);
    warmComputed = w.computed;
    results.push({ label: `treemux warm, run ${r + 1}`, verdicts: w.verdicts });
  }

  log(`treemux: conflictRadar end to end, cold and warm, ${RUNS} runs each …`);
  const radarCold: number[] = [];
  const radarWarm: number[] = [];
  let overlapping = 0;
  for (let r = 0; r < RUNS; r++) {
    // a new prediction cache: empty (cold); the second run reuses it (warm)
    const predictions = new MergePredictions();
    let t = performance.now();
    const c = await fullRadar(predictions, repo, worktrees);
    radarCold.push(performance.now() - t);
    overlapping = c.overlapping;
    results.push({ label: `conflictRadar cold, run ${r + 1}`, verdicts: c.verdicts });
    t = performance.now();
    const w = await fullRadar(predictions, repo, worktrees);
    radarWarm.push(performance.now() - t);
    results.push({ label: `conflictRadar warm, run ${r + 1}`, verdicts: w.verdicts });
  }

  // 4. baseline: full runs while the budget allows; the first run always does the checks with
  // something to find (and two more), then stops early when the next check would end past the budget
  const { order, first } = baselineOrder(list, sc);
  const minChecks = first + 2;
  const runs: Array<{ verdicts: Verdicts; ms: number[]; totalMs: number; complete: boolean }> = [];
  const perCheck: number[] = [];
  const steps: Steps = { clone: 0, checkout: 0, merge: 0, remove: 0 };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  let stopReason = '';
  baseline: for (let r = 0; r < BASELINE_MAX; r++) {
    if (r > 0 && BUDGET_S > 0 && elapsedS() + (mean(perCheck) * n) / 1000 > BUDGET_S) {
      stopReason = `${r} of ${BASELINE_MAX} runs: another (~${((mean(perCheck) * n) / 1000).toFixed(0)} s) would end past the ${BUDGET_S} s budget`;
      break;
    }
    log(`baseline run ${r + 1}: scratch clone + checkout + merge --no-commit, ${n} checks …`);
    const run = { verdicts: new Map() as Verdicts, ms: [] as number[], totalMs: 0, complete: false };
    runs.push(run);
    const t0 = performance.now();
    for (const [i, c] of order.entries()) {
      if (BUDGET_S > 0 && i >= minChecks && elapsedS() + (1.5 * mean(perCheck)) / 1000 > BUDGET_S) {
        run.totalMs = performance.now() - t0;
        stopReason = `run ${r + 1} stopped after ${i} of ${n} checks at the ${BUDGET_S} s budget`;
        break baseline;
      }
      const t = performance.now();
      run.verdicts.set(c.key, await naiveCheck(repo, scratch, c, steps));
      const ms = performance.now() - t;
      run.ms.push(ms);
      perCheck.push(ms);
      if ((i + 1) % 10 === 0) log(`  ${i + 1}/${n} checks, ${fmtMs(mean(run.ms))} ms each so far`);
    }
    run.totalMs = performance.now() - t0;
    run.complete = true;
  }
  for (const [r, run] of runs.entries()) results.push({ label: `baseline, run ${r + 1}`, verdicts: run.verdicts });
  const baselineVerdicts = runs[0]!.verdicts;
  const covered = [...baselineVerdicts.keys()];

  // verdicts: the baseline against the design on what it covered; every treemux result against the
  // baseline on those checks and against the design on all of them
  const expected: Verdicts = new Map([...sc.expected].map(([k, files]) => [k, { conflict: files.length > 0, files: [...files].sort() }]));
  const problems = [
    ...disagreements('baseline vs design', baselineVerdicts, expected, covered),
    ...results.flatMap((r) => disagreements(`${r.label} vs baseline`, r.verdicts, baselineVerdicts, covered.filter((k) => r.verdicts.has(k) || !r.label.startsWith('baseline')))),
    ...results.filter((r) => !r.label.startsWith('baseline')).flatMap((r) => disagreements(`${r.label} vs design`, r.verdicts, expected)),
  ];
  const conflicting = [...(results[0]!.verdicts)].filter(([, v]) => v.conflict);

  // facts
  const fsType = sh('df', ['-T', tmp]).split('\n')[1]?.split(/\s+/)[1] ?? '?';
  const cpus = os.cpus();
  const objects = sh('git', ['-C', repo, 'count-objects', '-v']);
  const packKb = /size-pack: (\d+)/.exec(objects)?.[1] ?? '?';
  const looseCount = /count: (\d+)/.exec(objects)?.[1] ?? '?';
  const facts = [
    `- date: ${new Date().toISOString().slice(0, 10)}`,
    `- machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `- temp dir: ${BASE} — filesystem \`${fsType}\` (df -T), mounted \`${sh('findmnt', ['-no', 'OPTIONS', '-T', tmp])}\``,
    `- load average when done: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (the machine is shared)`,
    `- ${sh('git', ['--version'])}, node ${process.version}`,
  ];

  // the baseline's time for all n checks: the median of its complete runs, else extrapolated from the
  // checks it did (mean per check × n)
  const complete = runs.filter((r) => r.complete);
  const medBase = complete.length ? median(complete.map((r) => r.totalMs)) : mean(perCheck) * n;
  const row = (label: string, ms: number[], note: string) => {
    const m = median(ms);
    return `| ${label} | ${ms.map(fmtMs).join(', ')} | ${fmtMs(m)} | ${fmtMs(m / n)} | ${fmtRatio(medBase / m)}× | ${note} |`;
  };
  const stepsPerCheck = (k: keyof Steps) => fmtMs(steps[k] / perCheck.length);
  const baseRuns = runs.map((r) => (r.complete ? fmtMs(r.totalMs) : `cut at ${r.ms.length}/${n} checks: ${fmtMs(r.totalMs)}`)).join(', ');
  const baseMedian = complete.length ? fmtMs(medBase) : `≈ ${fmtMs(medBase)} (extrapolated: mean per check × ${n})`;
  const sortedChecks = [...perCheck].sort((a, b) => a - b);
  const out: string[] = [];
  out.push('### Machine', '', ...facts, '');
  out.push(
    '### Repository',
    '',
    `- ${stats.files.toLocaleString('en-US')} files in ${stats.dirs.toLocaleString('en-US')} directories, ${(stats.bytes / 2 ** 20).toFixed(1)} MB, ${stats.lines.toLocaleString('en-US')} lines; one commit on main, then \`git gc\` (pack: ${packKb} KB; ${looseCount} loose objects at the end: the agents' and main's commits, and the trees and blobs merge-tree wrote)`,
    `- ${AGENTS} agents (\`git worktree add -b feature/aN ../wt-aN main\`, ${fmtMs(worktreeMs / AGENTS)} ms each), each with 2 commits editing ${EDITS_PER_AGENT} files and adding one`,
    `- overlaps: ${sc.overlaps.map((o) => `${o.a} × ${o.b} ${o.kind === 'conflict' ? 'same lines' : 'other lines'}`).join('; ')}`,
    `- main's extra commit: ${sc.mainNotes.join('; ')}`,
    '',
  );
  out.push(
    `### ${n} checks (${n - AGENTS} pairs + ${AGENTS} agent-vs-main)`,
    '',
    '| method | runs (ms) | median ms | ms per check | baseline / this | what it runs |',
    '| --- | --- | ---: | ---: | ---: | --- |',
    row('treemux `predictMerge`, cold cache', cold, `${new Set(list.flatMap((c) => [c.a, c.b])).size} \`rev-parse\` + ${coldComputed} \`git merge-tree --write-tree\``),
    row('treemux, warm cache (commit-pair cache hit)', warm, `${new Set(list.flatMap((c) => [c.a, c.b])).size} \`rev-parse\` + ${n - warmComputed} cache hits`),
    row('treemux `conflictRadar` end to end, cold', radarCold, `per agent: rev-parse, \`diff --name-only\` + \`status\`, rev-list; merge-tree only for the ${overlapping} pairs with common files + ${AGENTS} vs main`),
    row('treemux `conflictRadar` end to end, warm', radarWarm, 'the same git reads, no merge-tree'),
    `| baseline: scratch clone + checkout + \`merge --no-commit\` | ${baseRuns} | ${baseMedian} | ${fmtMs(medBase / n)} | 1 | per check: \`clone -q --no-checkout\` ${stepsPerCheck('clone')} ms, \`checkout\` ${stepsPerCheck('checkout')} ms, \`merge\` + \`diff --diff-filter=U\` ${stepsPerCheck('merge')} ms, \`rm -rf\` ${stepsPerCheck('remove')} ms |`,
    '',
    `Baseline, one check (${perCheck.length} measured): median ${fmtMs(median(perCheck))} ms, min ${fmtMs(sortedChecks[0]!)}, max ${fmtMs(sortedChecks[sortedChecks.length - 1]!)}; treemux cold: ${fmtMs(median(cold) / n)} ms (with the 11 \`rev-parse\` spread over the checks).`,
    '',
  );
  if (stopReason) out.push(`Baseline: ${stopReason}${BUDGET_S > 0 ? ' (TREEMUX_BENCH_BUDGET_S=0 lifts the budget)' : ''}.`, '');
  out.push(
    '### Verdicts',
    '',
    `Conflicts (${conflicting.length} of ${n}): ${conflicting.map(([k, v]) => `${k} (\`${v.files.join('`, `')}\`)`).join('; ')}.`,
    '',
    problems.length
      ? `**Verdicts disagree** (${problems.length}):\n\n${problems.map((p) => `- ${p}`).join('\n')}`
      : `All ${results.length} result sets (treemux cold ×${RUNS}, warm ×${RUNS}, conflictRadar cold ×${RUNS}, warm ×${RUNS}, baseline ×${runs.length}) agree: the same verdict and the same conflicted files as the baseline for the ${covered.length} checks it did${covered.length < n ? ` (of ${n})` : ''}, and every treemux result as designed for all ${n}; the baseline as designed too.`,
    '',
    `(whole benchmark: ${elapsedS().toFixed(0)} s)`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return problems.length ? 1 : 0;
}

try {
  process.exitCode = await main();
} finally {
  cleanup();
}
