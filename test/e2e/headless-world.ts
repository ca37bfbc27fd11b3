// A world for headless agents (headless.test.ts, queue.test.ts): the app repository with a layout
// whose agents run the print-mode stand-in (test/fixtures/fake-claude-print.mjs) through a wrapper
// named `claude` (so kind claude is inferred), each held by its own gate file until the test opens it.
// Readers look at what treemux leaves behind (state.json, logs, tmux) without running treemux.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, makeAppRepo, makeWorld, type World } from '../helpers/world.js';

export const FAKE_PRINT = join(ROOT, 'test', 'fixtures', 'fake-claude-print.mjs');

export interface H {
  w: World;
  /** the stand-in, as `claude` */
  claude: string;
  /** gate files: the stand-in of agent NAME finishes once `gates/NAME` exists */
  gates: string;
  /** every stand-in call's argv, one JSON array per line */
  calls: string;
  /** the git common dir (state, logs) */
  common: string;
}

export interface Agent {
  name: string;
  status: string;
  lastLine: string;
  worktree: string;
  branch: string;
}

export interface RunRecord {
  phase: 'starting' | 'busy' | 'done';
  ok?: boolean;
  exitCode?: number | null;
  costUsd?: number | null;
  turns?: number | null;
  durationMs?: number | null;
  sessionId?: string;
  result?: string;
  lastText?: string;
  runs: number;
}

export interface StateJson {
  agents: Record<string, { run?: RunRecord } | undefined>;
  queue?: string[];
  merged?: Record<string, { at: string; base: string; commit: string }>;
}

export interface HeadlessOptions {
  /** top-level layout lines before `agents:` (e.g. `max_parallel: 2\n`) */
  top?: string;
  /** agents whose stand-in commits a file (FAKE_COMMIT=1 for them only) */
  committers?: string[];
  /** extra executables in the world's bin/: `{{NAME}}` in the layout becomes the path of bin/name */
  scripts?: Record<string, string>;
  /** the whole layout after the `agent:` line, instead of `top` + `agents:` + agents */
  rawBody?: string;
}

/** A world with the app repository and the layout committed; nothing started yet. */
export function headless(agents: string, opts: HeadlessOptions = {}): H {
  const w = makeWorld();
  makeAppRepo(w);
  const bin = join(w.dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const gates = join(w.dir, 'gates');
  mkdirSync(gates);
  const calls = join(w.dir, 'calls.jsonl');
  const claude = join(bin, 'claude');
  writeFileSync(
    claude,
    `#!/bin/sh
# the print-mode stand-in, held until $FAKE_GATES/<agent> exists; commits only for the agents in FAKE_COMMITTERS
FAKE_GATE="$FAKE_GATES/$TREEMUX_AGENT"; export FAKE_GATE
case " $FAKE_COMMITTERS " in *" $TREEMUX_AGENT "*) FAKE_COMMIT=1; export FAKE_COMMIT ;; esac
exec '${process.execPath}' '${FAKE_PRINT}' "$@"
`,
  );
  chmodSync(claude, 0o755);
  let body = opts.rawBody ?? `${opts.top ?? ''}agents:\n${agents}`;
  for (const [name, text] of Object.entries(opts.scripts ?? {})) {
    const p = join(bin, name);
    writeFileSync(p, text);
    chmodSync(p, 0o755);
    body = body.replaceAll(`{{${name.toUpperCase()}}}`, p);
  }
  // the tmux server treemux starts passes this environment to every window
  Object.assign(w.env, { FAKE_GATES: gates, FAKE_CALLS: calls, FAKE_COMMITTERS: (opts.committers ?? []).join(' ') });
  w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${claude}, mode: headless }\n${body}`);
  w.git(['add', '-A']);
  w.git(['commit', '-qm', 'layout']);
  return { w, claude, gates, calls, common: join(w.repo, '.git') };
}

/** Let these agents' stand-ins finish (now, or as soon as they get there). */
export function release(h: H, ...names: string[]): void {
  for (const n of names) writeFileSync(join(h.gates, n), '');
}

export const wt = (h: H, agent: string): string => join(h.w.dir, `app-${agent}`);

export function readState(h: H): StateJson {
  const file = join(h.common, 'treemux', 'state.json');
  if (!existsSync(file)) return { agents: {} };
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StateJson;
  } catch {
    return { agents: {} }; // caught mid-write: the next poll sees it
  }
}

export function readLog(h: H, agent: string): string {
  const file = join(h.common, 'treemux', 'logs', `${agent}.log`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The stand-in's last call's arguments. */
export function lastCall(h: H): string[] {
  const lines = readFileSync(h.calls, 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as string[];
}

export interface Pane {
  window: string;
  dead: boolean;
  deadStatus: string;
  deadSignal: string;
}

/** The agents' panes, from tmux itself ([] when there is no session; the dashboard's window left out). */
export function panes(h: H): Pane[] {
  try {
    return h.w
      .tmux(['list-panes', '-s', '-t', 'app', '-F', '#{@treemux-role}\t#{window_name}\t#{pane_dead}\t#{pane_dead_status}\t#{pane_dead_signal}'])
      .split('\n')
      .filter((l) => l.startsWith('agent\t'))
      .map((l) => {
        const [, window = '', dead = '', deadStatus = '', deadSignal = ''] = l.split('\t');
        return { window, dead: dead === '1', deadStatus, deadSignal };
      });
  } catch {
    return [];
  }
}

export async function ls(h: H): Promise<Agent[]> {
  const r = await h.w.tm(['ls', '--json']);
  if (r.code !== 0) throw new Error(`ls --json failed (${r.code}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { agents: Agent[] }).agents;
}

/** What a failed wait shows: tmux's panes and screens, state.json, the logs; with `ls --json` unless told not to run treemux. */
export function seen(h: H, opts: { treemux?: boolean } = {}): () => string {
  return () => {
    const out: string[] = [];
    if (opts.treemux !== false) {
      try {
        out.push(`ls --json: ${execFileSync(process.execPath, [BIN, 'ls', '--json'], { cwd: h.w.repo, env: h.w.env, encoding: 'utf8' })}`);
      } catch (err) {
        out.push(`ls --json failed: ${(err as Error).message}`);
      }
    }
    const ps = panes(h);
    out.push(`panes: ${JSON.stringify(ps)}`);
    out.push(`state.json: ${JSON.stringify(readState(h), null, 1)}`);
    for (const p of ps) out.push(`--- screen ${p.window}:\n${h.w.screen(`app:${p.window}`)}`);
    for (const a of Object.keys(readState(h).agents ?? {})) out.push(`--- log ${a}:\n${readLog(h, a)}`);
    return out.join('\n');
  };
}
