// Writing agents back into a layout file with the yaml Document API, so comments, order and
// formatting, and keys treemux does not know, all survive. Pure: text in, text out.
import { isMap, isSeq, parseDocument, YAMLMap } from 'yaml';

export interface SavedAgent {
  name: string;
  task?: string;
  base?: string;
}

/** The layout text with `agent` appended to `agents:` (created when missing). Refuses a duplicate name. */
export function appendAgent(text: string, agent: SavedAgent): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message.split('\n')[0]);
  if (!isMap(doc.contents)) throw new Error('the layout is not a mapping');
  const item = new YAMLMap();
  item.set('name', agent.name);
  if (agent.task) item.set('task', agent.task);
  if (agent.base) item.set('base', agent.base);
  const agents = doc.get('agents', true);
  if (isSeq(agents)) {
    if (agents.items.some((a) => isMap(a) && a.get('name') === agent.name)) throw new Error(`agent ${agent.name} is already in the layout`);
    agents.add(item);
  } else {
    doc.set('agents', doc.createNode([item]));
  }
  return doc.toString();
}
