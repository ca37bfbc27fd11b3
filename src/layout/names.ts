// The names a layout may use, as patterns (no zod: state.json's reader and the CLI use them too).
export const AGENT_NAME_RE = /^[a-z0-9][a-z0-9-]*$/;
/** A project name is also the tmux session name: no `.` or `:` (tmux target syntax), no spaces. */
export const PROJECT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const PORT_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The sidebar's width when `sidebar: true` (a narrow column beside the agent). */
export const SIDEBAR_WIDTH = 32;

/** The sidebar's width, or null when the layout has none. */
export function sidebarWidth(sidebar: boolean | { width: number }): number | null {
  if (sidebar === false) return null;
  return sidebar === true ? SIDEBAR_WIDTH : sidebar.width;
}
