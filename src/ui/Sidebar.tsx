// The narrow sidebar in each agent window: number, status symbol and name per agent, this window's
// agent marked; j/k select, Enter or a number jumps. The selected agent's last line below, if it fits.
import type { JSX } from 'react';
import { Box, Text, useApp } from 'ink';
import { costText, statusStyle, totalCost, wrapText } from './format.js';
import { MESSAGE_MS, useDashStore, useMessageTimeout, useSidebarKeys, useSnapshots, useTerminalSize } from './hooks.js';
import type { Actions, AgentRow, Source } from './model.js';
import { initialDashState } from './reducer.js';

export interface SidebarProps {
  source: Source;
  actions: Actions;
  /** this window's agent */
  current: string | null;
  messageMs?: number;
}

const LAST_LINES = 2;

export function Sidebar({ source, actions, current, messageMs = MESSAGE_MS }: SidebarProps): JSX.Element {
  const { exit } = useApp();
  const { columns, rows: height } = useTerminalSize();
  const [state, dispatch] = useDashStore(() => initialDashState(source.current(), current), actions, exit);
  useSnapshots(source, dispatch);
  useMessageTimeout(state.message, dispatch, messageMs);
  useSidebarKeys(dispatch);

  const waiting = state.rows.filter((r) => r.status === 'waiting').length;
  const cost = totalCost(state.rows);
  const selected = state.rows.find((r) => r.name === state.selected);
  const used = 1 + state.rows.length + (state.message ? 1 : 0);
  const roomForLast = height === undefined || height - used >= 1 + LAST_LINES;
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end">
        <Text bold>{state.project}</Text>
        {waiting > 0 ? <Text color="yellow" bold>{` ${waiting} need${waiting === 1 ? 's' : ''} you`}</Text> : null}
        {cost !== null ? <Text dimColor>{` ${costText(cost)}`}</Text> : null}
      </Text>
      {state.rows.map((row) => (
        <SideRow key={row.name} row={row} current={row.name === current} selected={row.name === state.selected} />
      ))}
      {state.rows.length === 0 ? <Text dimColor>no agents</Text> : null}
      {selected && roomForLast && selected.lastLine ? (
        <Box flexDirection="column">
          <Text dimColor>{'─'.repeat(Math.max(1, columns))}</Text>
          {wrapText(selected.lastLine, columns, LAST_LINES).map((line, i) => (
            <Text key={i} dimColor wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
      {state.message ? (
        <Text color="cyan" wrap="truncate-end">
          {state.message.text}
        </Text>
      ) : null}
    </Box>
  );
}

function SideRow({ row, current, selected }: { row: AgentRow; current: boolean; selected: boolean }): JSX.Element {
  const style = statusStyle(row);
  const waiting = row.status === 'waiting';
  return (
    <Text wrap="truncate-end" inverse={selected} bold={current || waiting}>
      {current ? '▸' : ' '}
      {String(row.index).padStart(2)}{' '}
      <Text color={style.color} dimColor={style.dim}>
        {style.symbol}
      </Text>{' '}
      <Text color={waiting ? 'yellow' : undefined}>{row.name}</Text>
      {row.status === 'exited' && row.costUsd !== null ? <Text dimColor>{` ${costText(row.costUsd)}`}</Text> : null}
    </Text>
  );
}
