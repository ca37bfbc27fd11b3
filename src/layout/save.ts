// Writing agents back into a layout file. The new agent's lines are spliced into the text after the
// last agent, in that list's own style (block or flow items, the same indentation), so every other
// byte of the file (comments, alignment, quoting, line lengths, keys treemux does not know) stays as
// it was. The yaml package's parser finds where; its printer is used only for the new scalars.
import { readFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument, stringify, YAMLMap, type Node } from 'yaml';
import { rewriteOwnFile } from '../host/fs.js';

export interface SavedAgent {
  name: string;
  task?: string;
  base?: string;
}

const scalar = (v: string): string => stringify(v, { lineWidth: 0 }).trimEnd();

function fields(agent: SavedAgent): [string, string][] {
  const out: [string, string][] = [['name', agent.name]];
  if (agent.task) out.push(['task', agent.task]);
  if (agent.base) out.push(['base', agent.base]);
  return out;
}

/** The layout text with `agent` appended to `agents:` (created when missing). Refuses a duplicate name. */
export function appendAgent(text: string, agent: SavedAgent): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message.split('\n')[0]);
  if (!isMap(doc.contents)) throw new Error('the layout is not a mapping');
  const agents = doc.get('agents', true);
  if (isSeq(agents) && agents.items.some((a) => isMap(a) && a.get('name') === agent.name)) {
    throw new Error(`agent ${agent.name} is already in the layout`);
  }
  let out: string;
  if (isSeq(agents) && !agents.flow && agents.items.length > 0) {
    out = spliceAfterLastItem(text, agents.items[0] as Node, agents.items[agents.items.length - 1] as Node, agent);
  } else if (agents === undefined || agents === null) {
    const items = fields(agent);
    const lines = items.map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${scalar(v)}`);
    out = `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}agents:\n${lines.join('\n')}\n`;
  } else {
    // an empty or flow-style list: let the printer lay it out
    const item = new YAMLMap();
    for (const [k, v] of fields(agent)) item.set(k, v);
    if (isSeq(agents)) agents.add(item);
    else doc.set('agents', doc.createNode([item]));
    out = doc.toString({ lineWidth: 0 });
  }
  const check = parseDocument(out);
  const added = check.get('agents');
  if (check.errors.length > 0 || !isSeq(added) || !added.items.some((a) => isMap(a) && a.get('name') === agent.name)) {
    throw new Error('could not add the agent to the layout without breaking it (please add it by hand)');
  }
  return out;
}

function spliceAfterLastItem(text: string, first: Node, last: Node, agent: SavedAgent): string {
  // where the first item starts tells the list's indentation: `  - name: …` or `  - { name: … }`
  const firstStart = first.range![0];
  const lineStart = text.lastIndexOf('\n', firstStart - 1) + 1;
  const dash = text.lastIndexOf('-', firstStart - 1);
  const indent = ' '.repeat(Math.max(0, dash - lineStart));
  const gap = text.slice(dash + 1, firstStart); // what separates "-" from the item: usually one space
  const flowItem = isMap(first) && (first as YAMLMap).flow;
  const items = fields(agent);
  const lines = flowItem
    ? [`${indent}-${gap}{ ${items.map(([k, v]) => `${k}: ${scalar(v)}`).join(', ')} }`]
    : items.map(([k, v], i) => `${i === 0 ? `${indent}-${gap}` : ' '.repeat(indent.length + 1 + gap.length)}${k}: ${scalar(v)}`);
  // after the line on which the last item's value ends (its trailing comment stays with it)
  const valueEnd = last.range![1];
  const nl = text.indexOf('\n', Math.max(valueEnd - 1, 0));
  const at = nl < 0 ? text.length : nl;
  return `${text.slice(0, at)}\n${lines.join('\n')}${nl < 0 ? '\n' : ''}${text.slice(at)}`;
}

/** Append AGENTS to the layout FILE in place (never through a link: the layout is the user's own file). */
export async function saveAgents(file: string, agents: readonly SavedAgent[]): Promise<void> {
  let text = await readFile(file, 'utf8');
  for (const agent of agents) text = appendAgent(text, agent);
  await rewriteOwnFile(file, text);
}
