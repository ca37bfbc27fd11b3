// Keys are data: every command of the dashboard and the sidebar, its bindings and what it does.
// The key handlers (hooks.ts), the help bar and the help overlay all read this one table.
import type { Key } from 'ink';

/** Where a command applies: the agent list, or the dialog that is open on top of it. */
export type Scope = 'list' | 'help' | 'log' | 'text' | 'confirm';

export const SCOPES: readonly { scope: Scope; title: string }[] = [
  { scope: 'list', title: 'Agents (it: the selected one)' },
  { scope: 'help', title: 'This help' },
  { scope: 'log', title: 'Log view' },
  { scope: 'text', title: 'Text input' },
  { scope: 'confirm', title: 'Remove: y/N' },
];

export type NamedKey = 'upArrow' | 'downArrow' | 'return' | 'escape' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'backspace' | 'delete';

/** One way to press a command: a printable character (`input`, optionally with Ctrl) or a named key. */
export type Binding = { readonly input: string; readonly ctrl?: boolean } | { readonly key: NamedKey };

export interface KeyEntry {
  readonly scope: Scope;
  readonly bindings: readonly Binding[];
  readonly description: string;
  /** how the help shows the keys, when not simply the bindings joined with `/` */
  readonly label?: string;
  /** a short word for the help bar (absent: only in the help overlay) */
  readonly bar?: string;
  /** the keys shown in the help bar, when not `label` */
  readonly barKeys?: string;
}

export const COMMANDS = [
  'up', 'down', 'jump', 'jumpIndex', 'new', 'send', 'sendAll', 'remove', 'log', 'preview', 'restart', 'help', 'quit',
  'closeHelp',
  'logUp', 'logDown', 'logPageUp', 'logPageDown', 'logTop', 'logBottom', 'closeLog',
  'submit', 'cancel', 'erase', 'clearLine',
  'confirmYes', 'confirmNo',
] as const;
export type Command = (typeof COMMANDS)[number];

const ch = (input: string): Binding => ({ input });
const named = (key: NamedKey): Binding => ({ key });
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(ch);

export const KEYS: Readonly<Record<Command, KeyEntry>> = {
  up: { scope: 'list', bindings: [ch('k'), named('upArrow')], description: 'select the previous agent' },
  down: { scope: 'list', bindings: [ch('j'), named('downArrow')], description: 'select the next agent', bar: 'select', barKeys: 'j/k' },
  jump: { scope: 'list', bindings: [named('return')], description: 'go to its tmux window', bar: 'jump', barKeys: 'Enter/1-9' },
  jumpIndex: { scope: 'list', bindings: DIGITS, label: '1-9', description: 'go to agent number N' },
  new: { scope: 'list', bindings: [ch('n')], description: 'add an agent: name, task', bar: 'new' },
  send: { scope: 'list', bindings: [ch('s')], description: 'type a line into it', bar: 'send' },
  sendAll: { scope: 'list', bindings: [ch('a')], description: 'type a line into all', bar: 'send all' },
  remove: { scope: 'list', bindings: [ch('x')], description: 'remove it (asks first)', bar: 'remove' },
  log: { scope: 'list', bindings: [ch('l')], description: 'show its log', bar: 'log' },
  preview: { scope: 'list', bindings: [ch('p')], description: 'show or hide its screen (preview)' },
  restart: { scope: 'list', bindings: [ch('r')], description: 'restart it (exited, stopped), or create it', bar: 'restart' },
  help: { scope: 'list', bindings: [ch('?')], description: 'show every key', bar: 'help' },
  quit: { scope: 'list', bindings: [ch('q')], description: 'quit; agents keep running', bar: 'quit' },

  closeHelp: { scope: 'help', bindings: [named('escape'), ch('?'), ch('q')], description: 'close this help', bar: 'close' },

  logUp: { scope: 'log', bindings: [ch('k'), named('upArrow')], description: 'scroll up a line', bar: 'scroll', barKeys: 'j/k' },
  logDown: { scope: 'log', bindings: [ch('j'), named('downArrow')], description: 'scroll down a line' },
  logPageUp: { scope: 'log', bindings: [named('pageUp'), ch('b')], description: 'scroll up a page', bar: 'page', barKeys: 'PgUp/PgDn' },
  logPageDown: { scope: 'log', bindings: [named('pageDown'), ch(' ')], description: 'scroll down a page' },
  logTop: { scope: 'log', bindings: [ch('g'), named('home')], description: 'go to the oldest line', bar: 'top' },
  logBottom: { scope: 'log', bindings: [ch('G'), named('end')], description: 'go to the newest line', bar: 'end' },
  closeLog: { scope: 'log', bindings: [named('escape'), ch('q')], description: 'back to the agents', bar: 'back' },

  submit: { scope: 'text', bindings: [named('return')], description: 'send / next / confirm', bar: 'ok' },
  cancel: { scope: 'text', bindings: [named('escape')], description: 'cancel', bar: 'cancel' },
  erase: { scope: 'text', bindings: [named('backspace'), named('delete')], label: 'Backspace', description: 'erase a character' },
  clearLine: { scope: 'text', bindings: [{ input: 'u', ctrl: true }], description: 'erase the whole line' },

  confirmYes: { scope: 'confirm', bindings: [ch('y'), ch('Y')], description: 'yes, remove it', bar: 'remove' },
  confirmNo: { scope: 'confirm', bindings: [ch('n'), ch('N'), named('escape'), named('return')], label: 'n/Esc', description: 'keep it (any key does)', bar: 'keep', barKeys: 'N' },
};

const KEY_NAMES: Record<NamedKey, string> = {
  upArrow: '↑', downArrow: '↓', return: 'Enter', escape: 'Esc', pageUp: 'PgUp', pageDown: 'PgDn',
  home: 'Home', end: 'End', backspace: 'Backspace', delete: 'Del',
};

export function bindingLabel(b: Binding): string {
  if ('key' in b) return KEY_NAMES[b.key];
  if (b.ctrl) return `Ctrl-${b.input.toUpperCase()}`;
  return b.input === ' ' ? 'Space' : b.input;
}

export function keyLabel(command: Command): string {
  const entry = KEYS[command];
  return entry.label ?? entry.bindings.map(bindingLabel).join('/');
}

/** The minimal subset of ink's Key that matching needs (so tests can build one by hand). */
export type KeyState = Partial<Pick<Key, NamedKey | 'ctrl' | 'meta'>>;

export function matches(b: Binding, input: string, key: KeyState): boolean {
  if ('key' in b) return key[b.key] === true;
  if (input !== b.input) return false;
  return b.ctrl ? key.ctrl === true : !key.ctrl && !key.meta;
}

/** The command a key press means in a scope, or null. `only` narrows the commands (the sidebar). */
export function commandFor(scope: Scope, input: string, key: KeyState, only?: readonly Command[]): Command | null {
  for (const command of only ?? COMMANDS) {
    const entry = KEYS[command];
    if (entry.scope === scope && entry.bindings.some((b) => matches(b, input, key))) return command;
  }
  return null;
}

export interface BarItem {
  keys: string;
  text: string;
}

export const BAR_SEPARATOR = '  ';

/**
 * The help bar's items for a scope, in table order, fitted to `width`: when they do not fit, items
 * go from the right, except the last two (for the list: `? help` and `q quit`).
 */
export function barItems(scope: Scope, width = Infinity): BarItem[] {
  const items = COMMANDS.filter((c) => KEYS[c].scope === scope && KEYS[c].bar).map((c) => ({
    keys: KEYS[c].barKeys ?? keyLabel(c),
    text: KEYS[c].bar!,
  }));
  const length = () => items.reduce((sum, i) => sum + i.keys.length + 1 + i.text.length, 0) + BAR_SEPARATOR.length * (items.length - 1);
  while (length() > width && items.length > 2) items.splice(items.length - 3, 1);
  return items;
}
