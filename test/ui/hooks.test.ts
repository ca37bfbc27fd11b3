import { describe, expect, it } from 'vitest';
import { perform } from '../../src/ui/hooks.js';
import type { DashAction } from '../../src/ui/reducer.js';
import { fakeActions } from './helpers.js';

function harness() {
  const actions = fakeActions();
  const dispatched: DashAction[] = [];
  let exited = 0;
  return { actions, dispatched, dispatch: (a: DashAction) => void dispatched.push(a), exit: () => void exited++, exited: () => exited };
}

describe('perform', () => {
  it("calls the action and shows its message (none when it returns null)", async () => {
    const h = harness();
    await perform({ kind: 'send', name: 'auth', text: 'hi' }, h.actions, h.dispatch, h.exit);
    expect(h.actions.calls).toEqual([['send', 'auth', 'hi']]);
    expect(h.dispatched).toEqual([]);
    h.actions.reply = 'added search';
    await perform({ kind: 'add', name: 'search', task: 't' }, h.actions, h.dispatch, h.exit);
    expect(h.dispatched).toEqual([{ type: 'setMessage', text: 'added search' }]);
  });

  it('reports what removalBlocker and log answer back to the reducer', async () => {
    const h = harness();
    h.actions.blocker = 'uncommitted work';
    h.actions.logLines = ['a', 'b'];
    await perform({ kind: 'checkRemoval', name: 'auth' }, h.actions, h.dispatch, h.exit);
    await perform({ kind: 'loadLog', name: 'auth', lines: 200 }, h.actions, h.dispatch, h.exit);
    expect(h.dispatched).toEqual([
      { type: 'removalChecked', name: 'auth', blocker: 'uncommitted work' },
      { type: 'logLoaded', name: 'auth', lines: ['a', 'b'] },
    ]);
  });

  it('turns a failed action into a message, closing a remove check and filling the log view', async () => {
    const h = harness();
    const boom = async () => {
      throw new Error('tmux is gone');
    };
    Object.assign(h.actions, { jump: boom, removalBlocker: boom, log: boom });
    await perform({ kind: 'jump', name: 'auth' }, h.actions, h.dispatch, h.exit);
    await perform({ kind: 'checkRemoval', name: 'auth' }, h.actions, h.dispatch, h.exit);
    await perform({ kind: 'loadLog', name: 'auth', lines: 200 }, h.actions, h.dispatch, h.exit);
    expect(h.dispatched).toEqual([
      { type: 'setMessage', text: 'jump failed: tmux is gone' },
      { type: 'cancelInput' },
      { type: 'setMessage', text: 'checkRemoval failed: tmux is gone' },
      { type: 'logLoaded', name: 'auth', lines: ['could not read the log: tmux is gone'] },
    ]);
  });

  it('quit calls actions.quit and leaves the app', async () => {
    const h = harness();
    await perform({ kind: 'quit' }, h.actions, h.dispatch, h.exit);
    expect(h.actions.calls).toEqual([['quit']]);
    expect(h.exited()).toBe(1);
  });
});
