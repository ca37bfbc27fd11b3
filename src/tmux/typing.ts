// Typing text into a pane, whatever its size, exactly as given.
import { randomBytes } from 'node:crypto';
import type { Tmux } from './client.js';

/** Longer text than this is pasted, not typed as keys (tmux refuses a command line of about 16 KB). */
const MAX_KEYS_BYTES = 4096;

/**
 * Type `text` into a pane exactly as given, then press Enter. One short line is typed as keys
 * (`send-keys -l`: a choice at a permission question must be key presses, which Claude Code takes
 * and a paste it ignores); text with newlines, or longer than MAX_KEYS_BYTES, travels on tmux's
 * stdin into a private paste buffer and is pasted (bracketed when the program asked for it), so it
 * arrives whole whatever its size.
 * Never through a shell; arguments ending in `;` are escaped by Tmux.run().
 */
export async function sendText(t: Tmux, paneId: string, text: string, opts: { enter?: boolean; delayMs?: number } = {}): Promise<void> {
  // a long line is pasted too: as keys it would have to fit on tmux's own command line
  if (/[\r\n]/.test(text) || Buffer.byteLength(text) > MAX_KEYS_BYTES) {
    const buffer = `treemux-${randomBytes(6).toString('hex')}`;
    await t.run(['load-buffer', '-b', buffer, '-'], text);
    try {
      await t.run(['paste-buffer', '-p', '-d', '-b', buffer, '-t', paneId]);
    } catch (err) {
      await t.run(['delete-buffer', '-b', buffer]).catch(() => undefined); // never leave the text behind
      throw err;
    }
  } else if (text.length > 0) {
    await t.run(['send-keys', '-t', paneId, '-l', '--', text]);
  }
  // a client that takes a fast Enter for a newline in its input gets it after a pause
  if (opts.enter !== false && text.length > 0 && opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
  if (opts.enter !== false) await t.run(['send-keys', '-t', paneId, 'Enter']);
}
