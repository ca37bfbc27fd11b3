// Actions.screen: the bottom of a pane's screen, on a real tmux server (a private socket), through a
// control client and without one; and the pure part that fits a capture.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentActions, screenBottom } from '../../src/agents/actions.js';
import type { Ctx } from '../../src/project/context.js';
import { ControlClient } from '../../src/tmux/control.js';
import { isolatedTmux, paneDump, waitFor, type IsolatedTmux } from '../helpers/tmux.js';

describe('screenBottom', () => {
  it('keeps the bottom rows, without escapes, trailing blanks or the blank rows at the end', () => {
    expect(screenBottom('a\n\x1b[1mb\x1b[0m   \nc\n\n\n', 2)).toEqual(['b', 'c']);
    expect(screenBottom('a\n\nb', 10)).toEqual(['a', '', 'b']);
    expect(screenBottom('\n\n', 5)).toEqual([]);
    expect(screenBottom('a\nb', 0)).toEqual([]);
  });
});

describe('Actions.screen on a real tmux', () => {
  let t: IsolatedTmux;
  let pane = '';
  let session = '';
  let control: ControlClient | null = null;

  beforeAll(async () => {
    t = await isolatedTmux();
    const cwd = path.join(t.dirs.scratch, 'screen');
    mkdirSync(cwd, { recursive: true });
    const script = 'for i in 1 2 3 4 5 6; do printf "line %s\\n" "$i"; done; printf "\\033[1mbold\\033[0m end\\n"; exec sleep 300';
    const made = await t.tmux.newSession('screen', 'w', { cwd, command: ['sh', '-c', script] }, { width: 80, height: 24 });
    pane = made.paneId;
    session = made.sessionId;
    await waitFor(async () => (await t.run(['capture-pane', '-p', '-t', pane])).includes('bold end'), { what: 'the lines on the screen', dump: paneDump(t, pane) });
  });
  afterAll(async () => {
    control?.close();
    await t?.kill();
  });

  const ctx = () => ({ tmux: t.tmux }) as unknown as Ctx;

  it('reads the bottom of the screen with a capture-pane when there is no control client', async () => {
    const actions = agentActions(ctx(), () => undefined);
    expect(await actions.screen(pane, 3)).toEqual(['line 5', 'line 6', 'bold end']);
  });

  it('reads it through the control client when there is one', async () => {
    control = ControlClient.attach(t.tmux, session);
    const actions = agentActions(ctx(), () => undefined, () => control);
    expect(await actions.screen(pane, 2)).toEqual(['line 6', 'bold end']);
    expect(await actions.screen(pane, 100)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'bold end']);
  });

  it('reads only tmux pane ids, and rejects a pane that is gone', async () => {
    const actions = agentActions(ctx(), () => undefined);
    await expect(actions.screen('screen:w', 3)).rejects.toThrow(/not a tmux pane/);
    await expect(actions.screen('%99999', 3)).rejects.toThrow();
  });
});
