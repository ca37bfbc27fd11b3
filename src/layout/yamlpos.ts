// Where a key path of the parsed data sits in the YAML source: 1-based line and column.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Located {
  line: number;
  column: number;
}

export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly source: string,
  ) {}

  /** Position of an offset into the source. */
  at(offset: number): Located {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.source.length)));
    return { line, column: col };
  }

  /**
   * The node at `path` (or the key node of its last segment when `onKey`); when the path does not
   * exist in the file (a missing key, a default) the deepest existing ancestor.
   */
  node(path: readonly PropertyKey[], onKey = false): Node | undefined {
    let node: unknown = this.doc.contents;
    for (let i = 0; i < path.length; i++) {
      node = this.deref(node);
      const seg = path[i];
      let next: unknown;
      let keyNode: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
        if (pair) {
          keyNode = pair.key;
          next = pair.value ?? pair.key;
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      }
      if (next === undefined || next === null) return node as Node;
      // `key:` with nothing after it: point at the key, not at the empty space after the colon
      const empty = isScalar(next) && next.value === null && next.range && next.range[0] === next.range[1];
      if (keyNode && ((onKey && i === path.length - 1) || empty)) return keyNode as Node;
      node = next;
    }
    return this.deref(node) as Node | undefined;
  }

  /** Line and column of the value (or key) at `path`; `needle` moves to its first occurrence inside the value. */
  locate(path: readonly PropertyKey[], opts: { onKey?: boolean; needle?: string } = {}): Located {
    const node = this.node(path, opts.onKey);
    const range = node?.range;
    if (!range) return this.at(0);
    let offset = range[0];
    if (opts.needle && isScalar(node)) {
      const raw = this.source.slice(range[0], range[1]);
      const i = findNeedle(raw, opts.needle);
      if (i >= 0) offset += i;
    }
    return this.at(offset);
  }

  private deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  return undefined;
}

/** First occurrence of needle not right after `$` (a placeholder, not shell syntax). */
function findNeedle(raw: string, needle: string): number {
  for (let i = raw.indexOf(needle); i >= 0; i = raw.indexOf(needle, i + 1)) {
    if (raw[i - 1] !== '$') return i;
  }
  return -1;
}
