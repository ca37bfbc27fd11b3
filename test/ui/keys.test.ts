import { describe, expect, it } from 'vitest';
import { barItems, bindingLabel, commandFor, COMMANDS, KEYS, keyLabel, matches, SCOPES, type KeyState } from '../../src/ui/keys.js';
import { actionFor, keyAction, scopeOf } from '../../src/ui/hooks.js';
import type { Dialog } from '../../src/ui/reducer.js';

const none: KeyState = {};

describe('KEYS', () => {
  it('has an entry with bindings and a description for every command, in a known scope', () => {
    expect(Object.keys(KEYS).sort()).toEqual([...COMMANDS].sort());
    for (const c of COMMANDS) {
      expect(KEYS[c].bindings.length, c).toBeGreaterThan(0);
      expect(KEYS[c].description, c).not.toBe('');
      expect(SCOPES.map((s) => s.scope)).toContain(KEYS[c].scope);
    }
  });

  it('never binds one key to two commands in the same scope', () => {
    for (const { scope } of SCOPES) {
      const seen = new Map<string, string>();
      for (const c of COMMANDS.filter((c) => KEYS[c].scope === scope)) {
        for (const b of KEYS[c].bindings) {
          const id = JSON.stringify(b);
          expect(seen.get(id), `${id} in ${scope}`).toBeUndefined();
          seen.set(id, c);
        }
      }
    }
  });

  it('maps key presses to commands by scope', () => {
    expect(commandFor('list', 'j', none)).toBe('down');
    expect(commandFor('list', '', { downArrow: true })).toBe('down');
    expect(commandFor('list', 'k', none)).toBe('up');
    expect(commandFor('list', '', { return: true })).toBe('jump');
    expect(commandFor('list', '7', none)).toBe('jumpIndex');
    expect(commandFor('list', '0', none)).toBeNull();
    expect(commandFor('list', 'q', none)).toBe('quit');
    expect(commandFor('list', 'q', { ctrl: true })).toBeNull();
    expect(commandFor('list', 'j', { meta: true })).toBeNull();
    expect(commandFor('help', 'q', none)).toBe('closeHelp');
    expect(commandFor('log', 'q', none)).toBe('closeLog');
    expect(commandFor('log', '', { pageUp: true })).toBe('logPageUp');
    expect(commandFor('text', 'q', none)).toBeNull();
    expect(commandFor('text', 'u', { ctrl: true })).toBe('clearLine');
    expect(commandFor('text', '', { delete: true })).toBe('erase');
    expect(commandFor('list', 's', none, ['up', 'down', 'jump', 'jumpIndex'])).toBeNull();
    expect(commandFor('list', 'p', none)).toBe('preview');
    expect(commandFor('list', 'p', none, ['up', 'down', 'jump', 'jumpIndex'])).toBeNull(); // not in the sidebar
  });

  it('labels keys for the help', () => {
    expect(keyLabel('down')).toBe('j/↓');
    expect(keyLabel('jumpIndex')).toBe('1-9');
    expect(keyLabel('clearLine')).toBe('Ctrl-U');
    expect(bindingLabel({ input: ' ' })).toBe('Space');
    expect(matches({ key: 'escape' }, '', { escape: true })).toBe(true);
  });

  it('fits the help bar to the width, keeping the last two items', () => {
    const all = barItems('list');
    expect(all.map((i) => `${i.keys} ${i.text}`)).toEqual(['j/k select', 'Enter/1-9 jump', 'n new', 's send', 'a send all', 'x remove', 'l log', 'r restart', '? help', 'q quit']);
    const narrow = barItems('list', 40);
    expect(narrow.slice(-2).map((i) => i.text)).toEqual(['help', 'quit']);
    expect(narrow.map((i) => `${i.keys} ${i.text}`).join('  ').length).toBeLessThanOrEqual(40);
    expect(barItems('list', 5)).toHaveLength(2);
  });
});

describe('keyAction', () => {
  const list: Dialog = { kind: 'none' };
  const send: Dialog = { kind: 'send', target: 'a', value: '' };
  const log: Dialog = { kind: 'log', target: 'a', lines: [], fromEnd: 0 };
  const confirm: Dialog = { kind: 'remove', target: 'a', phase: 'confirm', blocker: null, value: '' };
  const force: Dialog = { kind: 'remove', target: 'a', phase: 'force', blocker: 'x', value: '' };

  it('routes keys to the dialog on top: q is a letter in an input, quits in the list', () => {
    expect(keyAction(list, 'q', none, 10)).toEqual({ type: 'quit' });
    expect(keyAction(send, 'q', none, 10)).toEqual({ type: 'editInput', edit: { kind: 'insert', text: 'q' } });
    expect(keyAction(send, '', { return: true }, 10)).toEqual({ type: 'submitInput' });
    expect(keyAction(send, '', { escape: true, meta: true }, 10)).toEqual({ type: 'cancelInput' });
    expect(keyAction(send, 'x', { ctrl: true }, 10)).toBeNull();
    expect(keyAction(log, 'q', none, 10)).toEqual({ type: 'closeLog' });
    expect(keyAction(log, 'x', none, 10)).toBeNull();
    expect(keyAction(list, '3', none, 10)).toEqual({ type: 'jumpIndex', index: 3 });
    expect(keyAction(list, 'z', none, 10)).toBeNull();
  });

  it('y/N: y removes, anything else keeps; a forced remove is typed', () => {
    expect(keyAction(confirm, 'y', none, 10)).toEqual({ type: 'confirmRemove' });
    expect(keyAction(confirm, 'z', none, 10)).toEqual({ type: 'cancelInput' });
    expect(keyAction(confirm, '', { return: true }, 10)).toEqual({ type: 'cancelInput' });
    expect(keyAction(force, 'y', none, 10)).toEqual({ type: 'editInput', edit: { kind: 'insert', text: 'y' } });
    expect(scopeOf(force)).toBe('text');
  });

  it('has an action for every command', () => {
    for (const c of COMMANDS) expect(actionFor(c, '1', 10), c).not.toBeNull();
    expect(actionFor('logPageDown', '', 12)).toEqual({ type: 'scrollLog', delta: 12, height: 12 });
  });
});
