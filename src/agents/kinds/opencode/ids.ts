// Values read back from OpenCode (its plugin events, its `run --format json` lines) before they may
// reach a command line or the state: only what has the shape the client makes.

/**
 * OpenCode's session ids: `ses_` and 26 letters and digits in 1.18 (`ses_dc5536987ffeYcQWmgNz7k1rHG`);
 * a little slack either way for other versions, never anything a parser could read as an option.
 */
const SESSION_ID = /^ses_[0-9A-Za-z]{16,64}$/;

export function isOpenCodeSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value);
}
