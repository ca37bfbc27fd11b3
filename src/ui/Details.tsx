// The selected agent in full: worktree, branch → base, changed files, ports, database, task.
import { memo, type JSX } from 'react';
import { Box, Text } from 'ink';
import { costText, duration, portsText, wrapText } from './format.js';
import type { AgentRow } from './model.js';
import { StatusBadge } from './Table.js';

const LABEL_WIDTH = 12;
const TASK_LINES = 3;

function taskLines(row: AgentRow, width: number): string[] {
  return wrapText(row.task || '(no task)', width - LABEL_WIDTH, TASK_LINES);
}

/** The lines Details takes for ROW at WIDTH (the layout reserves them). */
export function detailsLines(row: AgentRow | undefined, width: number): number {
  if (!row) return 1;
  const optional = [row.mode === 'headless', Boolean(row.waitingFor?.length), Boolean(row.violations?.length)].filter(Boolean).length;
  return 6 + optional + (row.conflicts?.length ?? 0) + taskLines(row, width).length;
}

export const Details = memo(function Details({ row, width, now }: { row: AgentRow | undefined; width: number; now: number }): JSX.Element {
  if (!row) return <Text dimColor>no agent selected</Text>;
  const changed = row.changedFiles === null ? 'unknown' : `${row.changedFiles} file${row.changedFiles === 1 ? '' : 's'}`;
  const task = taskLines(row, width);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{`${row.index} ${row.name}  `}</Text>
        <StatusBadge row={row} />
        <Text dimColor>{row.created ? ` for ${duration(now - row.since)}${row.hasWindow ? '' : ' · no window'}` : ' · in the layout only: r creates it'}</Text>
      </Text>
      <Field label="worktree" value={row.worktree ? (row.host ? `${row.host}:${row.worktree}` : row.worktree) : '-'} />
      <Field label="branch" value={`${row.branch} → ${row.base}`} />
      {row.mode === 'headless' ? <Field label="run" value={runText(row)} /> : null}
      {row.waitingFor?.length ? <Field label="starts" value={`once ${row.waitingFor.join(', ')} ${row.waitingFor.length === 1 ? 'is' : 'are'} merged`} /> : null}
      <Field label="changed" value={changed} />
      <Field label="ports" value={portsText(row.ports) || '-'} />
      <Field label="database" value={row.database ?? '-'} />
      {row.violations?.length ? <Field label="⚠ scope" value={`${row.violations.length} outside its scope: ${row.violations.join(', ')}`} /> : null}
      {(row.conflicts ?? []).map((c, i) => (
        <Field key={`c${i}`} label={i === 0 ? '⇄ conflicts' : ''} value={`with ${c.with}: ${c.files.join(', ')}`} />
      ))}
      {task.map((line, i) => (
        <Field key={i} label={i === 0 ? 'task' : ''} value={line} />
      ))}
    </Box>
  );
});

/** `headless · ✓ ok · $0.0125` */
function runText(row: AgentRow): string {
  const parts = ['headless'];
  if (row.ok !== null) parts.push(row.ok ? '✓ ok' : '✗ failed');
  if (row.costUsd !== null) parts.push(costText(row.costUsd));
  return parts.join(' · ');
}

function Field({ label, value }: { label: string; value: string }): JSX.Element {
  return (
    <Box>
      <Box width={LABEL_WIDTH} flexShrink={0}>
        <Text dimColor>{label}</Text>
      </Box>
      <Text wrap="truncate-end">{value}</Text>
    </Box>
  );
}
