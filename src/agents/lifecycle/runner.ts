// The runner of a headless agent: what runs in its tmux window (`treemux run`). It starts the
// agent's program from an argument array (the task is its last argument; no shell), and
//   - for a kind with an event stream (Claude's print mode, stream-json): keeps every raw event in
//     logs/<agent>.jsonl, shows a readable rendering, and records the run's phase, session, figures
//     and outcome in the state;
//   - for any other program: shows its output as it is; the outcome is its exit status.
// The readable text goes to the window and to logs/<agent>.log (the runner writes the log itself, so
// nothing printed before a pipe could be attached is lost). When the run ends the runner starts the
// queued agents that may start now, then exits with the program's status: the window stays (tmux
// remain-on-exit) for the user to read.
import { start, type Started } from '../../host/exec.js';
import type { WriteStream } from 'node:fs';
import { openAppendIn } from '../../host/fs.js';
import { createInterface } from 'node:readline';
import { StateStore, type RunRecord } from '../../state/index.js';
import { oneLine } from '../../util/output.js';
import { logPath, rawLogPath } from '../../project/paths.js';
import { kindOf, type EventReader, type KindName } from '../kinds/index.js';
import type { RunFacts } from '../kinds/claude/stream.js';

export { rawLogPath } from '../../project/paths.js';

export interface RunnerOptions {
  agent: string;
  kind: KindName;
  argv: string[];
  /** the git common dir (state, logs) */
  commonDir: string;
  cwd: string;
  /** where the readable text goes besides the log (the window) */
  write: (text: string) => void;
  /** after the run is recorded: start what the queue may start now */
  afterRun?: () => Promise<void>;
}

export interface RunnerEnd {
  code: number | null;
  signal: string | null;
  facts: RunFacts | null;
}

/** Run the program to its end, recording as it goes. Resolves with its exit status. */
export async function runHeadless(o: RunnerOptions): Promise<RunnerEnd> {
  const events = kindOf(o.kind).events;
  const logs = await openLogs(o, events !== null);
  const rec = recorder(new StateStore(o.commonDir), o.agent, o.write);
  // PWD too: a client that works in $PWD (OpenCode's run) must not take the runner's
  const child = start(o.argv[0]!, o.argv.slice(1), { cwd: o.cwd, env: { ...process.env, PWD: o.cwd } });
  // Ctrl-C in the window reaches the program (same process group); the runner stays to record the end
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  // a plain program has no events to say when it works: running is working
  if (!events) child.once('spawn', () => rec.record((r) => { r.phase = 'busy'; }));
  const output = followOutput(child, events, logs, rec);
  const result = watchResult(child, events, logs.show, rec, output.facts);
  output.onDone(result.onResult);

  const end = await exitOf(child, o.argv[0]!, logs.show);
  result.stop();
  await output.drain();
  result.onResult();
  process.off('SIGINT', ignore);

  const raw = output.facts();
  // a client whose stream has no closing line: its exit settles the run
  const facts = raw && !raw.result && events?.settle ? events.settle(raw, end) : raw;
  logs.show(facts ? events!.summary(facts, end) : `── ${end.code === 0 ? '✓ done' : `✗ ${end.signal ? `signal ${end.signal}` : `exit ${end.code}`}`}`);
  rec.record((r) => {
    if (!result.recorded()) finish(r, facts, end, events);
    r.exitCode = end.code;
    r.signal = end.signal;
  });
  await rec.settled();
  await logs.close();
  // starting the queued agents must not be cut short: not by Ctrl-C, nor by the window closing
  process.on('SIGINT', ignore);
  process.on('SIGHUP', ignore);
  if (o.afterRun) await o.afterRun();
  return { ...end, facts };
}

/** The log (and, for a kind with events, the raw events' log): never through a link planted in the logs folder. */
async function openLogs(o: RunnerOptions, raw: boolean): Promise<{ show: (line: string) => void; raw: WriteStream | null; close: () => Promise<void> }> {
  const log = (await openAppendIn(o.commonDir, logPath(o.commonDir, o.agent), { mode: 0o600 })).createWriteStream();
  const rawLog = raw ? (await openAppendIn(o.commonDir, rawLogPath(o.commonDir, o.agent), { mode: 0o600 })).createWriteStream() : null;
  return {
    show: (line) => {
      o.write(`${line}\n`);
      log.write(`${line}\n`);
    },
    raw: rawLog,
    close: async () => {
      await Promise.all([closeStream(log), rawLog ? closeStream(rawLog) : Promise.resolve()]);
    },
  };
}

interface Recorder {
  /** change the run's record (state writes happen one after another, in the order of the events) */
  record(change: (run: RunRecord) => void): void;
  /** the conversation the run has (its kind's session id), in the agent's record and its run's */
  session(sid: string): void;
  /** every change so far is written */
  settled(): Promise<void>;
}

function recorder(state: StateStore, agent: string, write: (text: string) => void): Recorder {
  let recorded = Promise.resolve();
  const record = (change: (run: RunRecord) => void) => {
    recorded = recorded.then(() =>
      state
        .update((s) => {
          const a = s.agents[agent];
          if (!a) return;
          a.run ??= { phase: 'starting', runs: 1, startedAt: new Date().toISOString() };
          change(a.run);
        })
        .then(() => undefined, (err: unknown) => write(`treemux: could not record the run: ${oneLine(err)}\n`)),
    );
  };
  const session = (sid: string) => {
    recorded = recorded.then(() => state.update((s) => {
      if (s.agents[agent]) s.agents[agent]!.session = sid;
    }).then(() => undefined, () => undefined)); // the run's own record of it follows (and says so if it fails)
    record((r) => { r.sessionId = sid; });
  };
  return { record, session, settled: () => recorded };
}

interface Output {
  /** what the events have told so far (null: a plain program) */
  facts(): RunFacts | null;
  /** called after each line once the events say the run is done */
  onDone(fn: () => void): void;
  /** what it printed last comes through the pipes (a child it left behind may hold them open: not waited for long) */
  drain(): Promise<void>;
}

/** Its stdout (events, or plain lines) and stderr shown; the events read into facts, and recorded as they change. */
function followOutput(child: Started, events: EventReader | null, logs: { show: (line: string) => void; raw: WriteStream | null }, rec: Recorder): Output {
  const { show, raw } = logs;
  let facts: RunFacts | null = events ? events.empty() : null;
  let done: () => void = () => undefined;
  const stdout = createInterface({ input: child.stdout, crlfDelay: Infinity });
  const stderr = createInterface({ input: child.stderr, crlfDelay: Infinity });
  const outDone = new Promise<void>((r) => stdout.once('close', r));
  const errDone = new Promise<void>((r) => stderr.once('close', r));
  stdout.on('line', (line) => {
    if (!facts) return show(line);
    raw!.write(`${line}\n`);
    const before = facts;
    const read = events!.read(facts, line);
    facts = read.facts;
    for (const l of read.shown) show(l);
    if (read.changed) recordChange(before, facts, rec);
    if (facts.phase === 'done') done();
  });
  stderr.on('line', (line) => show(line));
  return {
    facts: () => facts,
    onDone: (fn) => {
      done = fn;
    },
    drain: async () => {
      await Promise.race([Promise.all([outDone, errDone]), new Promise((r) => setTimeout(r, PIPE_GRACE_MS))]);
      stdout.close();
      stderr.close();
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
  };
}

/** What an event changed that the state keeps before the end: the conversation, and work beginning. */
function recordChange(before: RunFacts, now: RunFacts, rec: Recorder): void {
  if (now.sessionId && now.sessionId !== before.sessionId) rec.session(now.sessionId);
  if (now.phase === 'busy' && before.phase === 'starting') rec.record((r) => { r.phase = 'busy'; });
}

/**
 * The run is over at its result (the contract: `result` → exited): recorded at once, so the slot
 * frees and `wait` returns even if the program lingers; one that has not exited 10 s later is ended.
 */
function watchResult(child: Started, events: EventReader | null, show: (line: string) => void, rec: Recorder, facts: () => RunFacts | null) {
  let resultRecorded = false;
  let grace: NodeJS.Timeout | undefined;
  return {
    recorded: () => resultRecorded,
    onResult: () => {
      const f = facts();
      if (resultRecorded || !f?.result) return;
      resultRecorded = true;
      rec.record((r) => finish(r, f, null, events));
      grace = setTimeout(() => {
        show('treemux: the program did not exit after its result: ending it');
        child.kill('SIGTERM');
        grace = setTimeout(() => child.kill('SIGKILL'), 5_000);
      }, RESULT_GRACE_MS);
    },
    stop: () => {
      if (grace) clearTimeout(grace);
    },
  };
}

/** Its exit status; 127 when it could not be run. */
function exitOf(child: Started, program: string, show: (line: string) => void): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      show(`treemux: cannot run ${program}: ${err.code === 'ENOENT' ? 'command not found' : oneLine(err)}`);
      resolve({ code: 127, signal: null });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

const RESULT_GRACE_MS = 10_000;
const PIPE_GRACE_MS = 2_000;

/**
 * The run's end in its record: at the result event (`end` null: the process may still be exiting),
 * or at the process's exit when no result came.
 */
function finish(r: RunRecord, f: RunFacts | null, end: { code: number | null; signal: string | null } | null, events: EventReader | null): void {
  const result = f?.result;
  r.phase = 'done';
  r.endedAt = new Date().toISOString();
  r.ok = result ? result.ok : f ? false : end?.code === 0;
  r.subtype = result?.subtype;
  r.result = result?.text ?? '';
  const how = end ? (end.signal ? `signal ${end.signal}` : `exit ${end.code}`) : '';
  r.lastText = f ? (result && events ? events.lastLine(f) : `ended without a result (${how})`) : undefined;
  if (!result) return;
  const add = (a: number | null | undefined, b: number | null) => (b === null ? (a ?? null) : (a ?? 0) + b);
  // total_cost_usd is the session's: a resumed run adds only what it cost itself
  const before = f.sessionId && r.sessionCostOf === f.sessionId ? r.sessionCostUsd : undefined;
  const own = result.runCostUsd ?? (result.costUsd === null ? null : Math.max(0, result.costUsd - (before ?? 0)));
  r.costUsd = add(r.costUsd, own);
  if (result.costUsd !== null && result.costUsd > 0 && f.sessionId) {
    r.sessionCostUsd = result.costUsd; // a failed resume reports 0: the session's total stays
    r.sessionCostOf = f.sessionId;
  }
  r.turns = add(r.turns, result.turns);
  r.durationMs = add(r.durationMs, result.durationMs);
  r.permissionDenials = [...(r.permissionDenials ?? []), ...result.permissionDenials];
}

function closeStream(s: WriteStream): Promise<void> {
  return new Promise((r) => s.end(r));
}
