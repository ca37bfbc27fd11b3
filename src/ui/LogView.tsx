// l: the agent's log, newest at the bottom; j/k and PgUp/PgDn scroll, Esc or q goes back.
import type { JSX } from 'react';
import { Box, Text } from 'ink';
import { HelpBar } from './HelpBar.js';
import type { Dialog } from './reducer.js';

export function LogView({ dialog, height, width }: { dialog: Extract<Dialog, { kind: 'log' }>; height: number; width: number }): JSX.Element {
  const lines = dialog.lines;
  const end = lines ? lines.length - dialog.fromEnd : 0;
  const start = Math.max(0, end - height);
  const where = lines && lines.length > height ? ` · lines ${start + 1}-${end} of ${lines.length}` : '';
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{`log: ${dialog.target}${where}`}</Text>
      <Box flexDirection="column" height={lines === null || lines.length === 0 ? 1 : undefined}>
        {lines === null ? <Text dimColor>loading…</Text> : null}
        {lines?.length === 0 ? <Text dimColor>(the log is empty)</Text> : null}
        {lines?.slice(start, end).map((line, i) => (
          <Text key={start + i} wrap="truncate-end">
            {line || ' '}
          </Text>
        ))}
      </Box>
      <HelpBar scope="log" width={width} />
    </Box>
  );
}
