// Where the user looks from: tmux tells a program the pane it runs in through its environment.
// Only tmux/ reads tmux's environment.

/** The pane this process runs in (`%N`), when it runs inside tmux. */
export function viewerPane(): string | undefined {
  return process.env.TMUX_PANE;
}
