// Schema validation with messages in plain words ("must be a list of strings"), not zod jargon.
import { z } from 'zod';
import { didYouMean } from './didyoumean.js';
import { databaseSchema, layoutSchema, type Layout } from './schema.js';

export interface SchemaProblem {
  path: PropertyKey[];
  what: string;
  /** point at the key (unknown key, bad mapping key) rather than at its value */
  onKey: boolean;
}

/** The keys of each database kind, read from the schema itself. */
const DB_KEYS: Record<string, string[]> = Object.fromEntries(
  databaseSchema.out.options.map((o) => [o.shape.kind.value, Object.keys(o.shape)]),
);

export function validateLayout(data: unknown): { ok: true; layout: Layout } | { ok: false; problems: SchemaProblem[] } {
  const allowedKeys = new Map<string, string[]>();
  const result = layoutSchema.safeParse(data, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') allowedKeys.set(JSON.stringify(iss.path ?? []), shapeKeys(iss.inst));
      return messageFor(iss);
    },
  });
  if (result.success) return { ok: true, layout: result.data };
  const problems: SchemaProblem[] = [];
  for (const issue of result.error.issues) problems.push(...toProblems(issue, data, allowedKeys));
  return { ok: false, problems };
}

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

function toProblems(issue: Issue, data: unknown, allowedKeys: Map<string, string[]>): SchemaProblem[] {
  const path = issue.path;
  const given = valueAt(data, path);
  if (issue.code !== 'unrecognized_keys' && issue.code !== 'invalid_key' && given === null) {
    // `KEY:` with nothing after it, where an empty value is not the same as leaving the key out
    const hint = path[0] === 'env' ? ' (write "" for an empty value)' : '';
    return [{ path, what: `has no value${hint}`, onKey: false }];
  }
  if (path.length === 1 && path[0] === 'database' && (typeof given !== 'object' || Array.isArray(given))) {
    const kind = typeof given === 'string' && Object.hasOwn(DB_KEYS, given) ? given : 'sqlite';
    return [{ path, what: `must be a mapping, e.g. database: { kind: ${kind} }`, onKey: false }];
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys.get(JSON.stringify(path)) ?? [];
      return issue.keys.map((key) => ({ path: [...path, key], what: unknownKey(key, allowed, path, data), onKey: true }));
    }
    case 'invalid_key':
      return [{ path, what: issue.issues[0]?.message ?? issue.message, onKey: true }];
    case 'invalid_union': {
      // one option had the right type but failed a check: its own message says more than "must be X or Y"
      if (!issue.discriminator) {
        const near = issue.errors.find((errs) => errs.some((e) => e.path.length > 0 || !isTypeMismatch(e)));
        const first = near?.find((e) => e.path.length > 0 || !isTypeMismatch(e));
        if (first) return [{ path: [...path, ...first.path], what: first.message, onKey: false }];
      }
      return [{ path, what: issue.message, onKey: false }];
    }
    default: {
      const missing = given === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
      if (missing) {
        const hint = path.length === 1 && path[0] === 'version' ? ' (a layout starts with "version: 1")' : '';
        return [{ path, what: `is required${hint}`, onKey: false }];
      }
      return [{ path, what: issue.message, onKey: false }];
    }
  }
}

function isTypeMismatch(e: Issue): boolean {
  return e.code === 'invalid_type' || e.code === 'invalid_value';
}

function unknownKey(key: string, allowed: string[], path: PropertyKey[], data: unknown): string {
  const guess = didYouMean(key, allowed);
  if (guess) return `unknown key (did you mean "${guess}"?)`;
  if (path.length === 1 && path[0] === 'database') {
    const db = valueAt(data, path) as Record<string, unknown> | undefined;
    const kind = typeof db?.kind === 'string' ? db.kind : 'sqlite';
    const owners = Object.keys(DB_KEYS).filter((k) => DB_KEYS[k]!.includes(key));
    if (owners.length) {
      const implicit = db && !('kind' in db) ? '; a database without kind is sqlite' : '';
      return `unknown key for a ${kind} database (${key} belongs to kind ${orList(owners)}${implicit})`;
    }
    return `unknown key for a ${kind} database (known: ${allowed.join(', ')})`;
  }
  return `unknown key (known: ${allowed.join(', ')})`;
}

/** Our messages for zod's issue codes; schema-level messages (e.g. the agent name rule) win over these. */
function messageFor(iss: RawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'is required';
      return `must be ${describeExpected(iss.expected, iss.inst)}`;
    case 'invalid_value':
      return `must be ${oneOf((iss.values as readonly unknown[]).map(String))}${got(iss.input)}`;
    case 'invalid_union':
      if (iss.discriminator) {
        const options = ((iss as { options?: readonly unknown[] }).options ?? []).map(String);
        return `must be ${oneOf(options)}${got(valueAt(iss.input, [iss.discriminator]))}`;
      }
      return `must be ${orList(unionOptions(iss.inst).map((o) => describeSchema(o, true)))}`;
    case 'too_small':
      if (iss.origin === 'string' && Number(iss.minimum) === 1) return 'must not be empty';
      if (iss.origin === 'array') return Number(iss.minimum) === 1 ? 'must not be an empty list' : `must have at least ${iss.minimum} items`;
      return iss.inclusive === false ? `must be greater than ${iss.minimum}` : `must be at least ${iss.minimum}`;
    case 'too_big':
      if (iss.origin === 'string') return `must be at most ${iss.maximum} characters`;
      if (iss.origin === 'array') return `must have at most ${iss.maximum} items`;
      return iss.inclusive === false ? `must be less than ${iss.maximum}` : `must be at most ${iss.maximum}`;
    case 'invalid_format':
      return iss.pattern ? `must match ${iss.pattern.replace(/^\/\^?|\$?\/[a-z]*$/g, '')}` : `must be a valid ${iss.format}`;
    case 'unrecognized_keys':
      return `unknown key ${iss.keys.join(', ')}`;
    case 'invalid_key':
      return 'is not a valid key here';
    default:
      return undefined;
  }
}

function describeExpected(expected: string, inst: unknown): string {
  switch (expected) {
    case 'int':
      return 'a whole number';
    case 'array':
    case 'object':
    case 'record':
      return describeSchema(inst);
    default:
      return describeSchema({ _zod: { def: { type: expected } } });
  }
}

interface SchemaLike {
  _zod?: { def?: { type?: string; element?: unknown; innerType?: unknown; in?: unknown; values?: unknown[]; entries?: Record<string, unknown>; options?: unknown[] } };
}

/** A schema in words: "a string", "a list of strings", "auto", "true or false". */
function describeSchema(schema: unknown, inList = false): string {
  const def = (schema as SchemaLike | undefined)?._zod?.def;
  switch (def?.type) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return inList ? 'true/false' : 'true or false';
    case 'literal':
      return orList((def.values ?? []).map(String));
    case 'enum':
      return oneOf(Object.values(def.entries ?? {}).map(String));
    case 'array':
      return `a list of ${plural(def.element)}`;
    case 'object':
    case 'record':
      return 'a mapping (key: value pairs)';
    case 'default':
    case 'optional':
    case 'nullable':
      return describeSchema(def.innerType, inList);
    case 'pipe':
      return describeSchema(def.in, inList);
    case 'union':
      return orList((def.options ?? []).map((o) => describeSchema(o, true)));
    default:
      return def?.type ? `a ${def.type}` : 'something else';
  }
}

function plural(element: unknown): string {
  const d = describeSchema(element);
  if (d === 'a string') return 'strings';
  if (d === 'a number') return 'numbers';
  if (d.startsWith('a mapping')) return 'mappings';
  return 'items';
}

function unionOptions(inst: unknown): unknown[] {
  return (inst as SchemaLike | undefined)?._zod?.def?.options ?? [];
}

function shapeKeys(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

function oneOf(values: string[]): string {
  return values.length <= 2 ? orList(values) : `one of ${values.join(', ')}`;
}

function orList(all: string[]): string {
  const values = [...new Set(all)];
  if (values.length <= 1) return values[0] ?? '';
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

function got(input: unknown): string {
  if (input === undefined) return '';
  if (typeof input === 'string') return ` (got ${JSON.stringify(input)})`;
  if (typeof input === 'number' || typeof input === 'boolean' || input === null) return ` (got ${String(input)})`;
  return '';
}

export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}
