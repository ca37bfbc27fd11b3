// An agent's own environment on another host: its ports from that machine's free ports and its own
// registry there, its SQLite database inside its worktree there (seeded from the main checkout here),
// the layout's copied files, and its env file, written there no more readable than its source here.
// Bytes travel as base64 on the ssh session's stdin (a script there decodes them): never as code.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { renderEnvFile } from '../../env/dotenv.js';
import { run } from '../../host/exec.js';
import { expand } from '../../layout/placeholders.js';
import type { ResolvedAgent } from '../../layout/resolve.js';
import type { Ctx } from '../../project/context.js';
import { envFileMode, envValues } from '../lifecycle/envFile.js';
import type { RemoteHost } from './host.js';

/** The port registry there: one line per port held, `port<TAB>clone<TAB>agent<TAB>name`, taken under a lock. */
const REGISTRY = 'reg=${XDG_STATE_HOME:-$HOME/.local/state}/treemux/ports.tsv';
const LOCKED = `
${REGISTRY}
mkdir -p "$(dirname "$reg")" || exit 1; [ -L "$reg" ] && { echo "$reg is a symbolic link" >&2; exit 3; }; touch "$reg"
lock="$reg.lock"; n=0
while ! mkdir "$lock" 2>/dev/null; do n=$((n + 1)); [ $n -gt 100 ] && { echo "the port registry there is locked ($lock)" >&2; exit 3; }; sleep 0.1; done
trap 'rmdir "$lock"' EXIT
`;

const ALLOCATE = `${LOCKED}
key=$1; agent=$2; shift 2
listening=$(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A" { split($2, a, ":"); print a[2] }')
while [ $# -gt 1 ]; do
  name=$1; base=$2; shift 2
  have=$(awk -F '\\t' -v k="$key" -v a="$agent" -v n="$name" '$2 == k && $3 == a && $4 == n { print $1 }' "$reg")
  if [ -n "$have" ]; then echo "$name $have"; continue; fi
  p=$base
  while awk -F '\\t' -v p="$p" '$1 == p { f = 1 } END { exit !f }' "$reg" || printf '%s\\n' $listening | grep -qx "$(printf '%04X' "$p")"; do
    p=$((p + 1)); [ $p -gt 65535 ] && { echo "no free port there from $base" >&2; exit 3; }
  done
  printf '%s\\t%s\\t%s\\t%s\\n' "$p" "$key" "$agent" "$name" >> "$reg"; echo "$name $p"
done
`;

const RELEASE = `${LOCKED}
awk -F '\\t' -v k="$1" -v a="$2" '!($2 == k && $3 == a)' "$reg" > "$reg.tmp" && mv -f "$reg.tmp" "$reg"
`;

/** A file there from base64 on stdin: into a temp file beside it, then renamed; never through a link. */
const UPLOAD = `
f=$1; mode=$2; d=$(dirname "$f")
[ -L "$d" ] || mkdir -p "$d" || exit 1
[ -L "$d" ] && { echo "$d is a symbolic link: not written through" >&2; exit 3; }
[ -L "$f" ] && { echo "$f is a symbolic link: not written through" >&2; exit 3; }
tmp="$d/.treemux-$$.tmp"; umask 077
base64 -d > "$tmp" && chmod "$mode" "$tmp" && mv -f "$tmp" "$f"
`;

/** Files of the main checkout here into the worktree there (a tar as base64 on stdin); what is there already stays. */
const UNTAR = `cd "$1" && base64 -d | tar -xzf - --keep-old-files 2>&1 | grep -v 'exists' >&2; exit 0`;

export interface RemoteIsolation {
  ports: Record<string, number>;
  database: { kind: 'sqlite'; name: string; url: string } | null;
  vars: Record<string, string>;
  env: Record<string, string>;
}

/** Ports there for SPEC (kept when it held them), its database, copied files and env file. */
export async function provisionRemote(
  ctx: Ctx,
  host: RemoteHost,
  clone: { repo: string; common: string },
  spec: ResolvedAgent,
  fresh: boolean,
  vars: Record<string, string>,
  say: (line: string) => void,
): Promise<RemoteIsolation> {
  const { layout } = ctx.layout;
  const ports: Record<string, number> = {};
  const wanted = Object.entries(layout.ports);
  if (wanted.length > 0) {
    const out = await host.scriptOk(ALLOCATE, [clone.common, spec.name, ...wanted.flatMap(([n, p]) => [n, String(p)])], 'taking ports there');
    for (const line of out.split('\n').filter(Boolean)) {
      const [name = '', port = ''] = line.split(' ');
      if (name && /^\d+$/.test(port)) ports[name] = Number(port);
    }
    say(`${spec.name}: ports on ${host.name} ${Object.entries(ports).map(([n, p]) => `${n}:${p}`).join(' ')}`);
  }
  const all: Record<string, string> = { ...vars, ...Object.fromEntries(Object.entries(ports).map(([n, p]) => [`port.${n}`, String(p)])) };
  let database: RemoteIsolation['database'] = null;
  if (layout.database.kind === 'sqlite') {
    const name = posix.normalize(expand(layout.database.path, all));
    if (name.startsWith('..') || posix.isAbsolute(name)) throw new Error(`database.path "${name}" must name a file inside the agent's worktree`);
    database = { kind: 'sqlite', name, url: `file:${posix.join(spec.worktree, name)}` };
    const seed = layout.database.seed ? join(ctx.repo.root, layout.database.seed) : null;
    if (fresh && seed && existsSync(seed)) {
      await upload(host, posix.join(spec.worktree, name), await consistentCopy(seed), '600');
      say(`${spec.name}: seeded ${name} on ${host.name} from ${layout.database.seed}`);
    }
    Object.assign(all, { 'db.url': database.url, 'db.name': database.name });
  }
  if (fresh && layout.copy.length > 0) {
    const present = layout.copy.filter((p) => existsSync(join(ctx.repo.root, p)));
    if (present.length > 0) {
      const tar = await run('tar', ['-czf', '-', '--', ...present.map((p) => `./${p}`)], { cwd: ctx.repo.root, timeoutMs: 600_000, encoding: 'buffer' });
      if (!tar.ok) throw new Error(`could not archive ${present.join(', ')}: ${tar.message}`);
      await host.scriptOk(UNTAR, [spec.worktree], 'copying files there', { input: tar.buffer!.toString('base64'), timeoutMs: 600_000 });
      say(`${spec.name}: copied ${present.join(', ')} to ${host.name}`);
    }
  }
  let env: Record<string, string> = {};
  const conf = layout.env;
  if (conf) {
    env = envValues(conf.set, all, ctx.layout.project, spec.name);
    const from = conf.copy ? join(ctx.repo.root, conf.copy) : null;
    const source = from && existsSync(from) ? from : null;
    const text = renderEnvFile(source ? await readFile(source, 'utf8') : null, env);
    const mode = envFileMode(source ? (await stat(source)).mode : null, Object.values(env));
    await upload(host, posix.join(spec.worktree, conf.file), Buffer.from(text), mode.toString(8));
  }
  return { ports, database, vars: all, env };
}

/** Give back the ports SPEC held there (rm, down). */
export async function releaseRemote(host: RemoteHost, common: string, agent: string): Promise<void> {
  await host.scriptOk(RELEASE, [common, agent], 'releasing ports there');
}

async function upload(host: RemoteHost, file: string, bytes: Buffer, mode: string): Promise<void> {
  await host.scriptOk(UPLOAD, [file, mode], `writing ${posix.basename(file)}`, { input: bytes.toString('base64'), timeoutMs: 600_000 });
}

/** The seed as SQLite's own backup makes it (consistent while written to), else its bytes. */
async function consistentCopy(seed: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'treemux-seed-'));
  const tmp = join(dir, `seed-${randomBytes(4).toString('hex')}.sqlite`);
  try {
    const r = await run('sqlite3', [seed], { input: `.bail on\n.backup '${tmp.replaceAll("'", "''")}'\n`, timeoutMs: 300_000 });
    return r.ok && existsSync(tmp) ? await readFile(tmp) : await readFile(seed);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
