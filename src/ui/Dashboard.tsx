// The full-screen dashboard: a thin root that wires the hooks and picks what to show.
import type { JSX } from 'react';
import { Box, useApp } from 'ink';
import { ConfirmRemove } from './ConfirmRemove.js';
import { Details } from './Details.js';
import { Header } from './Header.js';
import { HelpBar, StatusLine } from './HelpBar.js';
import { HelpOverlay } from './HelpOverlay.js';
import { MESSAGE_MS, scopeOf, useDashKeys, useDashStore, useMessageTimeout, useNow, useSnapshots, useTerminalSize } from './hooks.js';
import { Input } from './Input.js';
import { LogView } from './LogView.js';
import type { Actions, Source } from './model.js';
import { NewAgentForm } from './NewAgentForm.js';
import { initialDashState, type DashState } from './reducer.js';
import { Table } from './Table.js';

export interface DashboardProps {
  source: Source;
  actions: Actions;
  /** the clock (tests pass a fixed one) */
  now?: () => number;
  /** how long a message stays, in ms */
  messageMs?: number;
}

/** lines around the table: header, column titles, details (8) with its margin, message, help bar */
const CHROME_LINES = 14;
const SHORT_TERMINAL = 20;

export function Dashboard({ source, actions, now: clock = Date.now, messageMs = MESSAGE_MS }: DashboardProps): JSX.Element {
  const { exit } = useApp();
  const { columns, rows: height } = useTerminalSize();
  const [state, dispatch, get] = useDashStore(() => initialDashState(source.current()), actions, exit);
  const logHeight = Math.max(3, (height ?? 24) - 3);
  useSnapshots(source, dispatch);
  useMessageTimeout(state.message, dispatch, messageMs);
  useDashKeys(get, dispatch, logHeight);
  const now = useNow(clock);

  const { dialog } = state;
  if (dialog.kind === 'help') return <HelpOverlay width={columns} />;
  if (dialog.kind === 'log') return <LogView dialog={dialog} height={logHeight} width={columns} />;
  const short = height !== undefined && height < SHORT_TERMINAL;
  const maxRows = height === undefined ? Infinity : Math.max(3, height - (short ? 5 : CHROME_LINES));
  const panel = <Panel state={state} width={columns} now={now} />;
  return (
    <Box flexDirection="column" width={columns}>
      <Header project={state.project} rows={state.rows} />
      <Table rows={state.rows} selected={state.selected} now={now} width={columns} maxRows={maxRows} />
      {short && dialog.kind === 'none' ? null : <Box marginTop={1}>{panel}</Box>}
      <StatusLine text={state.message?.text} />
      <HelpBar scope={scopeOf(dialog)} width={columns} />
    </Box>
  );
}

/** Below the table: the open dialog, or the selected agent's details. */
function Panel({ state, width, now }: { state: DashState; width: number; now: number }): JSX.Element {
  const { dialog } = state;
  switch (dialog.kind) {
    case 'send':
      return <Input label={`send to ${dialog.target}:`} value={dialog.value} />;
    case 'sendAll':
      return <Input label={`send to all ${state.rows.length} agents:`} value={dialog.value} />;
    case 'new':
      return <NewAgentForm dialog={dialog} />;
    case 'remove':
      return <ConfirmRemove dialog={dialog} />;
    default:
      return <Details row={state.rows.find((r) => r.name === state.selected)} width={width} now={now} />;
  }
}
