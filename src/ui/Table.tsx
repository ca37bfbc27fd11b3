// One row per agent. Column widths come from planColumns (format.ts); cells truncate at their width.
import { memo, type JSX } from 'react';
import { Box, Text } from 'ink';
import { cellText, GAP, MARKER_WIDTH, planColumns, statusStyle, statusText, visibleRange, type Column } from './format.js';
import type { AgentRow } from './model.js';

export function StatusBadge({ row }: { row: Pick<AgentRow, 'status' | 'exitCode'> & Partial<Pick<AgentRow, 'ok' | 'costUsd'>> }): JSX.Element {
  const style = statusStyle(row);
  return (
    <Text color={style.color} bold={style.bold} dimColor={style.dim} wrap="truncate-end">
      {statusText(row)}
    </Text>
  );
}

interface TableProps {
  rows: readonly AgentRow[];
  selected: string | null;
  now: number;
  width: number;
  /** at most this many agent rows (the rest scroll with the selection) */
  maxRows: number;
}

/** Drawn again only when its props change (memo): not for a message, a dialog or the preview. */
export const Table = memo(function Table({ rows, selected, now, width, maxRows }: TableProps): JSX.Element {
  if (rows.length === 0) return <Text dimColor>no agents yet: press n to add one</Text>;
  const columns = planColumns(rows, width, now);
  const [start, end] = visibleRange(rows.length, rows.findIndex((r) => r.name === selected), maxRows);
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={MARKER_WIDTH} flexShrink={0} />
        {columns.map((c, i) => (
          <Cell key={c.id} column={c} last={i === columns.length - 1}>
            <Text dimColor wrap="truncate-end">
              {c.title}
            </Text>
          </Cell>
        ))}
      </Box>
      {rows.slice(start, end).map((row) => (
        <Row key={row.name} row={row} columns={columns} selected={row.name === selected} now={now} />
      ))}
      {end - start < rows.length ? <Text dimColor>{`  ${start + 1}-${end} of ${rows.length}`}</Text> : null}
    </Box>
  );
});

/** A row is drawn again only when it, its selection, the columns or the minute changed. */
const Row = memo(function Row({ row, columns, selected, now }: { row: AgentRow; columns: Column[]; selected: boolean; now: number }): JSX.Element {
  return (
    <Box>
      <Box width={MARKER_WIDTH} flexShrink={0}>
        <Text color="cyan" bold>
          {selected ? '›' : ' '}
        </Text>
      </Box>
      {columns.map((c, i) => (
        <Cell key={c.id} column={c} last={i === columns.length - 1}>
          {c.id === 'status' ? (
            <StatusBadge row={row} />
          ) : (
            <Text
              bold={c.id === 'name' && (selected || row.status === 'waiting')}
              inverse={c.id === 'name' && selected}
              color={c.id === 'name' && row.status === 'waiting' ? 'yellow' : undefined}
              dimColor={c.id === 'last' || c.id === 'time'}
              wrap="truncate-end"
            >
              {cellText(c.id, row, now)}
            </Text>
          )}
        </Cell>
      ))}
    </Box>
  );
}, (a, b) => a.row === b.row && a.selected === b.selected && a.now === b.now && sameColumns(a.columns, b.columns));

function sameColumns(a: readonly Column[], b: readonly Column[]): boolean {
  return a === b || (a.length === b.length && a.every((c, i) => c.id === b[i]!.id && c.width === b[i]!.width));
}

function Cell({ column, last, children }: { column: Column; last: boolean; children: JSX.Element }): JSX.Element {
  return (
    <Box width={column.width} marginRight={last ? 0 : GAP} flexShrink={0}>
      {children}
    </Box>
  );
}
