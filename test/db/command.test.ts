import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DbError, plannedName, providerFor } from '../../src/db/index.js';
import { commandArgv, parseCreateOutput } from '../../src/db/command.js';
import { cleanupAgents, makeAgent, noteSink } from './agent.js';

const cli = fileURLToPath(new URL('../fixtures/fake-db-cli.mjs', import.meta.url));
const SECRET = 'npg_s3cretPassw0rd';

afterAll(cleanupAgents);

describe('command provider', () => {
  it('runs create and reads the connection URI and name from Neon-like JSON', async () => {
    const agent = makeAgent('auth');
    const p = providerFor({ kind: 'command', create: ['node', cli, 'create', '{branch}'] })!;
    const { notes, note } = noteSink();
    const info = await p.create(agent, note);
    expect(info.kind).toBe('command');
    expect(info.name).toBe('feature/auth');
    expect(info.url).toContain(`neondb_owner:${SECRET}@ep-cool-darkness-123456`);
    expect(info.url).toContain('branch=feature%2Fauth');
    expect(notes).toEqual([]);
    expect(await p.exists(agent, info)).toBe(true);
    expect(await p.exists(agent, null)).toBe(false);
  });

  it('takes the last URL line when the output is not JSON; name defaults to <project>-<agent>', async () => {
    const agent = makeAgent('web');
    const info = await providerFor({ kind: 'command', create: `node ${cli} url-line {agent}` })!.create(agent, () => {});
    expect(info.url).toMatch(/^postgresql:\/\/neondb_owner:.*&branch=web$/);
    expect(info.name).toBe('shop-web');
  });

  it('a placeholder value with spaces stays one argument (string and list forms)', async () => {
    const agent = makeAgent('space', { branch: 'feature/my "quoted" branch; rm -rf x' });
    for (const create of [`node "${cli}" create {branch}`, ['node', cli, 'create', '{branch}']]) {
      const info = await providerFor({ kind: 'command', create })!.create(agent, () => {});
      expect(info.name).toBe('feature/my "quoted" branch; rm -rf x');
    }
  });

  it('a failing command: DbError with its first word, exit code and last stderr line, masked', async () => {
    const agent = makeAgent('fail');
    const err = await providerFor({ kind: 'command', create: ['node', cli, 'fail', '{agent}'] })!
      .create(agent, () => {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^database\.create: node exited with code 3: error: branch fail could not be created \(quota exceeded for postgresql:\/\/neondb_owner:\*\*\*@/);
    expect(msg).not.toContain(SECRET);
  });

  it('no URL in the output, or a missing program: DbError', async () => {
    const agent = makeAgent('nourl');
    await expect(providerFor({ kind: 'command', create: ['node', cli, 'no-url'] })!.create(agent, () => {})).rejects.toThrow(
      /database\.create: node printed no database URL/,
    );
    await expect(providerFor({ kind: 'command', create: 'no-such-program-xyz create' })!.create(agent, () => {})).rejects.toThrow(
      'database.create: no-such-program-xyz: command not found',
    );
  });

  it('refuses shell operators, redirects and globs in a string command', async () => {
    const agent = makeAgent('ops');
    for (const create of ['neon branches create; rm -rf /', 'neon create | tee x', 'neon create && echo', 'neon create > out', 'neon create db/*.sql']) {
      const err = await providerFor({ kind: 'command', create })!.create(agent, () => {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DbError);
      expect((err as Error).message).toMatch(/give database\.create as a list of arguments instead/);
    }
    expect(() => commandArgv('database.create', 'neon create {nope}', agent.vars)).toThrow(/unknown placeholder \{nope\}/);
  });

  it('drop runs the drop command in the worktree; no drop command: nothing', async () => {
    const agent = makeAgent('drop');
    const p = providerFor({ kind: 'command', create: ['node', cli, 'create', '{branch}'], drop: `node ${cli} delete {branch}` })!;
    const info = await p.create(agent, () => {});
    await p.drop(agent, info);
    expect(readFileSync(path.join(agent.worktree, 'fake-db-deleted.txt'), 'utf8')).toBe('feature/drop\n');
    await providerFor({ kind: 'command', create: ['node', cli, 'create', '{branch}'] })!.drop(agent, info);
    await expect(
      providerFor({ kind: 'command', create: 'x', drop: ['node', cli, 'fail', '{agent}'] })!.drop(agent, info),
    ).rejects.toThrow(/^database\.drop: node exited with code 3: error: branch drop could not be created/);
  });

  it('parses nested JSON and plans <project>-<agent>', () => {
    expect(parseCreateOutput('{"db": {"items": [{"x": 1}, {"uri": "mysql://u:p@h/db"}]}}')).toEqual({ url: 'mysql://u:p@h/db' });
    expect(parseCreateOutput('{"name": "br", "url": "https://console.example.com/x", "connection_uri": "postgres://h/db"}')).toEqual({
      url: 'postgres://h/db',
      name: 'br',
    });
    expect(parseCreateOutput('nothing here\n')).toBeNull();
    const agent = makeAgent('plan');
    expect(plannedName({ kind: 'command', create: 'x' }, agent)).toBe('shop-plan');
    expect(plannedName({ kind: 'command', create: 'x' }, { agent: 'plan', worktree: agent.worktree })).toBeNull();
  });
});
