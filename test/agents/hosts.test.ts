// Agents on other hosts, the pure parts: reading what the look script prints there (parseLook), paths
// with ~ made the host's (onHost), hook events read from a tail of the events file there
// (lastRemoteEvent), remote agents given what their host shows (attachRemote), the ssh command line
// and destination rules (Ssh), and `wait` still waiting for an unreachable agent (settle).
// No ssh, no tmux, no network.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attachRemote, lastRemoteEvent, onHost } from '../../src/agents/hosts/inventory.js';
import { parseLook, unreachable, type HostLook } from '../../src/agents/hosts/observe.js';
import type { AgentView } from '../../src/agents/inventory.js';
import { settle } from '../../src/agents/status/settle.js';
import type { AgentRow } from '../../src/agents/status/snapshot.js';
import type { Status } from '../../src/agents/status/status.js';
import type { Worktree } from '../../src/git/parse.js';
import type { ResolvedAgent } from '../../src/layout/resolve.js';
import { controlDirFor, Ssh, SshError } from '../../src/ssh/index.js';
import type { AgentRecord } from '../../src/state/store.js';
import { PANE_FIELDS, type PaneRow } from '../../src/tmux/format.js';

const NONCE = '::treemux-0123456789ab';
/** The separator the look script has tmux there put between pane fields (observe.ts REMOTE_SEP). */
const REMOTE_SEP = '<~tmx~>';
const SESSION_UUID = '0b6c2c1e-4f7a-4c55-9d8e-2a1b3c4d5e6f';

const paneRow = (over: Partial<PaneRow> = {}): PaneRow => {
  const row = Object.fromEntries(PANE_FIELDS.map((f) => [f, ''])) as PaneRow;
  return {
    ...row,
    session_id: '$1',
    window_id: '@1',
    window_name: 'auth',
    window_index: '1',
    window_activity: '1699999990',
    pane_id: '%1',
    pane_index: '0',
    pane_width: '200',
    pane_height: '50',
    pane_dead: '0',
    pane_pid: '4242',
    pane_current_command: 'claude',
    pane_title: 'dev box: claude',
    '@treemux-agent': 'auth',
    '@treemux-role': 'agent',
    'm:env TREEMUX_PLACEHOLDER=1 *,#{pane_start_command}': '0',
    ...over,
  };
};
/** One line of `list-panes -F REMOTE_FORMAT` as tmux there prints it. */
const paneLine = (p: PaneRow) => PANE_FIELDS.map((f) => p[f]).join(REMOTE_SEP);

const PORCELAIN = [
  'worktree /home/dev/src/shop',
  'HEAD 1111111111111111111111111111111111111111',
  'branch refs/heads/main',
  '',
  'worktree /home/dev/src/shop-auth',
  'HEAD 2222222222222222222222222222222222222222',
  'branch refs/heads/feature/auth',
  '',
  'worktree /home/dev/src/shop-ui',
  'HEAD 3333333333333333333333333333333333333333',
  'detached',
  'locked',
  '',
  '',
].join('\n');

const hookLine = (at: number, payload: unknown) => JSON.stringify({ at, payload });

/** What the look script (observe.ts SCRIPT) prints: repo, home, the clock, then its sections. */
function scriptOutput(o: {
  repo?: string;
  home?: string;
  clock?: string;
  panes?: PaneRow[];
  worktrees?: string;
  events?: [agent: string, size: number, tail: string][];
  screens?: [paneId: string, text: string][];
}): string {
  let out = `${o.repo ?? '/home/dev/src/shop'}\n${o.home ?? '/home/dev'}\n${o.clock ?? '1700000000'}\n`;
  out += `${NONCE} panes\n${(o.panes ?? []).map((p) => `${paneLine(p)}\n`).join('')}`;
  out += `${NONCE} worktrees\n${o.worktrees ?? ''}`;
  // `tail -c 4096 "$f"; echo`
  for (const [agent, size, tail] of o.events ?? []) out += `${NONCE} events ${agent} ${size}\n${tail}\n`;
  // `capture-pane -p` ends each line with a newline
  for (const [id, text] of o.screens ?? []) out += `${NONCE} screen ${id}\n${text}\n`;
  return out;
}

// the host's clock says 1_700_000_000 s; this machine's says 100 s later
const AT = 1_700_000_100_000;

describe('parseLook', () => {
  const agentPane = paneRow();
  const sidebar = paneRow({ pane_id: '%2', pane_index: '1', '@treemux-role': 'sidebar', pane_current_command: 'node' });
  const other = paneRow({ window_id: '@2', window_name: 'ui', window_index: '2', pane_id: '%3', '@treemux-agent': 'ui', window_activity: '' });
  const tail = `${hookLine(1_699_999_000_000, { hook_event_name: 'Stop', session_id: SESSION_UUID })}\n`;
  const out = scriptOutput({
    panes: [agentPane, sidebar, other],
    worktrees: PORCELAIN,
    events: [['auth', 321, tail]],
    screens: [
      ['%1', '> fix the login\n\n● Done.\n'],
      ['%3', ''],
    ],
  });
  const look = parseLook('box', out, NONCE, AT);

  it('reads the repo, the home and the clock skew (this machine minus the host, in seconds)', () => {
    expect(look).toMatchObject({ host: 'box', repo: '/home/dev/src/shop', home: '/home/dev', skew: 100, at: AT });
    expect(look.unreachable).toBeUndefined();
  });

  it('reads every pane field, window_activity moved onto this machine\'s clock', () => {
    expect(look.panes).toEqual([
      { ...agentPane, window_activity: '1700000090' },
      { ...sidebar, window_activity: '1700000090' },
      other, // no activity: left empty, not made a number
    ]);
    expect(look.panes[0]!['@treemux-agent']).toBe('auth');
    expect(look.panes[0]!.pane_title).toBe('dev box: claude');
  });

  it('a host ahead of this machine moves activity back; no clock means no skew', () => {
    const ahead = parseLook('box', scriptOutput({ clock: '1700000250', panes: [agentPane] }), NONCE, AT);
    expect(ahead.skew).toBe(-150);
    expect(ahead.panes[0]!.window_activity).toBe('1699999840');
    const noClock = parseLook('box', scriptOutput({ clock: 'date: not found', panes: [agentPane] }), NONCE, AT);
    expect(noClock.skew).toBe(0);
    expect(noClock.panes[0]!.window_activity).toBe('1699999990');
    expect(parseLook('box', scriptOutput({ clock: '' }), NONCE, AT).skew).toBe(0);
  });

  it('reads the worktrees from porcelain output with newlines, the first one the main', () => {
    expect(look.worktrees).toEqual<Worktree[]>([
      { path: '/home/dev/src/shop', head: '1111111111111111111111111111111111111111', branch: 'main', detached: false, bare: false, locked: false, prunable: false, main: true },
      { path: '/home/dev/src/shop-auth', head: '2222222222222222222222222222222222222222', branch: 'feature/auth', detached: false, bare: false, locked: false, prunable: false, main: false },
      { path: '/home/dev/src/shop-ui', head: '3333333333333333333333333333333333333333', branch: null, detached: true, bare: false, locked: true, prunable: false, main: false },
    ]);
  });

  it('reads screens by pane id, the last newline of capture-pane off', () => {
    expect([...look.screens.entries()]).toEqual([
      ['%1', '> fix the login\n\n● Done.\n'],
      ['%3', ''],
    ]);
  });

  it('reads hook events by agent: the file size there and its tail', () => {
    expect([...look.events.entries()]).toEqual([['auth', { size: 321, tail: `${tail}\n` }]]);
    // what lastRemoteEvent makes of that tail
    expect(lastRemoteEvent('claude', look.events.get('auth')!.tail)).toMatchObject({ event: 'Stop', sessionId: SESSION_UUID, at: 1_699_999_000_000 });
  });

  it('events of several agents and screens of several panes, in any order', () => {
    const many = parseLook(
      'box',
      scriptOutput({
        events: [
          ['auth', 10, hookLine(1, { hook_event_name: 'Stop' })],
          ['ui', 20, hookLine(2, { hook_event_name: 'PreToolUse', tool_name: 'Bash' })],
        ],
        screens: [
          ['%1', 'one'],
          ['%7', 'two\nlines'],
        ],
      }),
      NONCE,
      AT,
    );
    expect([...many.events.keys()]).toEqual(['auth', 'ui']);
    expect(many.events.get('ui')!.size).toBe(20);
    expect(Object.fromEntries(many.screens)).toEqual({ '%1': 'one', '%7': 'two\nlines' });
  });

  it('a host with no session and no clone there: nothing, but the repo and home it printed', () => {
    const empty = parseLook('box', scriptOutput({ repo: '/home/dev/nowhere' }), NONCE, AT);
    expect(empty).toMatchObject({ host: 'box', repo: '/home/dev/nowhere', home: '/home/dev', panes: [], worktrees: [] });
    expect(empty.screens.size).toBe(0);
    expect(empty.events.size).toBe(0);
  });

  it('text on a screen that looks like a section title without the nonce stays screen text', () => {
    const tricky = parseLook('box', scriptOutput({ screens: [['%1', '::treemux-ffffffffffff panes\nx<~tmx~>y']] }), NONCE, AT);
    expect(tricky.panes).toEqual([]);
    expect(tricky.screens.get('%1')).toBe('::treemux-ffffffffffff panes\nx<~tmx~>y');
  });

  it('unreachable(): the reason, nothing seen', () => {
    expect(unreachable('box', 'ssh dev@build-1: Connection refused', 5)).toEqual({
      host: 'box',
      unreachable: 'ssh dev@build-1: Connection refused',
      panes: [],
      worktrees: [],
      screens: new Map(),
      events: new Map(),
      at: 5,
    });
  });
});

describe('onHost', () => {
  const look = { home: '/home/dev' } as HostLook;
  it('expands ~ and ~/x with the host\'s home', () => {
    expect(onHost('~', look)).toBe('/home/dev');
    expect(onHost('~/src/shop-auth', look)).toBe('/home/dev/src/shop-auth');
  });
  it('keeps absolute paths, ~user paths, and everything when the home is not known', () => {
    expect(onHost('/srv/shop-auth', look)).toBe('/srv/shop-auth');
    expect(onHost('~dev/src', look)).toBe('~dev/src');
    expect(onHost('~/src/shop-auth', undefined)).toBe('~/src/shop-auth');
    expect(onHost('~/src/shop-auth', unreachable('box', 'down'))).toBe('~/src/shop-auth');
  });
});

describe('lastRemoteEvent', () => {
  const stop = { hook_event_name: 'Stop', session_id: SESSION_UUID, transcript_path: '/home/dev/.claude/projects/x/s.jsonl' };
  const tool = { hook_event_name: 'PreToolUse', tool_name: 'Bash', session_id: SESSION_UUID };

  it('reads a Claude Code hook payload as `treemux hook` does', () => {
    expect(lastRemoteEvent('claude', `${hookLine(1000, stop)}\n`)).toEqual({
      at: 1000,
      event: 'Stop',
      sessionId: SESSION_UUID,
      transcriptPath: '/home/dev/.claude/projects/x/s.jsonl',
      message: undefined,
      tool: undefined,
    });
    const notice = lastRemoteEvent('claude', hookLine(5, { hook_event_name: 'Notification', message: 'Claude needs your permission to use Bash' }));
    expect(notice).toMatchObject({ event: 'Notification', message: 'Claude needs your permission to use Bash' });
  });

  it('the last event wins', () => {
    const tail = [hookLine(1000, stop), hookLine(2000, tool), ''].join('\n');
    expect(lastRemoteEvent('claude', tail)).toMatchObject({ at: 2000, event: 'PreToolUse', tool: 'Bash' });
  });

  it('adds the skew (ms) to at', () => {
    expect(lastRemoteEvent('claude', hookLine(1000, stop), 100_000)?.at).toBe(101_000);
    expect(lastRemoteEvent('claude', hookLine(1000, stop), -500)?.at).toBe(500);
  });

  it('skips a line cut by the tail, one being written, a non-object payload and a line that is not JSON', () => {
    const tail = [
      'e_name":"Stop"}}', // the first line, cut by tail -c
      hookLine(1000, stop),
      'not json at all',
      '{this is not json}',
      hookLine(2000, 'Stop'),
      hookLine(3000, ['Stop']),
      hookLine(4000, null),
      JSON.stringify({ payload: tool }), // no at
      JSON.stringify({ at: '5000', payload: tool }), // at not a number
      '[1, 2]',
      '{"at": 6000, "payload": {"hook_event_name": "PreTo', // being written
    ].join('\n');
    expect(lastRemoteEvent('claude', tail)).toMatchObject({ at: 1000, event: 'Stop' });
  });

  it('checks every value of the payload', () => {
    const e = lastRemoteEvent('claude', hookLine(1, { hook_event_name: 'Stop\u001b[2J', session_id: '$(rm -rf ~)', transcript_path: 'relative.jsonl', tool_name: 7 }));
    expect(e).toEqual({ at: 1, event: 'Stop [2J', sessionId: undefined, transcriptPath: undefined, message: undefined, tool: undefined });
    expect(lastRemoteEvent('claude', hookLine(1, {}))?.event).toBe('unknown');
  });

  it('nothing to read: undefined', () => {
    expect(lastRemoteEvent('claude', '')).toBeUndefined();
    expect(lastRemoteEvent('claude', '\n\n')).toBeUndefined();
    expect(lastRemoteEvent('claude', 'garbage\n{"at":1}\n')).toBeUndefined();
  });

  it('reads a last event longer than 4 KB (the look sends the file\'s last lines whole, not its last bytes)', () => {
    const file = [hookLine(1000, stop), hookLine(2000, { hook_event_name: 'UserPromptSubmit', session_id: SESSION_UUID, prompt: 'x'.repeat(5000) }), ''].join('\n');
    const tail = file.split('\n').slice(-4).join('\n'); // what `tail -n 3 "$f"` gives
    const look = parseLook('box', scriptOutput({ events: [['auth', file.length, tail]] }), NONCE, AT);
    expect(lastRemoteEvent('claude', look.events.get('auth')!.tail)?.event).toBe('UserPromptSubmit');
  });

  it('a kind without hooks (other): undefined', () => {
    expect(lastRemoteEvent('other', hookLine(1000, stop))).toBeUndefined();
  });
});

describe('attachRemote', () => {
  const spec = (name: string, over: Partial<ResolvedAgent> = {}): ResolvedAgent => ({
    name,
    index: 1,
    task: '',
    command: 'claude',
    args: [],
    kind: 'claude',
    mode: 'interactive',
    base: 'main',
    branch: `feature/${name}`,
    worktree: `~/src/shop-${name}`,
    scope: [],
    avoid: [],
    done: [],
    dependsOn: [],
    startAfter: [],
    role: 'worker',
    scopeMode: 'deny',
    host: 'box',
    ...over,
  });
  const record = (name: string, over: Partial<AgentRecord> = {}): AgentRecord => ({
    name,
    branch: `feature/${name}`,
    base: 'main',
    worktree: `~/src/shop-${name}`,
    task: '',
    source: 'layout',
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBranch: true,
    ...over,
  });
  const view = (name: string, over: Partial<AgentView> = {}): AgentView => ({ name, spec: spec(name), inLayout: true, status: 'stopped', ...over });

  it('an unreachable host: a recorded agent is unreachable, its worktree kept from its record', () => {
    const made = view('auth', { record: record('auth', { worktree: '~/src/shop-auth', branch: 'feature/auth-v2' }), pane: paneRow(), status: 'busy' });
    const never = view('ui');
    const local = view('api', { spec: spec('api', { host: 'local', worktree: '/home/me/src/shop-api' }), status: 'idle' });
    attachRemote([made, never, local], new Map([['box', unreachable('box', 'ssh dev@build-1: Connection timed out')]]));
    expect(made.status).toBe('unreachable');
    expect(made.remote).toEqual({ host: 'box', unreachable: 'ssh dev@build-1: Connection timed out' });
    expect(made.pane).toBeUndefined();
    expect(made.worktree).toEqual({ path: '~/src/shop-auth', head: null, branch: 'feature/auth-v2', detached: false, bare: false, locked: false, prunable: false, main: false });
    expect(made.spec.worktree).toBe('~/src/shop-auth');
    // nothing was made of it: no worktree to show, but still unreachable
    expect(never.status).toBe('unreachable');
    expect(never.worktree).toBeUndefined();
    // a local agent is left alone
    expect(local).toEqual(view('api', { spec: spec('api', { host: 'local', worktree: '/home/me/src/shop-api' }), status: 'idle' }));
  });

  it('a host that was not looked at is unreachable too', () => {
    const a = view('auth', { record: record('auth') });
    attachRemote([a], new Map());
    expect(a.status).toBe('unreachable');
    expect(a.remote).toEqual({ host: 'box', unreachable: 'not looked at' });
  });

  describe('a reachable host', () => {
    const auth = paneRow();
    const authSidebar = paneRow({ pane_id: '%2', pane_index: '1', '@treemux-role': 'sidebar' });
    const uiDead = paneRow({ window_id: '@2', pane_id: '%3', '@treemux-agent': 'ui', pane_dead: '1', pane_dead_status: '1' });
    const look = parseLook(
      'box',
      scriptOutput({
        panes: [authSidebar, auth, uiDead],
        worktrees: PORCELAIN,
        events: [['auth', 321, `${hookLine(1_699_999_000_000, { hook_event_name: 'UserPromptSubmit', session_id: SESSION_UUID })}\n`]],
        screens: [['%1', '✶ Thinking… (esc to interrupt)']],
      }),
      NONCE,
      AT,
    );
    const looks = new Map([['box', look]]);

    it('finds the pane by @treemux-agent and role agent, and the worktree by its path there', () => {
      const a = view('auth', { record: record('auth') });
      attachRemote([a], looks);
      expect(a.pane?.pane_id).toBe('%1');
      expect(a.worktree?.path).toBe('/home/dev/src/shop-auth');
      expect(a.spec.worktree).toBe('/home/dev/src/shop-auth');
      expect(a.spec.branch).toBe('feature/auth');
      expect(a.status).toBe('idle'); // alive: the watcher refines it
      expect(a.remote).toEqual({
        host: 'box',
        screen: '✶ Thinking… (esc to interrupt)',
        repo: '/home/dev/src/shop',
        eventsSize: 321,
        // the host's clock is 100 s behind: its event is moved onto this machine's
        hook: { at: 1_699_999_100_000, event: 'UserPromptSubmit', sessionId: SESSION_UUID, transcriptPath: undefined, message: undefined, tool: undefined },
      });
    });

    it('the branch is the worktree\'s there; the record\'s worktree is used before the layout\'s', () => {
      const a = view('auth', { spec: spec('auth', { worktree: '~/elsewhere/auth', branch: 'feature/renamed' }), record: record('auth') });
      attachRemote([a], looks);
      expect(a.worktree?.path).toBe('/home/dev/src/shop-auth');
      expect(a.spec.branch).toBe('feature/auth');
    });

    it('a dead pane is exited; a worktree without a pane is stopped; with neither, the status is left as it was', () => {
      const ui = view('ui', { status: 'busy' });
      const detachedUi = ui; // its worktree there is detached: no branch from it
      const api = view('api', { status: 'stopped' });
      const gone = view('gone', { spec: spec('gone', { worktree: '/srv/none' }), status: 'queued' });
      const lonely = view('lonely', { spec: spec('lonely', { worktree: '~/src/shop-ui' }), status: 'busy' });
      attachRemote([ui, api, gone, lonely], looks);
      expect(ui.status).toBe('exited');
      expect(detachedUi.spec.branch).toBe('feature/ui');
      expect(ui.remote?.screen).toBeUndefined();
      expect(ui.remote).not.toHaveProperty('eventsSize');
      expect(api.status).toBe('stopped');
      expect(api.pane).toBeUndefined();
      expect(api.worktree).toBeUndefined();
      expect(gone.status).toBe('queued');
      expect(lonely.status).toBe('stopped');
      expect(lonely.worktree?.path).toBe('/home/dev/src/shop-ui');
    });

    it('a queued agent whose pane is alive stays queued', () => {
      const a = view('auth', { status: 'queued' });
      attachRemote([a], looks);
      expect(a.status).toBe('queued');
    });

    it('the main worktree is never an agent\'s', () => {
      const a = view('main', { spec: spec('main', { worktree: '~/src/shop' }) });
      attachRemote([a], looks);
      expect(a.worktree).toBeUndefined();
    });
  });
});

describe('Ssh', () => {
  const dir = '/tmp/treemux-ssh-test';

  it('line() single-quotes every word: nothing is code for the shell there', () => {
    expect(Ssh.line(['git', '-C', '/home/dev/src/shop', 'log'])).toBe(`'git' '-C' '/home/dev/src/shop' 'log'`);
    expect(Ssh.line(["it's"])).toBe(`'it'\\''s'`);
    expect(Ssh.line(['$(touch /tmp/pwned)', '`id`', '$HOME'])).toBe(`'$(touch /tmp/pwned)' '\`id\`' '$HOME'`);
    expect(Ssh.line(['a; rm -rf ~', 'a && b', 'a | b', 'x > y'])).toBe(`'a; rm -rf ~' 'a && b' 'a | b' 'x > y'`);
    expect(Ssh.line(['two words', '  ', 'tab\there', 'new\nline'])).toBe(`'two words' '  ' 'tab\there' 'new\nline'`);
    expect(Ssh.line(['-rf', '--', '-'])).toBe(`'-rf' '--' '-'`);
    expect(Ssh.line(['', '*', '~/x'])).toBe(`'' '*' '~/x'`);
    expect(Ssh.line([])).toBe('');
  });

  it('refuses a destination that would be an option, or not one word', () => {
    for (const dest of ['-oProxyCommand=touch /tmp/x', '-p', 'dev@build-1 -p 22', 'dev@build 1', 'a\tb', 'a\nb', 'a\rb', 'dev@build-1\u0000', 'a\u001bb', ' dev@build-1']) {
      expect(() => new Ssh({ dest, controlDir: dir }), JSON.stringify(dest)).toThrow(SshError);
    }
    expect(() => new Ssh({ dest: '-oProxyCommand=x', controlDir: dir })).toThrow('not an ssh destination: "-oProxyCommand=x"');
  });

  it('takes user@host, a Host alias and an ssh:// URL', () => {
    expect(new Ssh({ dest: 'dev@build-1', controlDir: dir }).dest).toBe('dev@build-1');
    expect(new Ssh({ dest: 'build-box', controlDir: dir }).dest).toBe('build-box');
    expect(new Ssh({ dest: 'ssh://dev@build-1:2222', controlDir: dir }).dest).toBe('ssh://dev@build-1:2222');
  });

  it('gitUrl: scp-like for user@host, the path appended for ssh://', () => {
    expect(new Ssh({ dest: 'dev@build-1', controlDir: dir }).gitUrl('/home/dev/src/shop')).toBe('dev@build-1:/home/dev/src/shop');
    expect(new Ssh({ dest: 'build-box', controlDir: dir }).gitUrl('/srv/shop')).toBe('build-box:/srv/shop');
    expect(new Ssh({ dest: 'ssh://dev@build-1:2222', controlDir: dir }).gitUrl('/home/dev/src/shop')).toBe('ssh://dev@build-1:2222/home/dev/src/shop');
    expect(new Ssh({ dest: 'ssh://dev@build-1:2222/', controlDir: dir }).gitUrl('/home/dev/src/shop')).toBe('ssh://dev@build-1:2222/home/dev/src/shop');
  });

  it('puts the destination after -- and the remote command as one line after it', () => {
    const ssh = new Ssh({ dest: 'dev@build-1', controlDir: dir });
    expect(ssh.options()).toEqual(expect.arrayContaining(['-o', `ControlPath=${join(dir, '%C')}`, 'BatchMode=yes']));
    const args = ssh.streamArgs(['tmux', '-C', 'attach', '-t', '=shop']);
    expect(args.slice(-3)).toEqual(['--', 'dev@build-1', `'tmux' '-C' 'attach' '-t' '=shop'`]);
    const inter = ssh.interactiveArgv(['tmux', 'attach']);
    expect(inter[0]).toBe('ssh');
    expect(inter).toContain('-t');
    expect(inter.slice(-3)).toEqual(['--', 'dev@build-1', `'tmux' 'attach'`]);
  });
});

describe('controlDirFor', () => {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const fallback = join(tmpdir(), `treemux-ssh-${uid}`);

  it('a short state home: under it', () => {
    expect(controlDirFor('/home/me/.local/state')).toBe('/home/me/.local/state/treemux/ssh');
  });

  it('one too long for a socket path (ssh adds /<40 hex>.<16 random>, 100 bytes at most): a folder in the OS tmpdir', () => {
    const long = `/home/${'x'.repeat(80)}/.local/state`;
    expect(controlDirFor(long)).toBe(fallback);
  });

  it('the limit: 42 characters of folder fit, 43 do not', () => {
    const at = (n: number) => `/${'s'.repeat(n - '/treemux/ssh'.length - 1)}`;
    expect(join(at(42), 'treemux', 'ssh')).toHaveLength(42);
    expect(controlDirFor(at(42))).toBe(join(at(42), 'treemux', 'ssh'));
    expect(controlDirFor(at(43))).toBe(fallback);
  });
});

describe('settle with agents on hosts', () => {
  const row = (name: string, status: Status, over: Partial<AgentRow> = {}): AgentRow =>
    ({ name, status, ok: null, exitCode: null, costUsd: null, lastLine: '', ...over }) as AgentRow;

  it('an unreachable agent is still pending: its host may come back with it at work', () => {
    const s = settle([row('auth', 'unreachable', { host: 'box' })], ['auth']);
    expect(s).toEqual({ done: false, pending: [{ name: 'auth', status: 'unreachable' }], finished: [] });
  });

  it('beside agents that finished, wait goes on for the unreachable one', () => {
    const s = settle([row('auth', 'unreachable', { host: 'box' }), row('ui', 'idle'), row('api', 'exited', { ok: true })], ['auth', 'ui', 'api']);
    expect(s.done).toBe(false);
    expect(s.pending).toEqual([{ name: 'auth', status: 'unreachable' }]);
    expect(s.finished.map((f) => [f.name, f.problem])).toEqual([
      ['ui', null],
      ['api', null],
    ]);
  });
});
