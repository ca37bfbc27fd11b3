// The first line: project, agent count, how many need the user (prominent), counts by status.
import { memo, type JSX } from 'react';
import { Box, Text } from 'ink';
import { headerParts } from './format.js';
import type { AgentRow } from './model.js';

export const Header = memo(function Header({ project, rows }: { project: string; rows: readonly AgentRow[] }): JSX.Element {
  const [first, ...rest] = headerParts(project, rows);
  return (
    <Box>
      <Text wrap="truncate-end">
        <Text bold>{first!.text}</Text>
        {' — '}
        {rest.map((part, i) => (
          <Text key={part.text}>
            {i > 0 ? ' · ' : ''}
            {part.tone === 'alert' ? (
              <Text color="yellow" bold>
                {part.text}
              </Text>
            ) : (
              part.text
            )}
          </Text>
        ))}
      </Text>
    </Box>
  );
});
