// x: remove an agent. A plain y/N when nothing would be lost; otherwise what would be lost, and a
// forced remove only after typing y and Enter.
import type { JSX } from 'react';
import { Box, Text } from 'ink';
import { Input } from './Input.js';
import type { Dialog } from './reducer.js';

export function ConfirmRemove({ dialog }: { dialog: Extract<Dialog, { kind: 'remove' }> }): JSX.Element {
  const name = dialog.target;
  if (dialog.phase === 'checking') return <Text>{`Remove ${name}? checking what would be lost… (Esc: cancel)`}</Text>;
  if (dialog.phase === 'confirm') {
    return (
      <Box flexDirection="column">
        <Text bold>{`Remove ${name}? [y/N]`}</Text>
        <Text>Its window, worktree, database and ports go; an unmerged branch is kept.</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text bold color="red">{`Removing ${name} would lose: ${dialog.blocker ?? ''}`}</Text>
      <Text>A forced remove saves a patch and the untracked files in the trash first.</Text>
      <Input label="type y and Enter to force, Esc to keep it:" value={dialog.value} />
    </Box>
  );
}
