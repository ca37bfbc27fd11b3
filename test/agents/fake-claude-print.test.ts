// test/fixtures/fake-claude-print.mjs, the stand-in for Claude Code's print mode, read through the same
// reader treemux uses (src/agents/kinds/claude/stream.ts): its output must read as a real run does.
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyFacts, lastLineOf, readEvent, summaryLine, type RunFacts } from '../../src/agents/kinds/claude/stream.js';
import { ROOT } from '../helpers/world.js';

const FAKE = join(ROOT, 'test', 'fixtures', 'fake-claude-print.mjs');
const PRINT = ['-p', '--output-format', 'stream-json', '--verbose'];

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'treemux-fcp-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  facts: RunFacts;
  shown: string[];
  lines: string[];
  code: number | null;
  signal: string | null;
  stderr: string;
}

/** Runs the stand-in and reads its stdout line by line as it comes; `onLine` sees the facts after each line. */
async function fake(args: string[], opts: { env?: Record<string, string>; cwd?: string; onLine?: (facts: RunFacts, line: string) => void } = {}): Promise<Run> {
  const sub = execa(FAKE, args, { cwd: opts.cwd ?? dir, env: opts.env ?? {}, reject: false, stdin: 'ignore' });
  let facts = emptyFacts();
  const shown: string[] = [];
  const lines: string[] = [];
  for await (const line of sub) {
    const r = readEvent(facts, line);
    facts = r.facts;
    shown.push(...r.shown);
    lines.push(line);
    opts.onLine?.(facts, line);
  }
  const done = await sub;
  return { facts, shown, lines, code: done.exitCode ?? null, signal: done.signal ?? null, stderr: String(done.stderr) };
}

describe('fake-claude-print', () => {
  it('a run that succeeds: init, work, a result that repeats the last text', async () => {
    const r = await fake([...PRINT, '--permission-mode', 'acceptEdits', '--model', 'claude-opus-4-1', 'add a login form']);
    expect(r.code).toBe(0);
    expect(r.lines.every((l) => JSON.parse(l).session_id === r.facts.sessionId)).toBe(true);
    expect(r.facts).toMatchObject({ phase: 'done', model: 'claude-opus-4-1', permissionMode: 'acceptEdits', toolCalls: 0 });
    expect(r.facts.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.facts.result).toEqual({ ok: true, subtype: 'success', text: 'Finished: add a login form', costUsd: 0.0125, runCostUsd: 0.0125, errors: [], turns: 2, durationMs: 1500, permissionDenials: [] });
    expect(lastLineOf(r.facts)).toBe('Finished: add a login form');
    expect(r.shown).toEqual([
      `▶ session ${r.facts.sessionId!.slice(0, 8)} · model claude-opus-4-1 · permission mode acceptEdits`,
      'Working on: add a login form',
      'Finished: add a login form',
    ]);
    expect(summaryLine(r.facts, { code: r.code, signal: r.signal })).toBe('── ✓ done · 2 turns · 1.5 s · $0.0125');
    const init = JSON.parse(r.lines[0]!);
    expect(init).toMatchObject({ type: 'system', subtype: 'init', cwd: dir, permissionMode: 'acceptEdits' });
    expect(init.tools).toContain('Bash');
  });

  it('"fail": an error result and exit status 1', async () => {
    const r = await fake([...PRINT, 'make it fail'], { env: { FAKE_COST: '0.5' } });
    expect(r.code).toBe(1);
    expect(r.facts.result).toMatchObject({ ok: false, subtype: 'error_during_execution', text: '', costUsd: 0.5 });
    expect(r.shown.slice(-2)).toEqual(['✗ error_during_execution', '  stand-in: the prompt asked to fail']);
    expect(lastLineOf(r.facts)).toBe('error_during_execution: stand-in: the prompt asked to fail');
    expect(summaryLine(r.facts, { code: r.code, signal: r.signal })).toBe('── ✗ error_during_execution · exit 1 · 2 turns · 1.5 s · $0.50');
  });

  it('"deny": a refused Bash call and its permission denial', async () => {
    const r = await fake([...PRINT, '--allowedTools', 'Read', 'deny it']);
    expect(r.code).toBe(0);
    expect(r.facts.toolCalls).toBe(1);
    expect(r.facts.result?.permissionDenials).toEqual([{ tool: 'Bash', detail: 'rm -rf build' }]);
    expect(r.shown.slice(1)).toEqual([
      'Working on: deny it',
      '⚙ Bash: rm -rf build',
      "  ✗ Claude requested permissions to use Bash, but you haven't granted it yet.",
      'Finished: deny it',
      '⊘ denied Bash: rm -rf build',
    ]);
  });

  it('"die": exits 3 without a result', async () => {
    const r = await fake([...PRINT, 'die now']);
    expect(r.code).toBe(3);
    expect(r.facts.phase).toBe('busy');
    expect(r.facts.result).toBeUndefined();
    expect(lastLineOf(r.facts)).toBe('Working on: die now');
    expect(summaryLine(r.facts, { code: r.code, signal: r.signal })).toBe('── ✗ ended without a result (exit 3)');
  });

  it('--resume keeps the session id', async () => {
    const first = await fake([...PRINT, 'first']);
    const id = first.facts.sessionId!;
    const r = await fake([...PRINT, '--max-turns', '5', '--resume', id, 'go on']);
    expect(r.facts.sessionId).toBe(id);
    expect(r.shown[1]).toBe('Resumed: go on');
    expect(lastLineOf(r.facts)).toBe(`Finished (resumed ${id}): go on`);
  });

  it('FAKE_GATE holds the run until the file exists', async () => {
    const gate = join(dir, 'gate');
    const seen: string[] = [];
    const r = await fake([...PRINT, 'wait for me'], {
      env: { FAKE_GATE: gate },
      onLine: (facts, line) => {
        seen.push(`${facts.phase}:${JSON.parse(line).type}`);
        if (facts.lastText === 'Working on: wait for me') writeFileSync(gate, '');
      },
    });
    expect(seen).toEqual(['starting:system', 'busy:assistant', 'busy:assistant', 'done:result']);
    expect(r.facts.result?.ok).toBe(true);
  });

  it('FAKE_CALLS records the exact arguments of every call', async () => {
    const calls = join(dir, 'calls.jsonl');
    const args = [...PRINT, '--permission-mode', 'plan', '--allowedTools', 'Bash(git:*) Edit', 'say "hi"\nand bye'];
    await fake(args, { env: { FAKE_CALLS: calls } });
    await fake([...PRINT, 'again'], { env: { FAKE_CALLS: calls } });
    const lines = readFileSync(calls, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([args, [...PRINT, 'again']]);
  });

  it('FAKE_COMMIT commits its work in a fresh run, not on resume nor on failure', async () => {
    const repo = join(dir, 'app-auth');
    mkdirSync(repo);
    const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'test');
    git('config', 'user.email', 'test@example.com');
    git('commit', '-q', '--allow-empty', '-m', 'initial');
    const env = { FAKE_COMMIT: '1' };

    const r = await fake([...PRINT, 'add the form'], { env, cwd: repo });
    expect(r.code).toBe(0);
    expect(git('log', '-1', '--format=%s')).toBe('stand-in: add the form');
    expect(readFileSync(join(repo, 'done-by-app-auth.txt'), 'utf8')).toBe('add the form\n');
    expect(git('status', '--porcelain')).toBe('');

    await fake([...PRINT, '--resume', r.facts.sessionId!, 'more'], { env, cwd: repo });
    await fake([...PRINT, 'fail please'], { env, cwd: repo });
    expect(git('rev-list', '--count', 'HEAD')).toBe('2');
  });

  it('stream-json without --verbose fails as Claude Code does', async () => {
    const r = await fake(['-p', '--output-format', 'stream-json', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('requires --verbose');
  });

  it('without print mode: the interactive stand-in echoes its input', async () => {
    const sub = execa(FAKE, ['--permission-mode', 'default', 'do it'], { cwd: dir, reject: false });
    let out = '';
    let typed = false;
    await new Promise<void>((resolve) => {
      sub.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (!typed && out.includes('\n')) (typed = true), sub.stdin.write('typed line\n');
        if (out.includes('typed line\n')) resolve();
      });
    });
    sub.kill();
    const done = await sub;
    expect(done.signal).toBe('SIGTERM');
    expect(out).toBe('interactive stand-in: --permission-mode default do it\ntyped line\n');
  });
});
