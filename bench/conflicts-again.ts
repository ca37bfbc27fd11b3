// Benchmark: `treemux conflicts` end to end, the first run (no verdicts on disk) against a second
// with nothing changed (every verdict from .git/treemux/review-cache.json), and `--version` as the
// floor of any command, in the same world and run.
//
//   npm run bench:conflicts-again    (TREEMUX_BENCH_AGENTS: agent counts, default 10;
//                                     TREEMUX_BENCH_FILES: files in the repository, default 3000;
//                                     TREEMUX_BENCH_RUNS: runs, default 5)
//
// In a private world (lib.ts makeWorld): a repository of seeded files, `up --no-attach` of N stand-in
// agents, then each agent commits edits to 20 files: neighbours share files (some on the same lines:
// conflicts, some far apart: clean overlaps), and main moves once. Each round: the cache removed, one
// `conflicts --json` (first), then one more (again), then `--version`; wall-clock medians.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchMain, benchTools, cleanupWorld, fmt, loadavg, log, makeWorld, prng, runCli } from './lib.js';

const RUNS = Number(process.env.TREEMUX_BENCH_RUNS ?? 5);
const FILES = Number(process.env.TREEMUX_BENCH_FILES ?? 3000);
const LINES = 40;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Result {
  n: number;
  first: number;
  again: number;
  version: number;
  pairs: number;
  conflicting: number;
}

const fileOf = (i: number) => `src/m${i % 50}/f${i}.ts`;

async function runN(n: number): Promise<Result> {
  const w = makeWorld(n, {
    name: 'conflicts',
    count: () => '',
    agent: (dir) => {
      copyFileSync(path.join(benchTools().root, 'test', 'fixtures', 'agent.sh'), path.join(dir, 'agent.sh'));
      return path.join(dir, 'agent.sh');
    },
  });
  try {
    const git = (cwd: string, ...args: string[]) => execFileSync(benchTools().realGit, args, { cwd, env: w.plainEnv, stdio: 'ignore' });
    const rnd = prng(7);
    for (let i = 0; i < FILES; i++) {
      mkdirSync(path.join(w.repo, path.dirname(fileOf(i))), { recursive: true });
      writeFileSync(path.join(w.repo, fileOf(i)), Array.from({ length: LINES }, (_, l) => `export const v${i}_${l} = ${Math.floor(rnd() * 1e6)};`).join('\n') + '\n');
    }
    git(w.repo, 'add', '-A');
    git(w.repo, 'commit', '-qm', 'sources');
    git(w.repo, 'gc', '-q');
    const up = await runCli(w, ['up', '--no-attach'], w.plainEnv);
    if (up.code !== 0) throw new Error(`up failed: ${up.out}`);
    const edit = (dir: string, file: string, line: number, text: string) => {
      const p = path.join(dir, file);
      const lines = readFileSync(p, 'utf8').split('\n');
      lines[line] = text;
      writeFileSync(p, lines.join('\n'));
    };
    for (let a = 1; a <= n; a++) {
      const wt = path.join(w.dir, `app-a${a}`);
      for (let j = 0; j < 20; j++) edit(wt, fileOf(((a * 100) % (FILES - 200)) + j * 7), j, `// a${a} edit ${j}`);
      // a file shared with the next agent: on the same line (a conflict) after every third agent, else far apart
      const shared = (k: number) => fileOf(FILES - 1 - k);
      edit(wt, shared(a), 1, `// a${a} shared`);
      if (a > 1) edit(wt, shared(a - 1), (a - 1) % 3 === 0 ? 1 : 30, `// a${a} shared with a${a - 1}`);
      git(wt, 'commit', '-qam', `a${a} work`);
    }
    edit(w.repo, fileOf(100), 0, '// main moved');
    git(w.repo, 'commit', '-qam', 'main moves');
    log(`N=${n}: ${FILES} files, agents committed; load ${loadavg()}`);
    const cache = path.join(w.repo, '.git', 'treemux', 'review-cache.json');
    const times = { first: [] as number[], again: [] as number[], version: [] as number[] };
    let json = '';
    let verdicts = '';
    const timed = async (args: string[]) => {
      const t0 = process.hrtime.bigint();
      const r = await runCli(w, args, w.plainEnv);
      if (r.code !== 0) throw new Error(`${args.join(' ')} failed: ${r.out}`);
      json = r.out;
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    for (let r = 0; r < RUNS; r++) {
      rmSync(cache, { force: true });
      times.first.push(await timed(['conflicts', '--json']));
      const firstOut = json;
      times.again.push(await timed(['conflicts', '--json']));
      if (json !== firstOut) throw new Error(`the second run said something else:\n${firstOut}\n${json}`);
      verdicts = json;
      times.version.push(await timed(['--version']));
    }
    const radar = JSON.parse(verdicts) as { pairs: { overlap: string[]; conflict: boolean }[] };
    return {
      n,
      first: median(times.first),
      again: median(times.again),
      version: median(times.version),
      pairs: radar.pairs.filter((p) => p.overlap.length > 0).length,
      conflicting: radar.pairs.filter((p) => p.conflict).length,
    };
  } finally {
    cleanupWorld(w);
  }
}

function report(results: Result[]): void {
  log('\n| agents | overlapping pairs (conflicting) | first (ms) | again (ms) | again ÷ first | --version (ms) |');
  log('|---:|---:|---:|---:|---:|---:|');
  for (const r of results) log(`| ${r.n} | ${r.pairs} (${r.conflicting}) | ${fmt(r.first, 0)} | ${fmt(r.again, 0)} | ${fmt(r.again / r.first, 2)} | ${fmt(r.version, 0)} |`);
}

process.env.TREEMUX_BENCH_AGENTS ??= '10';
void benchMain('conflicts again: a second run with nothing changed against the first', () => [`node ${process.version}, ${FILES} files, ${RUNS} runs each, medians`], runN, report);
