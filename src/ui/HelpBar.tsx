// The bottom lines: the message of the last action, and the main keys of what has the focus.
import { memo, type JSX } from 'react';
import { Text } from 'ink';
import { BAR_SEPARATOR, barItems, type Scope } from './keys.js';

export const HelpBar = memo(function HelpBar({ scope, width }: { scope: Scope; width: number }): JSX.Element {
  return (
    <Text wrap="truncate-end">
      {barItems(scope, width).map((item, i) => (
        <Text key={item.keys + item.text}>
          {i > 0 ? BAR_SEPARATOR : ''}
          <Text bold>{item.keys}</Text>
          <Text dimColor>{` ${item.text}`}</Text>
        </Text>
      ))}
    </Text>
  );
});

export function StatusLine({ text }: { text: string | undefined }): JSX.Element {
  return (
    <Text color="cyan" wrap="truncate-end">
      {text ?? ' '}
    </Text>
  );
}
