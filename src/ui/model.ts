// What the dashboard and the sidebar show, and what they can ask for. The data comes from the
// watcher (src/agents/status/watcher.ts) through a Source; the actions are carried out by the command that
// mounts the UI (src/agents/actions.ts). Components never talk to tmux, git or files themselves.
export type { AgentRow, Snapshot, Source } from '../agents/status/snapshot.js';
export type { Actions } from '../agents/actions.js';
