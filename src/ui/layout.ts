// Where the dashboard's parts go, pure: how many agent rows the table shows, how wide it is, and
// where the preview of the selected agent's screen goes (beside the table on a wide terminal, under
// it otherwise) and how big it is. Every line is counted, so the dashboard never draws more lines
// than the terminal has (Ink clears the whole terminal for each frame that fills it).

/** From this many columns the preview goes beside the table. */
export const SIDE_COLUMNS = 160;
/** Beside the table, the preview takes this share of the width. */
const SIDE_SHARE = 0.45;
/** between the table and the preview beside it */
export const SIDE_GAP = 1;
/** The preview is shown only with at least this many lines of screen. */
export const PREVIEW_MIN_LINES = 3;
/** Under the table, the table keeps this many agent rows before the preview takes any of its room. */
const TABLE_KEEPS = 8;
/** The preview's lines when the terminal's height is unknown (not a terminal). */
const UNKNOWN_HEIGHT_LINES = 10;
/** Below this height the details give way (as before the preview). */
export const SHORT_TERMINAL = 20;
/** The lines below the table for the details (as many as they take) or a dialog, at least (the new-agent form's). */
export const PANEL_LINES = 5;

export interface LayoutInput {
  columns: number;
  /** the terminal's rows; undefined when unknown */
  height: number | undefined;
  /** how many agent rows there are */
  agents: number;
  /** the lines the panel below the table needs at a width (the selected agent's details) */
  panelLines: (width: number) => number;
  /** the preview is wanted (p) */
  preview: boolean;
}

export interface PreviewBox {
  /** beside the table (else under everything else, above the message line) */
  side: boolean;
  /** the frame's size, border included */
  width: number;
  height: number;
  /** the screen's lines and columns inside the frame */
  lines: number;
  columns: number;
}

export interface DashLayout {
  tableWidth: number;
  /** at most this many agent rows (the rest scroll with the selection) */
  maxRows: number;
  /** the panel under the table (details or a dialog) is shown, in this many lines */
  panel: number | null;
  preview: PreviewBox | null;
}

/** The preview frame's lines around the screen (its top line, its bottom border) and columns (side borders, padding). */
export const FRAME_LINES = 2;
export const FRAME_COLUMNS = 4;

function box(side: boolean, width: number, height: number): PreviewBox {
  return { side, width, height, lines: height - FRAME_LINES, columns: width - FRAME_COLUMNS };
}

/** The lines the table takes for `agents` rows at most `maxRows` shown: titles, rows, and `N-M of K` when it scrolls. */
export function tableLines(agents: number, maxRows: number): number {
  if (agents === 0) return 1; // "no agents yet"
  return 1 + (agents <= maxRows ? agents : maxRows + 1);
}

export function dashLayout(input: LayoutInput): DashLayout {
  const { columns, height, agents } = input;
  const short = height !== undefined && height < SHORT_TERMINAL;
  const side = input.preview && columns >= SIDE_COLUMNS;
  const width = side ? Math.floor(columns * SIDE_SHARE) : columns;
  const tableWidth = side ? columns - width - SIDE_GAP : columns;
  // header, message and help lines, and one line kept free at the bottom
  const chrome = 4;
  // the details as long as they are, but never leaving the table fewer than 3 rows
  const panelRoom = height === undefined ? Infinity : height - chrome - 1 - tableLines(agents, 3);
  const panel = short ? null : Math.min(Math.max(PANEL_LINES, input.panelLines(tableWidth)), panelRoom);
  const panelBlock = panel === null ? 0 : 1 + panel; // with its margin

  if (side) {
    if (height === undefined) return { tableWidth, maxRows: Infinity, panel, preview: box(true, width, UNKNOWN_HEIGHT_LINES + FRAME_LINES) };
    const body = height - chrome;
    const maxRows = Math.max(3, body - panelBlock - 2);
    const preview = body - FRAME_LINES >= PREVIEW_MIN_LINES ? box(true, width, body) : null;
    return { tableWidth: preview ? tableWidth : columns, maxRows, panel, preview };
  }

  if (height === undefined) {
    const preview = input.preview ? box(false, columns, UNKNOWN_HEIGHT_LINES + FRAME_LINES) : null;
    return { tableWidth: columns, maxRows: Infinity, panel, preview };
  }
  // the table's rows and the preview share what the rest leaves
  const room = height - chrome - panelBlock;
  const alone = Math.max(3, room - 2); // the table without a preview: titles and `N-M of K`
  if (!input.preview || short) return { tableWidth: columns, maxRows: alone, panel, preview: null };
  const previewBlock = (lines: number) => 1 + FRAME_LINES + lines; // with its margin
  const maxRows = Math.max(Math.min(agents, TABLE_KEEPS), room - previewBlock(PREVIEW_MIN_LINES) - 2);
  const lines = room - tableLines(agents, maxRows) - previewBlock(0);
  if (lines < PREVIEW_MIN_LINES) return { tableWidth: columns, maxRows: alone, panel, preview: null };
  return { tableWidth: columns, maxRows, panel, preview: box(false, columns, lines + FRAME_LINES) };
}
