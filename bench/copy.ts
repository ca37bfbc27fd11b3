// Benchmark: bringing node_modules from the main checkout into a new worktree.
//
// Run from the repository root (Node 20 cannot run TypeScript directly, so compile this file and the
// modules it imports into dist/.bench, run it, and remove it again):
//
//   npx tsc --target es2022 --module nodenext --moduleResolution nodenext --strict --esModuleInterop \
//     --skipLibCheck --types node --rootDir . --outDir dist/.bench bench/copy.ts \
//     && node dist/.bench/bench/copy.js; rm -rf dist/.bench
//
// Environment: TREEMUX_BENCH_DIR  where the temp trees go (default: the OS temp dir; pick a btrfs/XFS
//                                 mount to see reflinks)
//              TREEMUX_BENCH_MB   size of the synthetic tree (default 200)
//              TREEMUX_BENCH_NPM=0  skip the npm ci part (it needs the npm registry)
//
// It builds a deterministic node_modules-like tree, then measures, in the same run and 3 times each
// (rounds interleave the methods): treemux's copyPaths into a fresh directory, `cp -r` (the baseline),
// and treemux on a directory that is not a dependency tree (plain copy). Then, when the registry
// answers, it makes a small real project (package.json + package-lock.json, pinned dependencies), and
// measures `npm ci` against copying that real node_modules. It prints machine facts and markdown tables
// (median ms, ratio to `cp -r`, disk usage added) and removes every temp dir it made.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { copyPaths, supportsReflink } from '../src/env/copy.js';
import { prng } from './lib.js';

const RUNS = 3;
const TARGET_MB = Number(process.env.TREEMUX_BENCH_MB ?? 200);
const BASE = process.env.TREEMUX_BENCH_DIR ?? os.tmpdir();
const WANT_NPM = process.env.TREEMUX_BENCH_NPM !== '0';

/** Dependencies of the real project for the npm ci part (exact versions, install scripts not run). */
const NPM_DEPS: Record<string, string> = {
  typescript: '5.9.3',
  react: '19.3.1',
  'react-dom': '19.3.1',
  express: '5.3.0',
  lodash: '4.18.1',
  '@babel/core': '8.1.3',
  eslint: '10.15.0',
  webpack: '5.112.2',
};

const temps: string[] = [];
async function tempDir(name: string, under = BASE): Promise<string> {
  const dir = await mkdtemp(path.join(under, `treemux-bench-${name}-`));
  temps.push(dir);
  return dir;
}
async function cleanup(): Promise<void> {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
}
process.on('SIGINT', () => {
  void cleanup().finally(() => process.exit(130));
});

// ---------------------------------------------------------------------------------------------------
// A deterministic node_modules-like tree


interface TreeStats {
  files: number;
  dirs: number;
  bytes: number;
}

/**
 * Packages with package.json, index.js, README, lib/** sources (mostly 0.2–16 KB, like real packages),
 * some nested node_modules, plus a few large files (2–12 MB: bundled compilers, native binaries).
 */
async function buildTree(root: string, targetBytes: number): Promise<TreeStats> {
  const rand = prng(20240601);
  const pool = Buffer.alloc(4 << 20);
  for (let i = 0; i < pool.length; i += 4) pool.writeUInt32LE(Math.floor(rand() * 2 ** 32), i);
  const stats: TreeStats = { files: 0, dirs: 0, bytes: 0 };
  const made = new Set<string>();
  const mkdirp = async (dir: string) => {
    if (made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    made.add(dir);
    stats.dirs += 1;
  };
  const file = async (rel: string, size: number) => {
    const abs = path.join(root, rel);
    await mkdirp(path.dirname(abs));
    const head = Buffer.from(`// ${rel}\n`);
    const chunks: Buffer[] = [head];
    let left = Math.max(0, size - head.length);
    while (left > 0) {
      const n = Math.min(left, pool.length);
      const at = Math.floor(rand() * (pool.length - n + 1));
      chunks.push(pool.subarray(at, at + n));
      left -= n;
    }
    const data = Buffer.concat(chunks);
    await writeFile(abs, data);
    stats.files += 1;
    stats.bytes += data.length;
  };

  // ~40% of the bytes in a dozen large files, the rest in many small ones
  const large = Math.floor(targetBytes * 0.4);
  let largeBytes = 0;
  for (let i = 0; largeBytes < large; i += 1) {
    const size = Math.min(large - largeBytes, Math.floor((2 + rand() * 10) * 1024 * 1024));
    await file(`node_modules/big-${i}/dist/bundle-${i}.${i % 3 === 0 ? 'node' : 'js'}`, size);
    largeBytes += size;
  }
  const smallSize = () => {
    const r = rand();
    return Math.floor(r < 0.6 ? 200 + rand() * 3000 : r < 0.9 ? 3000 + rand() * 13000 : 16000 + rand() * 48000);
  };
  for (let p = 0; stats.bytes < targetBytes; p += 1) {
    const scoped = p % 7 === 0;
    const name = scoped ? `@scope-${p % 13}/pkg-${p}` : `pkg-${p}`;
    const base = `node_modules/${name}`;
    await file(`${base}/package.json`, 300 + Math.floor(rand() * 1500));
    await file(`${base}/index.js`, smallSize());
    await file(`${base}/README.md`, smallSize());
    const libFiles = 3 + Math.floor(rand() * 14);
    for (let f = 0; f < libFiles; f += 1) {
      const depth = Math.floor(rand() * 3);
      const dir = ['lib', 'cjs', 'esm'].slice(0, depth + 1).join('/');
      await file(`${base}/${dir}/m${f}.js`, smallSize());
      if (rand() < 0.5) await file(`${base}/${dir}/m${f}.d.ts`, smallSize());
    }
    if (p % 5 === 0) {
      for (let n = 0; n < 2; n += 1) {
        await file(`${base}/node_modules/dep-${p}-${n}/package.json`, 400);
        await file(`${base}/node_modules/dep-${p}-${n}/index.js`, smallSize());
      }
    }
  }
  return stats;
}

// ---------------------------------------------------------------------------------------------------
// Measuring

interface Sample {
  ms: number[];
  /** KB the target occupies counted on its own (`du -sk target`). */
  ownKb?: number;
  /** KB the target adds to the disk: `du -sk source target` in one call counts shared inodes once. */
  addedKb?: number;
  /** KB of free space the run consumed (statfs before and after, each after a sync). Sees reflink
   * sharing, which du cannot; other writers on the same filesystem add noise. */
  freeKb?: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function sync(): Promise<void> {
  await execa('sync', [], { reject: false });
}

async function du(args: string[]): Promise<number[]> {
  const { stdout } = await execa('du', ['-sk', ...args]);
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => Number(l.split('\t')[0]));
}

type Method = (source: string, target: string) => Promise<void>;
/** A method and the tree it copies (default: the source given to measure). */
type Job = Method | { source: string; run: Method };

/**
 * Runs each method RUNS times into fresh directories next to its source, rounds interleaved (the
 * order rotates each round) so a slow phase of the machine hits every method alike. Before each timed
 * run: sync and a short pause, so the previous run's writeback and discards are not charged to it.
 * du is measured on the first round.
 */
async function measure(source: string, methods: Record<string, Job>): Promise<Record<string, Sample>> {
  const out: Record<string, Sample> = {};
  const names = Object.keys(methods);
  for (const n of names) out[n] = { ms: [] };
  for (let round = 0; round < RUNS; round += 1) {
    const order = names.map((_, i) => names[(i + round) % names.length] as string);
    for (const name of order) {
      const job = methods[name] as Job;
      const { source: from, run } = typeof job === 'function' ? { source, run: job } : job;
      const sample = out[name] as Sample;
      const dest = await tempDir('dest', path.dirname(from));
      const target = path.join(dest, path.basename(from));
      await settle();
      const free0 = await freeKb(dest);
      const t0 = performance.now();
      await run(from, target);
      sample.ms.push(performance.now() - t0);
      if (round === 0) {
        await sync();
        sample.freeKb = Math.max(0, free0 - (await freeKb(dest)));
        const [own] = await du([target]);
        const both = await du([from, target]);
        sample.ownKb = own;
        sample.addedKb = both[1];
      }
      await rm(dest, { recursive: true, force: true });
    }
  }
  return out;
}

async function freeKb(dir: string): Promise<number> {
  const s = await statfs(dir);
  return (s.bavail * s.bsize) / 1024;
}

async function settle(): Promise<void> {
  await sync();
  await new Promise((r) => setTimeout(r, 1500));
  await sync();
}

/** treemux: copyPaths of the basename from the source's parent (the "main checkout") to the target's. */
const treemux: Method = async (source, target) => {
  const results = await copyPaths(path.dirname(source), path.dirname(target), [path.basename(source)]);
  lastMethod = results[0]?.method ?? '?';
};
let lastMethod = '?';
const cpR: Method = async (source, target) => {
  await execa('cp', ['-r', '--', source, target]);
};
const cpNoReflink: Method = async (source, target) => {
  await execa('cp', ['-r', '--reflink=never', '--', source, target]);
};

// ---------------------------------------------------------------------------------------------------
// Output

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const fmtMb = (kb: number | undefined) => (kb === undefined ? '–' : `${(kb / 1024).toFixed(1)} MB`);
const fmtRatio = (ms: number, base: number) => {
  const r = ms / base;
  return r >= 1 ? `${r.toFixed(2)}× (${r.toFixed(1)}× slower)` : `${r.toFixed(3)}× (${(1 / r).toFixed(1)}× faster)`;
};

function table(rows: Array<{ label: string; sample: Sample; baseline?: boolean }>, baseline: number): string {
  const lines = [
    `| method | runs (ms) | median ms | vs \`cp -r\` | disk added (du, shared inodes counted once) | free space used (statfs) | target on its own (du) |`,
    '| --- | --- | ---: | --- | ---: | ---: | ---: |',
  ];
  for (const { label, sample, baseline: isBaseline } of rows) {
    if (sample.ms.length === 0) {
      lines.push(`| ${label} | not measured | – | – | – | – | – |`);
      continue;
    }
    const m = median(sample.ms);
    lines.push(
      `| ${label} | ${sample.ms.map(fmtMs).join(', ')} | ${fmtMs(m)} | ${
        isBaseline ? '1 (baseline)' : Number.isNaN(baseline) ? '–' : fmtRatio(m, baseline)
      } | ${fmtMb(sample.addedKb)} | ${fmtMb(sample.freeKb)} | ${fmtMb(sample.ownKb)} |`,
    );
  }
  return lines.join('\n');
}

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}

// ---------------------------------------------------------------------------------------------------
// npm ci on a small real project

interface NpmPart {
  ci?: Sample;
  coldMs?: number;
  copies?: Record<string, Sample>;
  tree?: { files: number; kb: number };
  failed?: string;
}

async function npmPart(): Promise<NpmPart> {
  const root = await tempDir('npm');
  const cache = path.join(root, 'npm-cache'); // a private cache: the user's own is neither read nor filled
  const env = { npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  const flags = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  const project = path.join(root, 'template');
  await mkdir(project);
  const pkg = { name: 'treemux-bench-app', version: '1.0.0', private: true, dependencies: NPM_DEPS };
  await writeFile(path.join(project, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const why = (err: unknown) =>
    ((err as { stderr?: string }).stderr || (err as Error).message || String(err))
      .split('\n')
      .map((l) => l.replace(/^npm (error|ERR!) ?/, '').trim())
      .filter((l) => l !== '')
      .slice(0, 2)
      .join(' / ');
  try {
    await execa('npm', ['install', '--package-lock-only', ...flags], { cwd: project, env, timeout: 300_000 });
  } catch (err) {
    return { failed: `npm could not make a lockfile: ${why(err)}` };
  }
  const part: NpmPart = { ci: { ms: [] } };
  // First npm ci fills the private cache from the network: reported, but not the figure compared.
  const first = path.join(root, 'app-cold');
  try {
    await execa('cp', ['-r', '--', project, first]);
    const t0 = performance.now();
    await execa('npm', ['ci', ...flags], { cwd: first, env, timeout: 600_000 });
    part.coldMs = performance.now() - t0;
  } catch (err) {
    return { failed: `npm ci failed: ${why(err)}` };
  }
  for (let i = 0; i < RUNS; i += 1) {
    const app = path.join(root, `app-${i}`);
    await execa('cp', ['-r', '--', project, app]);
    await settle();
    const t0 = performance.now();
    await execa('npm', ['ci', '--prefer-offline', ...flags], { cwd: app, env, timeout: 600_000 });
    (part.ci as Sample).ms.push(performance.now() - t0);
    if (i === 0) {
      const [own] = await du([path.join(app, 'node_modules')]);
      (part.ci as Sample).ownKb = own;
      (part.ci as Sample).addedKb = own;
    }
    await rm(app, { recursive: true, force: true });
    await settle();
  }
  // The same real tree, copied the two ways
  const source = path.join(first, 'node_modules');
  const files = Number(sh('sh', ['-c', 'find "$1" -type f | wc -l', 'sh', source]));
  const [kb] = await du([source]);
  part.tree = { files, kb: kb ?? 0 };
  part.copies = await measure(source, { treemux, 'cp -r': cpR });
  return part;
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const work = await tempDir('src');
  const checkout = path.join(work, 'main');
  process.stderr.write(`building a ~${TARGET_MB} MB node_modules-like tree in ${checkout} …\n`);
  const t = await buildTree(checkout, TARGET_MB * 1024 * 1024);
  const source = path.join(checkout, 'node_modules');
  // The same tree under a name that is not a dependency dir (hard links: no extra space), to show the
  // plain-copy path treemux takes for other directories (e.g. .venv, build caches).
  await execa('cp', ['-al', '--', source, path.join(checkout, '.venv')]);
  const reflink = await supportsReflink(work);

  process.stderr.write(`measuring copies (${RUNS} runs each) …\n`);
  let treemuxMethod = '?';
  let plainMethod = '?';
  const synthetic = await measure(source, {
    treemux: async (s, d) => {
      await treemux(s, d);
      treemuxMethod = lastMethod;
    },
    'cp -r': cpR,
    // coreutils >= 9 makes `cp -r` clone by default where it can: show a full data copy beside it
    ...(reflink ? { never: cpNoReflink } : {}),
    plain: {
      source: path.join(checkout, '.venv'),
      run: async (s, d) => {
        await treemux(s, d);
        plainMethod = lastMethod;
      },
    },
  });

  let npm: NpmPart = { failed: 'skipped (TREEMUX_BENCH_NPM=0)' };
  if (WANT_NPM) {
    process.stderr.write('npm part: lockfile, then npm ci (cold once, then warm ×3) …\n');
    npm = await npmPart();
  }

  const fsType = sh('df', ['-T', BASE]).split('\n')[1]?.split(/\s+/)[1] ?? '?';
  const cpus = os.cpus();
  const facts = [
    `- date: ${new Date().toISOString().slice(0, 10)}`,
    `- machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `- temp dir: ${BASE} — filesystem \`${fsType}\` (df -T), \`${sh('stat', ['-f', '-c', '%T', BASE])}\` (stat -f); reflinks: ${reflink ? 'yes' : 'no'}`,
    `- load average when done: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (the machine is shared)`,
    `- node ${process.version}, ${sh('cp', ['--version']).split('\n')[0]}, npm ${sh('npm', ['--version'])}`,
  ];
  const out: string[] = [];
  out.push('### Machine', '', ...facts, '');
  out.push(
    `### Synthetic tree: ${t.files} files in ${t.dirs} directories, ${(t.bytes / 2 ** 20).toFixed(0)} MB`,
    '',
    table(
      [
        { label: `treemux \`copyPaths\` node_modules (${treemuxMethod})`, sample: synthetic.treemux as Sample },
        { label: '`cp -r`', sample: synthetic['cp -r'] as Sample, baseline: true },
        ...(synthetic.never ? [{ label: '`cp -r --reflink=never` (full data copy)', sample: synthetic.never }] : []),
        { label: `treemux \`copyPaths\` of the same tree as \`.venv\` (${plainMethod})`, sample: synthetic.plain as Sample },
      ],
      median((synthetic['cp -r'] as Sample).ms),
    ),
    '',
  );
  if (npm.failed) {
    out.push('### npm ci', '', `not measured: ${npm.failed}`, '');
  } else if (npm.copies && npm.tree && npm.ci) {
    const base = median((npm.copies['cp -r'] as Sample).ms);
    out.push(
      `### Real project: \`npm ci\` of ${Object.keys(NPM_DEPS).length} pinned dependencies (${npm.tree.files} files, ${(npm.tree.kb / 1024).toFixed(0)} MB on disk)`,
      '',
      table(
        [
          { label: `treemux \`copyPaths\` node_modules (${lastMethod})`, sample: npm.copies.treemux as Sample },
          { label: '`cp -r`', sample: npm.copies['cp -r'] as Sample, baseline: true },
          { label: '`npm ci --prefer-offline`, warm private cache', sample: npm.ci },
        ],
        base,
      ),
      '',
      `First \`npm ci\` with an empty cache (downloads from the npm registry, not in the medians): ${fmtMs(npm.coldMs ?? Number.NaN)} ms, ${((npm.coldMs ?? Number.NaN) / base).toFixed(2)}× the \`cp -r\` time.`,
      '',
    );
  }
  out.push(`(whole benchmark: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  await main();
} finally {
  await cleanup();
}
