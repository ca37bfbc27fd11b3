// Values read back from Gemini CLI (a hook's input, its event stream) before they may reach a command
// line: only what has the shape the client makes.

/** Gemini CLI's session ids are UUIDs (`init.session_id`, hooks' `session_id`, `--resume <uuid>`). */
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value);
}
