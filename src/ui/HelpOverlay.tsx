// Every key, from the KEYS table, grouped by where it applies; two columns when they fit.
// Esc, ? or q closes it.
import type { JSX } from 'react';
import { Box, Text } from 'ink';
import { COMMANDS, KEYS, keyLabel, SCOPES, type Scope } from './keys.js';
import { KEY_BINDINGS } from '../tmux/bindings.js';

const KEY_WIDTH = Math.max(...COMMANDS.map((c) => keyLabel(c).length)) + 2;
const COLUMN_WIDTH = KEY_WIDTH + Math.max(...COMMANDS.map((c) => KEYS[c].description.length)) + 1;
const TMUX_KEY_WIDTH = 'prefix J/K'.length + 2;
/** border and padding */
const FRAME = 4;

export function HelpOverlay({ width }: { width: number }): JSX.Element {
  const all = SCOPES.map((s) => s.scope);
  const two = width - FRAME >= 2 * COLUMN_WIDTH;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width}>
      <Text bold>treemux keys</Text>
      {two ? (
        <Box>
          <Box flexDirection="column">
            <Sections scopes={all.slice(0, 2)} />
            <TmuxKeys />
          </Box>
          <Sections scopes={all.slice(2)} />
        </Box>
      ) : (
        <>
          <Sections scopes={all} />
          <TmuxKeys />
        </>
      )}
      <Text dimColor>Esc, ? or q: close</Text>
    </Box>
  );
}

/** tmux's own keys in every treemux window (prefix: Ctrl-b unless you changed it). */
function TmuxKeys(): JSX.Element {
  const rows = [
    ...KEY_BINDINGS.filter((b) => b.key !== 'K').map((b) => ({ keys: b.key === 'J' ? 'prefix J/K' : `prefix ${b.key}`, what: b.key === 'J' ? 'next / previous agent window' : b.what })),
    { keys: 'prefix 1-9', what: 'the window with that number (as in the list)' },
  ];
  return (
    <Box flexDirection="column" marginTop={1} width={COLUMN_WIDTH} flexShrink={1}>
      <Text bold underline wrap="truncate-end">
        In any treemux window (tmux)
      </Text>
      {rows.map((r) => (
        <Box key={r.keys}>
          <Box width={TMUX_KEY_WIDTH} flexShrink={0}>
            <Text color="cyan">{r.keys}</Text>
          </Box>
          <Text wrap="truncate-end">{r.what}</Text>
        </Box>
      ))}
    </Box>
  );
}

function Sections({ scopes }: { scopes: Scope[] }): JSX.Element {
  return (
    <Box flexDirection="column" width={COLUMN_WIDTH} flexShrink={1}>
      {SCOPES.filter((s) => scopes.includes(s.scope)).map((s) => (
        <Box key={s.scope} flexDirection="column" marginTop={1}>
          <Text bold underline wrap="truncate-end">
            {s.title}
          </Text>
          {COMMANDS.filter((c) => KEYS[c].scope === s.scope).map((c) => (
            <Box key={c}>
              <Box width={KEY_WIDTH} flexShrink={0}>
                <Text color="cyan">{keyLabel(c)}</Text>
              </Box>
              <Text wrap="truncate-end">{KEYS[c].description}</Text>
            </Box>
          ))}
        </Box>
      ))}
    </Box>
  );
}
