// The agent's env file: the main checkout's file (secrets and all) with the layout's `env.set` on top.
// A key already in the file is replaced where it stands, its whole entry (even a multi-line quoted
// value); the rest are added at the end under `# set by treemux`. Everything else (comments, blank
// lines, `export` prefixes, quoting, multi-line values, CRLF line ends) is kept byte for byte.
//
// Entries are found with dotenv's own line pattern, so an entry spans exactly what `dotenv.parse`
// reads for it, and the result is parsed back before it is returned: every set value must come out
// exactly, every other key as it was.
import dotenv from 'dotenv';

/** The line pattern of dotenv's (default, regex) parser, with the separator captured too. */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

/** Keys dotenv can read. */
const KEY_RE = /^[\w.-]+$/;

/** Values written without quotes. */
const BARE_RE = /^[A-Za-z0-9_./:@%+,=-]*$/;

const HEADER = '# set by treemux';

/** dotenv.parse: what the app will read. */
export function parseEnv(text: string): Record<string, string> {
  return dotenv.parse(text);
}

/**
 * The value as dotenv reads it back: bare when safe, else in single quotes (no `'`, no line break),
 * else in double quotes with `\n`/`\r` for line breaks (no `"`), else in backticks (no `` ` ``),
 * else unquoted when dotenv reads it so (one line with all three quotes inside, no `#`).
 * Throws when nothing carries it.
 */
export function quoteEnvValue(value: string): string {
  const [first] = quoteCandidates(value);
  if (first === undefined) throw new Error(unquotableReason(value));
  return first;
}

/** Every quoting of `value` that dotenv reads back exactly, in order of preference. */
function quoteCandidates(value: string): string[] {
  const out: string[] = [];
  if (BARE_RE.test(value)) out.push(value);
  if (!/['\r\n]/.test(value)) out.push(`'${value}'`);
  if (!value.includes('"')) out.push(`"${value.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`);
  if (!/[`\r]/.test(value)) out.push(`\`${value}\``);
  // no quoting fits, but dotenv also reads an unquoted value as it stands (it only strips a pair of
  // quotes around the whole value): fine for one line with quotes inside and no #
  if (!BARE_RE.test(value) && !/[#\r\n]/.test(value) && value.trim() === value) out.push(value);
  return out.filter((q) => readsBack(q, value));
}

/** Whether `K=<quoted>` followed by another entry parses to exactly `value`, leaving the next one alone. */
function readsBack(quoted: string, value: string): boolean {
  const parsed = dotenv.parse(`K=${quoted}\nNEXT_KEY=next\n`);
  return parsed.K === value && parsed.NEXT_KEY === 'next';
}

function unquotableReason(value: string): string {
  const has: string[] = [];
  if (value.includes("'")) has.push("'");
  if (value.includes('"')) has.push('"');
  if (value.includes('`')) has.push('`');
  const quotes = has.join(' ');
  if (/\r/.test(value)) return `the value has ${quotes} and a carriage return: no dotenv quoting can hold it (dotenv has no escapes)`;
  if (/\n/.test(value)) return `the value has ${quotes} and a line break: no dotenv quoting can hold it (dotenv has no escapes)`;
  if (has.length === 3) {
    const also = value.includes('#') ? 'a #' : 'leading or trailing spaces';
    return `the value has ${quotes} and ${also}: no dotenv quoting can hold it (dotenv has no escapes)`;
  }
  return 'no dotenv quoting reads this value back exactly (a backslash before the closing quote?)';
}

/** One entry of the file, in the coordinates of the line-end-normalised text. */
interface Entry {
  key: string;
  /** start of the line the entry starts on */
  start: number;
  /** where the key starts (what lies between start and here: indentation, `export `) */
  keyStart: number;
  /** end of the line the entry ends on (before its line break) */
  end: number;
}

/** The text with every \r\n and lone \r as \n (what dotenv parses), and where each of its characters came from. */
function normalise(text: string): { norm: string; from: number[] } {
  if (!text.includes('\r')) return { norm: text, from: Array.from({ length: text.length + 1 }, (_, i) => i) };
  let norm = '';
  const from: number[] = [];
  for (let i = 0; i < text.length; i++) {
    from.push(i);
    if (text[i] === '\r') {
      norm += '\n';
      if (text[i + 1] === '\n') i++;
    } else {
      norm += text[i];
    }
  }
  from.push(text.length);
  return { norm, from };
}

function findEntries(norm: string): Entry[] {
  const entries: Entry[] = [];
  const re = new RegExp(LINE.source, LINE.flags);
  let m: RegExpExecArray | null;
  while ((m = re.exec(norm)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++; // cannot happen (a key is at least one character), but never loop forever
      continue;
    }
    const indices = m.indices!;
    const [keyStart, keyEnd] = indices[1]!;
    const leading = /^\s*/.exec(m[0])![0].length;
    const first = m.index + leading; // `export` or the key
    const start = norm.lastIndexOf('\n', first - 1) + 1;
    // the entry ends on the line of the value's last character (or of the separator, with no value)
    let last = (indices[3] ?? indices[2]!)[1];
    while (last > keyEnd && /\s/.test(norm[last - 1]!)) last--;
    const nl = norm.indexOf('\n', last);
    entries.push({ key: m[1]!, start, keyStart, end: nl < 0 ? norm.length : nl });
  }
  return entries;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function build(base: string | null, set: ReadonlyMap<string, string>, quoted: ReadonlyMap<string, string>): string {
  const text = base ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const line = (key: string): string => `${key}=${quoted.get(key)!.replace(/\n/g, eol)}`;

  const { norm, from } = normalise(text);
  const entries = findEntries(norm);
  const lastOf = new Map<string, Entry>();
  for (const e of entries) if (set.has(e.key)) lastOf.set(e.key, e);

  const edits: Edit[] = [];
  for (const e of entries) {
    if (!set.has(e.key)) continue;
    if (lastOf.get(e.key) === e) {
      // the entry dotenv keeps: replaced where it stands, keeping its indentation and `export `
      edits.push({ start: from[e.start]!, end: from[e.end]!, text: text.slice(from[e.start]!, from[e.keyStart]!) + line(e.key) });
    } else {
      // an earlier duplicate: removed with its line break
      const end = e.end < norm.length ? from[e.end + 1]! : text.length;
      edits.push({ start: from[e.start]!, end, text: '' });
    }
  }
  let out = text;
  for (const edit of edits.reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);

  const missing = [...set.keys()].filter((k) => !lastOf.has(k));
  if (missing.length === 0) return out;
  if (out.length > 0) {
    if (!out.endsWith('\n') && !out.endsWith('\r')) out += eol;
    const body = out.replace(/(?:\r\n|\n|\r)$/, '');
    const lastLine = body.slice(Math.max(body.lastIndexOf('\n'), body.lastIndexOf('\r')) + 1);
    if (lastLine.trim().length > 0) out += eol; // a blank line before the block
  }
  return out + [HEADER, ...missing.map(line)].map((l) => l + eol).join('');
}

/** What parsing `text` gets wrong: set keys not read back exactly, other keys changed, keys that appeared. */
function problems(text: string, set: ReadonlyMap<string, string>, before: Record<string, string>): { setKeys: string[]; others: string[] } {
  const after = parseEnv(text);
  const setKeys = [...set].filter(([k, v]) => after[k] !== v).map(([k]) => k);
  const others = Object.keys(before).filter((k) => !set.has(k) && after[k] !== before[k]);
  for (const k of Object.keys(after)) if (!set.has(k) && !(k in before)) others.push(k);
  return { setKeys, others };
}

/**
 * The worktree's env file text: `base` (the main checkout's file, or null) with `set` applied. Keys
 * already in base are replaced in place (their whole entry, even a multi-line quoted value; when a
 * key is there several times, the last one, which dotenv keeps, is replaced and the others removed);
 * the rest are appended at the end under `# set by treemux`. Everything else survives byte for byte.
 */
export function renderEnvFile(base: string | null, set: Record<string, string>): string {
  const values = new Map(Object.entries(set));
  const choices = new Map<string, string[]>();
  for (const [key, value] of values) {
    if (!KEY_RE.test(key)) throw new Error(`env file: cannot set ${JSON.stringify(key)}: not a variable name dotenv reads`);
    if (typeof value !== 'string') throw new Error(`env file: ${key}: the value must be a string`);
    const candidates = quoteCandidates(value);
    if (candidates.length === 0) throw new Error(`env file: cannot write ${key}: ${unquotableReason(value)}`);
    choices.set(key, candidates);
  }
  const before = base === null ? {} : parseEnv(base);

  // The preferred quoting reads back alone; next to an odd neighbour (a line that starts with a
  // quote after an empty value, an unclosed quote earlier in the file) another one may be needed.
  const pick = new Map([...choices.keys()].map((k) => [k, 0]));
  for (;;) {
    const quoted = new Map([...pick].map(([k, i]) => [k, choices.get(k)![i]!]));
    const text = build(base, values, quoted);
    const { setKeys, others } = problems(text, values, before);
    if (setKeys.length === 0 && others.length === 0) return text;
    // one key at a time: two values that only clash with each other need just one of them changed
    const suspects = setKeys.length > 0 ? setKeys : [...choices.keys()];
    const next = suspects.find((k) => pick.get(k)! + 1 < choices.get(k)!.length);
    if (next === undefined) {
      // each value reads back alone, so the base file is what interferes: an unclosed quote in it
      // runs on to a quote in a value written after it
      const what = setKeys.length > 0 ? `cannot write ${setKeys.join(', ')}` : `writing the file would change ${others.join(', ')}`;
      throw new Error(`env file: ${what} the way dotenv reads it: the base file has an unclosed quote?`);
    }
    pick.set(next, pick.get(next)! + 1);
  }
}
