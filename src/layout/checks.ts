// Checks across keys, after the schema: agent references and cycles, and placeholders per key.
import { didYouMean } from './didyoumean.js';
import { LayoutError, formatKeyPath } from './errors.js';
import { PLACEHOLDER_KEYS, namesAt, placeholderProblem, placeholdersIn, type PlaceholderContext } from './placeholders.js';
import type { Layout } from './schema.js';
import type { SourceMap } from './yamlpos.js';

type Report = (path: PropertyKey[], what: string, needle?: string) => void;

function reporter(file: string, map: SourceMap, errors: LayoutError[]): Report {
  return (path, what, needle) => {
    const at = map.locate(path, needle ? { needle } : {});
    errors.push(new LayoutError(file, what, { ...at, keyPath: formatKeyPath(path) }));
  };
}

export function checkLayout(layout: Layout, map: SourceMap, file: string): LayoutError[] {
  const errors: LayoutError[] = [];
  const report = reporter(file, map, errors);
  checkAgents(layout, report);
  checkHosts(layout, report);
  checkDatabaseNames(layout, report);
  checkPlaceholders(layout, report);
  return errors;
}

/** `agent.host` names `local` or a host under `hosts:`; `local` itself is not a host to declare. */
function checkHosts(layout: Layout, report: Report): void {
  const names = Object.keys(layout.hosts);
  if (names.includes('local')) report(['hosts', 'local'], '"local" is this machine: give the other host another name');
  const known = ['local', ...names.filter((n) => n !== 'local')];
  const check = (host: string | undefined, path: PropertyKey[]) => {
    if (host === undefined || host === 'local' || names.includes(host)) return;
    const guess = didYouMean(host, known);
    report(path, `unknown host "${host}" (${guess ? `did you mean "${guess}"?` : `hosts: ${known.join(', ')}`})`);
  };
  check(layout.agent.host, ['agent', 'host']);
  layout.agents.forEach((a, i) => check(a.host, ['agents', i, 'host']));
  const onHost = (a: Layout['agents'][number]) => (a.host ?? layout.agent.host ?? 'local') !== 'local';
  layout.agents.forEach((a, i) => {
    if (onHost(a) && (a.mode ?? layout.agent.mode) === 'headless') {
      report(['agents', i, 'host'], `agent "${a.name}" runs headless on host ${a.host ?? layout.agent.host}: headless runs need treemux where they run, so on other hosts agents are interactive (docs/hosts.md)`);
    }
  });
  const remote = layout.agents.some(onHost);
  const db = layout.database.kind;
  if (remote && (db === 'postgres' || db === 'mysql' || db === 'command')) {
    report(['database', 'kind'], `database kind "${db}" is not made on other hosts yet: agents with host: are given sqlite or none (docs/hosts.md)`);
  }
  if (remote && layout.redis) report(['redis'], 'redis: shares are not given to agents on other hosts yet (docs/hosts.md)');
}

/** How long a database name the server keeps whole (a longer one is cut, and two agents could meet). */
const DB_NAME_MAX: Record<string, number> = { postgres: 63, mysql: 64 };

/** Each agent's database is `<template>_<agent>`: refused now when the server would cut that name. */
function checkDatabaseNames(layout: Layout, report: Report): void {
  const db = layout.database;
  if (db.kind !== 'postgres' && db.kind !== 'mysql') return;
  const template = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*\/([^/?#]+)/i.exec(db.url.trim())?.[1];
  if (!template || template.includes('{')) return; // made per agent: known only when it is made
  const max = DB_NAME_MAX[db.kind]!;
  layout.agents.forEach((a, i) => {
    const name = `${decodeURIComponent(template)}_${a.name}`;
    if (Buffer.byteLength(name) > max) {
      report(['agents', i, 'name'], `agent "${a.name}" would get the database "${name}" (${Buffer.byteLength(name)} bytes), longer than ${db.kind === 'postgres' ? 'PostgreSQL' : 'MySQL'} keeps (${max}): shorten the agent's name or the database's`);
    }
  });
}

type Relation = 'depends_on' | 'start_after';
interface Edge {
  from: number;
  to: number;
  rel: Relation;
  item: number;
}

function checkAgents(layout: Layout, report: Report): void {
  const agents = layout.agents;
  const firstIndex = new Map<string, number>();
  agents.forEach((a, i) => {
    const first = firstIndex.get(a.name);
    if (first === undefined) firstIndex.set(a.name, i);
    else report(['agents', i, 'name'], `duplicate agent name "${a.name}" (also agents[${first}])`);
  });

  agents.forEach((a, i) => {
    const mode = a.mode ?? layout.agent.mode;
    if (mode === 'headless' && a.task.trim() === '') {
      report(['agents', i, 'name'], `agent "${a.name}" runs headless (mode: headless) but has no task: give it a task, or make it interactive`);
    }
  });

  const names = [...firstIndex.keys()];
  const edges: Edge[] = [];
  agents.forEach((a, i) => {
    if (firstIndex.get(a.name) !== i) return; // a duplicate: already reported
    for (const rel of ['depends_on', 'start_after'] as const) {
      a[rel].forEach((target, j) => {
        const path = ['agents', i, rel, j];
        if (target === a.name) {
          report(path, rel === 'depends_on' ? 'an agent cannot depend on itself' : 'an agent cannot start after itself');
          return;
        }
        const to = firstIndex.get(target);
        if (to === undefined) {
          const guess = didYouMean(target, names);
          const hint = guess ? `did you mean "${guess}"?` : `agents: ${names.join(', ')}`;
          report(path, `unknown agent "${target}" (${hint})`);
          return;
        }
        edges.push({ from: i, to, rel, item: j });
      });
    }
  });

  const dependsCycle = findCycle(agents.length, edges.filter((e) => e.rel === 'depends_on'));
  const startCycle = findCycle(agents.length, edges.filter((e) => e.rel === 'start_after'));
  const cycles: [Edge[] | undefined, string][] = [
    [dependsCycle, 'depends_on cycle'],
    [startCycle, 'start_after cycle'],
  ];
  // an agent that starts after another is also merged after it: mixed cycles wait forever too
  if (!dependsCycle && !startCycle) cycles.push([findCycle(agents.length, edges), 'cycle through depends_on and start_after']);
  for (const [cycle, label] of cycles) {
    if (!cycle) continue;
    const first = cycle[0]!;
    const chain = [...cycle.map((e) => agents[e.from]!.name), agents[first.from]!.name].join(' -> ');
    report(['agents', first.from, first.rel, first.item], `${label}: ${chain}`);
  }
}

/** One cycle (as its edges, starting at the agent that comes first in the file), or undefined. */
function findCycle(n: number, edges: Edge[]): Edge[] | undefined {
  const out: Edge[][] = Array.from({ length: n }, () => []);
  for (const e of edges) out[e.from]!.push(e);
  const state = new Array<0 | 1 | 2>(n).fill(0); // 0 new, 1 on the stack, 2 done
  const stack: Edge[] = [];
  const visit = (v: number): Edge[] | undefined => {
    state[v] = 1;
    for (const e of out[v]!) {
      if (state[e.to] === 1) {
        const cycle = [...stack.slice(stack.findIndex((s) => s.from === e.to)), e];
        const start = cycle.reduce((best, c, i) => (c.from < cycle[best]!.from ? i : best), 0);
        return [...cycle.slice(start), ...cycle.slice(0, start)];
      }
      if (state[e.to] === 0) {
        stack.push(e);
        const found = visit(e.to);
        if (found) return found;
        stack.pop();
      }
    }
    state[v] = 2;
    return undefined;
  };
  for (let v = 0; v < n; v++) {
    if (state[v] !== 0) continue;
    const found = visit(v);
    if (found) return found;
  }
  return undefined;
}

function checkPlaceholders(layout: Layout, report: Report): void {
  const ctx: PlaceholderContext = {
    ports: Object.keys(layout.ports),
    hasDatabase: layout.database.kind !== 'none',
    hasRedis: layout.redis !== undefined,
  };
  for (const entry of PLACEHOLDER_KEYS) {
    const known = namesAt(entry.names, ctx);
    for (const { path, value } of stringsAt(layout, entry.path)) {
      for (const name of placeholdersIn(value)) {
        if (!known.includes(name)) report(path, placeholderProblem(name, known, ctx), `{${name}}`);
      }
    }
  }
}

/** The strings at a PLACEHOLDER_KEYS path: `*` any key, `[]` any item; a list at the end gives each item. */
function* stringsAt(data: unknown, pattern: readonly string[], path: PropertyKey[] = []): Generator<{ path: PropertyKey[]; value: string }> {
  if (pattern.length === 0) {
    if (typeof data === 'string') yield { path, value: data };
    else if (Array.isArray(data)) {
      for (const [i, item] of data.entries()) if (typeof item === 'string') yield { path: [...path, i], value: item };
    }
    return;
  }
  const [seg, ...rest] = pattern;
  if (seg === '[]') {
    if (Array.isArray(data)) for (const [i, item] of data.entries()) yield* stringsAt(item, rest, [...path, i]);
  } else if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const obj = data as Record<string, unknown>;
    const keys = seg === '*' ? Object.keys(obj) : Object.prototype.hasOwnProperty.call(obj, seg!) ? [seg!] : [];
    for (const k of keys) yield* stringsAt(obj[k], rest, [...path, k]);
  }
}
