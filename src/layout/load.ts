// Reading a layout: YAML -> schema (defaults filled) -> cross checks -> placeholder checks.
import { readFile, stat } from 'node:fs/promises';
import { LineCounter, isAlias, isMap, isSeq, parseDocument, visit, type YAMLError } from 'yaml';
import { checkLayout } from './checks.js';
import { LayoutError, combineErrors, formatKeyPath } from './errors.js';
import { validateLayout } from './issues.js';
import type { Layout } from './schema.js';
import { SourceMap } from './yamlpos.js';
import { treemuxLine } from '../util/invocation.js';

/** Mappings whose keys are the user's own names: an empty value there is kept (and refused), not dropped. */
const RECORD_PATHS = new Set(['["env","set"]', '["ports"]']);

/**
 * Parse and check a layout. Throws a LayoutError for the first problem in file order (its `errors`
 * holds every problem found at that stage), its message one line: `file:line:column: key: what`.
 */
export function parseLayout(text: string, file: string): Layout {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
  const map = new SourceMap(doc, lines, text);

  if (doc.errors.length) throw combineErrors(doc.errors.map((e) => yamlError(e, text, map, file)));
  const unresolved: LayoutError[] = [];
  visit(doc, {
    Alias(_, node) {
      const target = node.resolve(doc);
      const at = node.range?.[0] ?? 0;
      if (!target) unresolved.push(new LayoutError(file, `invalid YAML: unknown alias *${node.source}`, map.at(at)));
      // an alias inside what its own anchor names would expand forever
      else if (target.range && target.range[0] <= at && at < target.range[2]) {
        unresolved.push(new LayoutError(file, `invalid YAML: the alias *${node.source} is inside the value its anchor &${node.source} names (it would never end)`, map.at(at)));
      }
    },
  });
  if (unresolved.length) throw combineErrors(unresolved);

  const root = doc.contents;
  if (root === null || (!isMap(root) && !isSeq(root) && !isAlias(root) && (root.toJSON() === null || root.toJSON() === ''))) {
    throw new LayoutError(file, `the layout file is empty (it needs at least "version: 1"; \`${treemuxLine(['init'])}\` writes one)`);
  }
  if (!isMap(root)) {
    const what = isSeq(root) ? 'a list' : `a single ${typeof root.toJSON() === 'string' ? 'string' : 'value'}`;
    throw new LayoutError(file, `the layout must be a mapping of keys (version: 1, agents: …), not ${what}`, map.at(root.range?.[0] ?? 0));
  }

  let data: unknown;
  try {
    data = dropNulls(doc.toJS({ maxAliasCount: 1000 }));
  } catch (e) {
    if (e instanceof RangeError) {
      // anchors whose values hold each other's aliases: the first alias says where
      let first: number | undefined;
      visit(doc, {
        Alias(_, node) {
          first ??= node.range?.[0];
        },
      });
      throw new LayoutError(file, 'invalid YAML: aliases that hold each other would never end', first === undefined ? undefined : map.at(first));
    }
    throw new LayoutError(file, `invalid YAML: ${(e as Error).message}`);
  }

  const result = validateLayout(data);
  if (!result.ok) {
    throw combineErrors(
      result.problems.map(
        (p) => new LayoutError(file, p.what, { ...map.locate(p.path, { onKey: p.onKey }), keyPath: formatKeyPath(p.path) }),
      ),
    );
  }
  const errors = checkLayout(result.layout, map, file);
  if (errors.length) throw combineErrors(errors);
  return result.layout;
}

/** A layout is a page or two of YAML: a bigger file is refused before it is parsed. */
export const MAX_LAYOUT_BYTES = 1024 * 1024;

/**
 * Read and parse a layout file; a missing file says how to make one. `file` is the name messages use;
 * `path` (default: `file`) where it is read from.
 */
export async function loadLayout(file: string, path = file): Promise<Layout> {
  let text: string;
  try {
    const size = (await stat(path)).size;
    if (size > MAX_LAYOUT_BYTES) {
      throw new LayoutError(file, `the file is ${(size / 1024 / 1024).toFixed(1)} MB; a layout is at most ${MAX_LAYOUT_BYTES / 1024 / 1024} MB`);
    }
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof LayoutError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LayoutError(file, `not found (run \`${treemuxLine(['init'])}\` to write one)`);
    if (code === 'EISDIR') throw new LayoutError(file, 'is a directory, not a layout file');
    throw new LayoutError(file, `cannot read: ${(e as Error).message}`);
  }
  return parseLayout(text, file);
}

function yamlError(e: YAMLError, text: string, map: SourceMap, file: string): LayoutError {
  const at = map.at(e.pos[0]);
  let what = `invalid YAML: ${e.message.split('\n')[0]}`;
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^("[^"]*"|'[^']*'|[^\s:]+)/.exec(text.slice(e.pos[0]))?.[1];
    what = key ? `invalid YAML: duplicate key ${key.replace(/^['"]|['"]$/g, '')}` : 'invalid YAML: duplicate key';
  } else if (e.code === 'MULTIPLE_DOCS') {
    what = 'invalid YAML: more than one document (a layout is a single document; remove the second ---)';
  }
  return new LayoutError(file, what, at);
}

/**
 * An empty value (`key:` with nothing after it) means the same as leaving the key out, so templates
 * can keep a key with all its entries commented out. List items and user-named mapping keys keep theirs.
 */
function dropNulls(value: unknown, path: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v, i) => dropNulls(v, [...path, String(i)]));
  if (value === null || typeof value !== 'object') return value;
  const keep = RECORD_PATHS.has(JSON.stringify(path));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null && !keep) continue;
    // defineProperty: a `__proto__` key stays a plain (unknown, reported) key
    Object.defineProperty(out, k, { value: dropNulls(v, [...path, k]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
