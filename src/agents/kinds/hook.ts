// What `treemux hook --kind K` does for any kind: the client's event (hook JSON on stdin, or a notify
// program's JSON argument) read by that kind into an event treemux keeps, appended to
// <state>/events/<agent>.jsonl for the status rules, the conversation id kept for resuming, and the
// kind's scope guard asked before a tool runs. The input comes from a program treemux does not control:
// the kind checks every value, and nothing is recorded for an agent that is not one.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { appendFileIn } from '../../host/fs.js';
import { AGENT_NAME_RE } from '../../layout/names.js';
import type { AgentEnv } from '../../project/env.js';
import { StateStore } from '../../state/index.js';
import { kindOf } from './index.js';
import type { KindName } from './names.js';

/**
 * Handle one event of KIND's client: INPUT is the JSON it handed over. Returns what to print on stdout
 * for the client to read (a denial), or ''. Throws on input that is not a JSON object (the caller ignores it).
 */
export async function handleHook(kindName: KindName, input: string, env: AgentEnv, now = Date.now()): Promise<string> {
  const kind = kindOf(kindName);
  const data: unknown = JSON.parse(input || '{}');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not a JSON object');
  const payload = data as Record<string, unknown>;
  const { agent, stateDir } = env;
  if (!kind.hook || !agent || !stateDir || !AGENT_NAME_RE.test(agent)) return '';
  const event = kind.hook.eventOf(payload, now);
  const verdict = (await kind.hook.respond?.(payload, env)) ?? null;
  if (!event) return verdict?.stdout ?? '';
  if (verdict?.note) event.message = verdict.note;
  // an agent removed meanwhile (its window killed, a last event on its way): nothing to record
  if (env.worktree && !existsSync(env.worktree)) return verdict?.stdout ?? '';
  await appendFileIn(stateDir, join(stateDir, 'events', `${agent}.jsonl`), `${JSON.stringify(event)}\n`, { mode: 0o600 });
  const session = kind.hook.sessionOf?.(event);
  if (session && kind.isSessionId(session)) {
    await new StateStore(dirname(stateDir)).update((s) => {
      const record = s.agents[agent];
      if (record && record.session !== session) record.session = session;
    });
  }
  return verdict?.stdout ?? '';
}
