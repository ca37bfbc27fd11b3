// `rm` and `down` for agents on another host, with the same promises as here: its work is asked of
// git there (uncommitted files) and here (its branch, fetched home, against the base here: what was
// merged here counts as merged); refused unless forced; when forced, the patch and the untracked files
// are brought into the local trash first, and commits not in base are kept here as its branch. Then its
// window, worktree and (merged, treemux-made) branch go there.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureDirIn } from '../../host/fs.js';
import { git } from '../../git/exec.js';
import { fetchRef } from '../../git/remote.js';
import type { WorkState } from '../../git/index.js';
import type { Ctx } from '../../project/context.js';
import { oneLine } from '../../util/output.js';
import type { AgentView } from '../inventory.js';
import type { Removal } from '../lifecycle/remove.js';
import { hostOf } from './host.js';
import { releaseRemote } from './isolation.js';

const STATUS = `
wt=$1
[ -d "$wt" ] || { echo gone; exit 0; }
git -C "$wt" --no-optional-locks status --porcelain -z --untracked-files=all || exit 1
`;

/** The branch's commits here, under a ref of treemux's own (never a branch someone has checked out). */
const homeRef = (agent: AgentView) => `refs/treemux/hosts/${agent.spec.host}/${agent.name}`;

/** Fetch the agent's branch from its host into a ref here; its commit, or null when it has none there. */
export async function fetchHome(ctx: Ctx, agent: AgentView, ref = homeRef(agent)): Promise<string | null> {
  const host = hostOf(ctx, agent.spec);
  const branch = agent.worktree?.branch ?? agent.spec.branch;
  try {
    return await fetchRef(ctx.repo.root, await host.transport(), `refs/heads/${branch}`, ref);
  } catch (err) {
    if (/couldn't find remote ref|no such ref/i.test(String((err as Error).message))) return null;
    throw err;
  }
}

/** What would be lost by removing a remote agent: its uncommitted files there, its commits not in base here. */
export async function remoteWork(ctx: Ctx, agent: AgentView): Promise<WorkState | undefined> {
  if (agent.remote?.unreachable) throw new Error(`${agent.name}: host ${agent.spec.host} cannot be reached (${agent.remote.unreachable}): its work cannot be checked`);
  if (!agent.worktree) return undefined;
  const host = hostOf(ctx, agent.spec);
  const out = await host.scriptOk(STATUS, [agent.worktree.path], `reading ${agent.name}'s worktree`);
  if (out.trim() === 'gone') return undefined;
  const uncommitted = out.split('\0').filter(Boolean).map((e) => e.slice(3));
  const head = await fetchHome(ctx, agent);
  const unmergedCommits = head ? Number((await git(ctx.repo.root, ['rev-list', '--count', `${agent.spec.base}..${head}`])).trim()) : 0;
  return { uncommitted, unmergedCommits };
}

const SAVE = `
wt=$1; nonce=$2
cd "$wt" || exit 1
head=$(git rev-parse -q --verify HEAD) || head=$(git hash-object -t tree /dev/null)
git --no-optional-locks diff "$head" --binary --no-ext-diff --no-textconv --no-color --no-relative --src-prefix=a/ --dst-prefix=b/ || exit 1
echo "$nonce"
git ls-files --others --exclude-standard -z | (cd "$wt" && tar -czf - --null -T - 2>/dev/null) | base64
`;

const REMOVE = `
repo=$1; wt=$2; win=$3; branch=$4; log=$5
[ -n "$win" ] && t kill-window -t "$win" 2>/dev/null
[ -e "$wt" ] && { git -C "$repo" worktree remove --force "$wt" || exit 1; }
git -C "$repo" worktree prune 2>/dev/null
[ -n "$branch" ] && git -C "$repo" branch -D "$branch" >/dev/null 2>&1
[ -n "$log" ] && rm -f "$log"
exit 0
`;

/** Remove one remote agent (the caller has decided it may go). */
export async function removeRemote(ctx: Ctx, agent: AgentView, opts: { save: boolean; work?: WorkState; trash: string }): Promise<Removal> {
  const result: Removal = { name: agent.name };
  try {
    if (agent.remote?.unreachable) throw new Error(`host ${agent.spec.host} cannot be reached: ${agent.remote.unreachable}`);
    const host = hostOf(ctx, agent.spec);
    const repo = await host.repo();
    if (agent.worktree && opts.save) {
      await saveRemote(ctx, agent, opts.trash);
      result.trash = opts.trash;
    }
    const branch = agent.worktree?.branch ?? agent.spec.branch;
    const head = await fetchHome(ctx, agent);
    // merged: no commit of it that base lacks (git() resolves an exit 1 with nothing on stderr: counted, not asked yes/no)
    const merged = head ? (await git(ctx.repo.root, ['rev-list', '--count', `${agent.spec.base}..${head}`]).then((n) => n.trim() === '0', () => false)) : true;
    const createdBranch = agent.record?.createdBranch ?? false;
    if (head && !merged) {
      // its commits stay here whatever happens there: as its branch, when that name is free here
      const exists = await git(ctx.repo.root, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).then((o) => o.trim() !== '', () => false);
      if (!exists) await git(ctx.repo.root, ['update-ref', `refs/heads/${branch}`, head]);
      result.keptBranch = branch;
    }
    await git(ctx.repo.root, ['update-ref', '-d', homeRef(agent)]).catch(() => undefined);
    // merged here: a copy of its branch fetched home by merge goes as a local agent's would
    if (head && merged && createdBranch) await git(ctx.repo.root, ['update-ref', '-d', `refs/heads/${branch}`, head]).catch(() => undefined);
    const common = await host.scriptOk('cd "$1" && cd "$(git rev-parse --git-common-dir)" && pwd -P', [repo], 'finding the clone');
    const log = join(common.trim(), 'treemux', 'logs', `${agent.name}.log`);
    const dropBranch = merged && createdBranch ? branch : '';
    await host.scriptOk(REMOVE, [repo, agent.worktree?.path ?? '', agent.pane?.window_id ?? '', dropBranch, log], `removing ${agent.name}`);
    await releaseRemote(host, common.trim(), agent.name); // its ports there go back
    await ctx.state.update((s) => {
      delete s.agents[agent.name];
      if (s.queue?.includes(agent.name)) s.queue = s.queue.filter((n) => n !== agent.name);
    });
  } catch (err) {
    return { name: agent.name, error: oneLine(err) };
  }
  return result;
}

/** Its uncommitted work, brought into TRASH here: diff.patch and untracked.tar.gz, as for a local agent. */
async function saveRemote(ctx: Ctx, agent: AgentView, trash: string): Promise<void> {
  const host = hostOf(ctx, agent.spec);
  const nonce = `::treemux-untracked-${Date.now()}`;
  const out = await host.scriptOk(SAVE, [agent.worktree!.path, nonce], `saving ${agent.name}'s work`, { timeoutMs: 10 * 60_000 });
  const at = out.lastIndexOf(`${nonce}\n`);
  const patch = at < 0 ? out : out.slice(0, at);
  const tar = at < 0 ? '' : out.slice(at + nonce.length + 1).replace(/\s+/g, '');
  // a new folder of its own, below a treemux folder that is no link (as git/trash.ts makes it)
  await ensureDirIn(dirname(dirname(dirname(trash))), dirname(trash), { private: true });
  await mkdir(trash, { mode: 0o700 });
  await writeFile(join(trash, 'diff.patch'), patch, { mode: 0o600, flag: 'wx' });
  const bytes = Buffer.from(tar, 'base64');
  if (bytes.length > 0) await writeFile(join(trash, 'untracked.tar.gz'), bytes, { mode: 0o600, flag: 'wx' });
  const info = { host: agent.spec.host, worktree: agent.worktree!.path, branch: agent.worktree?.branch ?? agent.spec.branch, base: agent.spec.base, savedAt: new Date().toISOString() };
  await writeFile(join(trash, 'info.json'), JSON.stringify(info, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
}

/** Files a remote agent changed: committed (its branch fetched home, against base here) and uncommitted there. */
export async function remoteChanges(ctx: Ctx, agent: AgentView): Promise<{ committed: string[]; uncommitted: string[] }> {
  if (agent.remote?.unreachable) throw new Error(`${agent.name}: host ${agent.spec.host} cannot be reached (${agent.remote.unreachable})`);
  const host = hostOf(ctx, agent.spec);
  const out = await host.scriptOk(STATUS, [agent.worktree!.path], `reading ${agent.name}'s worktree`);
  const uncommitted = out.trim() === 'gone' ? [] : [...new Set(out.split('\0').filter(Boolean).map((e) => e.slice(3)))];
  const head = await fetchHome(ctx, agent);
  const committed = head ? (await git(ctx.repo.root, ['diff', '--name-only', '--no-renames', '-z', `${agent.spec.base}...${head}`])).split('\0').filter(Boolean) : [];
  return { committed, uncommitted };
}

/**
 * The branches of the reachable remote agents among AGENTS, fetched home as branches of the same
 * name (what merge, conflicts and report read). Returns what each was fetched at.
 */
export async function bringHome(ctx: Ctx, agents: readonly AgentView[], say?: (line: string) => void, opts: { strict?: boolean } = {}): Promise<Map<string, string>> {
  const heads = new Map<string, string>();
  for (const a of agents) {
    if (!a.remote || a.remote.unreachable || !a.worktree) continue;
    const branch = a.worktree.branch ?? a.spec.branch;
    let head: string | null;
    try {
      head = await fetchHome(ctx, a, `refs/heads/${branch}`);
    } catch (err) {
      // (a branch of that name checked out here is never moved under someone)
      if (opts.strict) throw new Error(`${a.name}: could not fetch ${branch} from ${a.spec.host}: ${(err as Error).message}`);
      say?.(`${a.name}: ${branch} not fetched from ${a.spec.host} (${(err as Error).message}): the copy here is what is compared`);
      continue;
    }
    if (!head) continue;
    heads.set(a.name, head);
    say?.(`${a.name}: fetched ${branch} from ${a.spec.host} (${head.slice(0, 12)})`);
  }
  return heads;
}
