// Who is told when an agent starts waiting for the user or ends its turn, and what tmux is asked to
// show them: pure decisions, and the doer against a recording stand-in for the control client.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newsOf, tell, tellings } from '../../src/agents/status/notify.js';
import type { AgentRow } from '../../src/agents/status/snapshot.js';
import type { Status } from '../../src/agents/status/status.js';
import type { ControlClient } from '../../src/tmux/control.js';
import type { ClientRow } from '../../src/tmux/message.js';

const row = (name: string, status: Status): AgentRow => ({ name, status }) as AgentRow;
const client = (name: string, window: string, extra: Partial<ClientRow> = {}): ClientRow => ({
  client_name: name,
  client_tty: '',
  client_control_mode: '0',
  window_id: window,
  ...extra,
});

describe('newsOf', () => {
  const never = () => false;

  it('is a new question, or a turn that ended (busy to idle)', () => {
    const before = new Map<string, Status | undefined>([
      ['asks', 'busy'],
      ['ended', 'busy'],
      ['started', 'idle'],
      ['exited', 'busy'],
    ]);
    const now = [row('asks', 'waiting'), row('ended', 'idle'), row('started', 'busy'), row('exited', 'exited')];
    expect(newsOf(now, before, never).map((a) => a.name)).toEqual(['asks', 'ended']);
  });

  it('is never the first status seen, a status that did not change, or idle after something else than busy', () => {
    const before = new Map<string, Status | undefined>([
      ['first', undefined],
      ['still', 'waiting'],
      ['came', 'starting'],
    ]);
    expect(newsOf([row('first', 'waiting'), row('still', 'waiting'), row('came', 'idle'), row('unknown', 'waiting')], before, never)).toEqual([]);
  });

  it('is not a change a resize redraw made', () => {
    const before = new Map<string, Status | undefined>([['auth', 'busy']]);
    expect(newsOf([row('auth', 'idle')], before, (name) => name === 'auth')).toEqual([]);
  });
});

describe('tellings', () => {
  const windowOf = new Map<string, string | undefined>([
    ['auth', '@1'],
    ['api', '@2'],
    ['gone', undefined],
  ]);

  it('tells each real client the news of the agents whose window it does not show', () => {
    const news = [row('auth', 'waiting'), row('api', 'idle')];
    expect(tellings(news, [client('/dev/pts/1', '@1', { client_tty: '/dev/pts/1' }), client('/dev/pts/2', '@9')], windowOf)).toEqual([
      { client: '/dev/pts/1', tty: '/dev/pts/1', text: 'treemux: api finished its turn' },
      { client: '/dev/pts/2', tty: '', text: 'treemux: auth needs you; api finished its turn' },
    ]);
  });

  it('tells control clients nothing, nor a client that already shows every agent with news', () => {
    const news = [row('auth', 'waiting')];
    expect(tellings(news, [client('client-7', '@9', { client_control_mode: '1' }), client('/dev/pts/1', '@1'), client('', '@9')], windowOf)).toEqual([]);
  });

  it('tells of an agent without a window everywhere', () => {
    expect(tellings([row('gone', 'idle')], [client('/dev/pts/1', '@1')], windowOf)).toEqual([{ client: '/dev/pts/1', tty: '', text: 'treemux: gone finished its turn' }]);
  });
});

describe('tell', () => {
  /** A control client that answers list-clients with CLIENTS and records every command. */
  const recorder = (clients: ClientRow[]) => {
    const sent: string[][] = [];
    const control = {
      command: async (args: readonly string[]) => {
        sent.push([...args]);
        if (args[0] !== 'list-clients') return [];
        return clients.map((c) => [c.client_name, c.client_tty, c.client_control_mode, c.window_id].join('\x1f'));
      },
    } as unknown as ControlClient;
    return { control, sent };
  };

  it('lists the clients, shows each its message with # escaped, and rings its terminal bell', async () => {
    const tty = join(mkdtempSync(join(tmpdir(), 'treemux-notify-')), 'tty');
    writeFileSync(tty, '');
    const { control, sent } = recorder([client('/dev/pts/1', '@9', { client_tty: tty })]);
    await tell(control, '$1', [row('issue#12', 'waiting')], new Map([['issue#12', '@1']]));
    expect(sent).toEqual([
      ['list-clients', '-t', '$1', '-F', '#{client_name}\x1f#{client_tty}\x1f#{client_control_mode}\x1f#{window_id}'],
      ['display-message', '-c', '/dev/pts/1', '-d', '4000', 'treemux: issue##12 needs you'],
    ]);
    expect(readFileSync(tty, 'utf8')).toBe('\x07');
  });

  it('asks tmux nothing when there is no news, and survives a client it cannot reach', async () => {
    const quiet = recorder([client('/dev/pts/1', '@9')]);
    await tell(quiet.control, '$1', [], new Map());
    expect(quiet.sent).toEqual([]);

    const failing = { command: async () => Promise.reject(new Error('tmux control client ended')) } as unknown as ControlClient;
    await expect(tell(failing, '$1', [row('auth', 'waiting')], new Map())).resolves.toBeUndefined();
  });
});
