// A one-line text field: the label, the value (its end stays visible) and a block cursor.
import type { JSX } from 'react';
import { Box, Text } from 'ink';

export function Input({ label, value, active = true }: { label: string; value: string; active?: boolean }): JSX.Element {
  return (
    <Box>
      <Box flexShrink={0}>
        <Text bold={active} dimColor={!active}>{`${label} `}</Text>
      </Box>
      <Box flexShrink={1}>
        <Text wrap="truncate-start">{value}</Text>
      </Box>
      {active ? <Text inverse> </Text> : null}
    </Box>
  );
}
