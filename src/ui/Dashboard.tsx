// The full-screen dashboard: a thin root that wires the hooks and picks what to show. It draws again
// only when something shown changed: a snapshot with news, a key, a resize, the preview's screen, or
// the minute turning (the ages are shown to the minute); the parts are memoised, so the table is not
// drawn again for a message, a dialog or the preview.
import type { JSX } from 'react';
import { Box, useApp } from 'ink';
import { ConfirmRemove } from './ConfirmRemove.js';
import { Details, detailsLines } from './Details.js';
import { Header } from './Header.js';
import { HelpBar, StatusLine } from './HelpBar.js';
import { HelpOverlay } from './HelpOverlay.js';
import { MESSAGE_MS, scopeOf, useDashKeys, useDashStore, useMessageTimeout, useMinuteClock, useSnapshots, useTerminalSize } from './hooks.js';
import { Input } from './Input.js';
import { dashLayout, SIDE_GAP } from './layout.js';
import { LogView } from './LogView.js';
import type { Actions, Source } from './model.js';
import { NewAgentForm } from './NewAgentForm.js';
import { Preview } from './Preview.js';
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

export function Dashboard({ source, actions, now: clock = Date.now, messageMs = MESSAGE_MS }: DashboardProps): JSX.Element {
  const { exit } = useApp();
  const { columns, rows: height } = useTerminalSize();
  const [state, dispatch, get] = useDashStore(() => initialDashState(source.current()), actions, exit);
  const logHeight = Math.max(3, (height ?? 24) - 3);
  useSnapshots(source, dispatch);
  useMessageTimeout(state.message, dispatch, messageMs);
  useDashKeys(get, dispatch, logHeight);
  const now = useMinuteClock(clock, state.rows);

  const { dialog } = state;
  if (dialog.kind === 'help') return <HelpOverlay width={columns} />;
  if (dialog.kind === 'log') return <LogView dialog={dialog} height={logHeight} width={columns} />;
  const selected = state.rows.find((r) => r.name === state.selected);
  const layout = dashLayout({
    columns,
    height,
    agents: state.rows.length,
    panelLines: (width) => detailsLines(selected, width),
    preview: state.preview,
  });
  const showPanel = layout.panel !== null || dialog.kind !== 'none'; // a dialog shows even on a short terminal
  const left = (
    <Box flexDirection="column" width={layout.tableWidth} flexShrink={0}>
      <Table rows={state.rows} selected={state.selected} now={now} width={layout.tableWidth} maxRows={layout.maxRows} />
      {showPanel ? (
        <Box marginTop={1} height={layout.panel ?? undefined} flexShrink={0} overflow="hidden">
          <Panel state={state} width={layout.tableWidth} now={now} />
        </Box>
      ) : null}
    </Box>
  );
  const preview = layout.preview ? <Preview actions={actions} row={selected} width={layout.preview.width} height={layout.preview.height} /> : null;
  return (
    <Box flexDirection="column" width={columns}>
      <Header project={state.project} rows={state.rows} />
      {layout.preview?.side ? (
        <Box>
          {left}
          <Box marginLeft={SIDE_GAP}>{preview}</Box>
        </Box>
      ) : (
        left
      )}
      {preview && !layout.preview?.side ? <Box marginTop={1}>{preview}</Box> : null}
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
