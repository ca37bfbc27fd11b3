// n: a new agent, name then task. The name is checked on Enter; the error shows under the field.
import type { JSX } from 'react';
import { Box, Text } from 'ink';
import { Input } from './Input.js';
import type { Dialog } from './reducer.js';

export function NewAgentForm({ dialog }: { dialog: Extract<Dialog, { kind: 'new' }> }): JSX.Element {
  return (
    <Box flexDirection="column">
      <Text bold>New agent</Text>
      <Input label="name:" value={dialog.name} active={dialog.step === 'name'} />
      {dialog.error ? <Text color="red">{dialog.error}</Text> : null}
      {dialog.step === 'task' ? <Input label="task:" value={dialog.task} /> : null}
      <Text dimColor>{dialog.step === 'name' ? 'Enter: next (the task) · Esc: cancel' : 'Enter: create the agent · Esc: cancel'}</Text>
    </Box>
  );
}
