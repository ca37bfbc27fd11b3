// p: the selected agent's screen, live: the bottom of its pane in a frame, beside the table or under
// it (layout.ts). Read (Actions.screen) only when something says it changed: another agent selected,
// that agent printed (its row's `activity`), its program ended, or the preview changed size. Never
// on a timer, so an idle agent's screen costs nothing after it was read once.
import { memo, useCallback, useEffect, useRef, useState, type JSX } from 'react';
import { Box, Text } from 'ink';
import type { Actions, AgentRow } from './model.js';
import { FRAME_COLUMNS, FRAME_LINES } from './layout.js';
import { frameTop, previewRows } from './previewText.js';

export interface PreviewProps {
  actions: Actions;
  /** the selected agent (undefined: none) */
  row: AgentRow | undefined;
  /** the frame's size, border included */
  width: number;
  height: number;
}

/** What one read brought: the screen's lines, or why there are none. */
export interface Shot {
  pane: string;
  lines: string[] | null;
  error: string | null;
}

interface Want {
  pane: string;
  lines: number;
}

/**
 * The screen of PANE, read again whenever one of `changes` changes. One read at a time: what is asked
 * meanwhile is read once the read under way is done (the latest only), so a busy agent never stacks
 * reads and its newest screen always comes.
 */
export function useScreen(actions: Actions, pane: string | undefined, lines: number, changes: readonly unknown[]): Shot | null {
  const [shot, setShot] = useState<Shot | null>(null);
  const want = useRef<Want | null>(null);
  const reading = useRef(false);
  const read = useCallback(async () => {
    if (reading.current) return;
    reading.current = true;
    try {
      for (let next = want.current; next; next = want.current) {
        want.current = null;
        const { pane: target, lines: count } = next;
        let got: Shot;
        try {
          got = { pane: target, lines: await actions.screen(target, count), error: null };
        } catch (err) {
          got = { pane: target, lines: null, error: err instanceof Error ? err.message : String(err) };
        }
        setShot((shown) => (shown && JSON.stringify(shown) === JSON.stringify(got) ? shown : got)); // the same screen: nothing drawn again
      }
    } finally {
      reading.current = false;
    }
  }, [actions]);
  const key = JSON.stringify([pane, lines, ...changes]);
  useEffect(() => {
    if (pane === undefined || lines <= 0) return;
    want.current = { pane, lines };
    void read();
  }, [key, read]); // key: pane, lines and the changes
  return shot;
}

export const Preview = memo(function Preview({ actions, row, width, height }: PreviewProps): JSX.Element {
  const lines = Math.max(0, height - FRAME_LINES);
  const columns = Math.max(0, width - FRAME_COLUMNS);
  // a pane on another host is read there (HOST:%id); its log is there too, so its last line says when it changed
  const pane = row?.pane ? (row.host ? `${row.host}:${row.pane.id}` : row.pane.id) : undefined;
  const shot = useScreen(actions, pane, lines, [row?.pane?.alive, row?.activity, columns, row?.host ? row.lastLine : null]);
  const [left, title, right] = frameTop(row ? `${row.index} ${row.name}` : 'screen', width);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text dimColor wrap="truncate-end">
        {left}
        <Text bold dimColor={false}>
          {title}
        </Text>
        {right}
      </Text>
      <Box flexDirection="column" width={width} height={height - 1} borderStyle="round" borderTop={false} borderDimColor paddingX={1} overflow="hidden">
        <Screen row={row} shot={shot && shot.pane === pane ? shot : null} lines={lines} columns={columns} />
      </Box>
    </Box>
  );
});

function Screen({ row, shot, lines, columns }: { row: AgentRow | undefined; shot: Shot | null; lines: number; columns: number }): JSX.Element {
  const say = (text: string) => (
    <Text dimColor wrap="wrap">
      {text}
    </Text>
  );
  if (!row) return say('no agent selected');
  if (!row.pane) return say(row.created ? `${row.name} has no window` : `${row.name} is not created`);
  if (!shot) return say('…');
  if (shot.error !== null) return say(`could not read its screen: ${shot.error}`);
  const rows = previewRows(shot.lines ?? [], columns, lines);
  if (rows.length === 0) return say('(its screen is empty)');
  return (
    <>
      {rows.map((text, i) => (
        <Text key={i} wrap="truncate-end">
          {text || ' '}
        </Text>
      ))}
    </>
  );
}
