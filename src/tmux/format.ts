// Format strings and their parsing come from one field list, so they cannot drift apart.
// Fields are joined with the ASCII unit separator, which never appears in tmux names we read.
export const SEP = '\x1f';

export type FieldList<K extends string> = readonly K[];
export type Row<K extends string> = Record<K, string>;

/** `#{a}<SEP>#{b}…` for the given tmux format variables. */
export function formatOf<K extends string>(fields: FieldList<K>): string {
  return fields.map((f) => `#{${f}}`).join(SEP);
}

/** Parse the output of a `-F formatOf(fields)` command: one row per non-empty line. */
export function parseRows<K extends string>(fields: FieldList<K>, out: string): Row<K>[] {
  return out
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const parts = line.split(SEP);
      const row = {} as Row<K>;
      fields.forEach((f, i) => {
        row[f] = parts[i] ?? '';
      });
      return row;
    });
}

export const SESSION_FIELDS = ['session_id', 'session_name', 'session_attached'] as const;
export const CREATED_FIELDS = ['session_id', 'window_id', 'window_index', 'pane_id'] as const;
export const PANE_FIELDS = [
  'session_id',
  'window_id',
  'window_name',
  'window_index',
  'window_activity',
  'pane_id',
  'pane_index',
  'pane_width',
  'pane_height',
  'pane_dead',
  'pane_dead_status',
  'pane_dead_time',
  'pane_pid',
  'pane_current_command',
  'pane_title',
  '@treemux-agent',
  '@treemux-role',
  // 1 for a pane still running treemux's placeholder: a window whose making was cut short
  'm:env TREEMUX_PLACEHOLDER=1 *,#{pane_start_command}',
] as const;

/** The PANE_FIELDS entry that says a pane still runs the placeholder. */
export const PLACEHOLDER_FIELD = 'm:env TREEMUX_PLACEHOLDER=1 *,#{pane_start_command}';
export type PaneRow = Row<(typeof PANE_FIELDS)[number]>;
