// The TREEMUX_* environment protocol: the variables treemux sets in the processes it starts (agent
// windows, sidebars, setup commands) and reads back in the ones that call it again (`treemux hook`
// from Claude Code, `treemux sidebar`, `treemux run`). Written once here, on both sides.

export const ENV = {
  /** the layout's project name */
  project: 'TREEMUX_PROJECT',
  /** the agent whose window (or setup) this is */
  agent: 'TREEMUX_AGENT',
  /** the agent's worktree */
  worktree: 'TREEMUX_WORKTREE',
  /** <git common dir>/treemux: state, logs, events */
  stateDir: 'TREEMUX_STATE_DIR',
  /** tmux -L NAME, when not tmux's default */
  socket: 'TREEMUX_SOCKET',
  /** the scope guard's rules, JSON {scope, avoid, mode} */
  scope: 'TREEMUX_SCOPE',
} as const;

/** What a process started by treemux can read back about its agent. */
export interface AgentEnv {
  project?: string;
  agent?: string;
  worktree?: string;
  stateDir?: string;
  socket?: string;
  scope?: string;
}

/** The protocol's variables for these facts (the ones given). */
export function agentEnv(facts: AgentEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV) as [keyof AgentEnv, string][]) {
    const value = facts[key];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The protocol's facts from an environment (the process's own by default). Values are unchecked: callers check. */
export function readAgentEnv(env: NodeJS.ProcessEnv = process.env): AgentEnv {
  const out: AgentEnv = {};
  for (const [key, name] of Object.entries(ENV) as [keyof AgentEnv, string][]) {
    const value = env[name];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
