// The keys treemux adds to tmux for its own sessions (prefix g, J, K), as data: `up` installs them,
// `down` gives them back, and the dashboard's help lists them.
export interface TmuxBinding {
  /** the key after the prefix */
  key: string;
  command: string;
  what: string;
}

/** Conditional on this session option: other sessions keep what the key did before. */
export const SESSION_MARK = '@treemux-project';

export const KEY_BINDINGS: readonly TmuxBinding[] = [
  { key: 'g', command: 'select-window -t :=dash', what: 'go to the dashboard window' },
  { key: 'J', command: 'next-window', what: 'next agent window' },
  { key: 'K', command: 'previous-window', what: 'previous agent window' },
];
