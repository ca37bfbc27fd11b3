// CLAUDE.local.md for one agent, rendered from the layout: a pure function of its inputs.
import type { ResolvedAgent } from '../../layout/index.js';

export const INSTRUCTIONS_FILE = 'CLAUDE.local.md';

export interface InstructionsInput {
  project: string;
  agent: ResolvedAgent;
  /** the other agents working in parallel: name, branch, scope */
  others: readonly Pick<ResolvedAgent, 'name' | 'branch' | 'scope'>[];
  /** how to run the project's tests, when known */
  testCommand: string | null;
  /** environment facts for the agent (ports, database, env file), rendered as a list */
  environment?: readonly string[];
  /** how to call treemux from the agent's shell (absolute paths, shell-quoted): for an operator */
  treemux?: string;
}

const bullet = (items: readonly string[]): string => items.map((s) => `- ${s}`).join('\n');
const code = (s: string): string => '`' + s.replaceAll('`', "'") + '`';

export function renderInstructions(input: InstructionsInput): string {
  const { agent, project } = input;
  const parts: string[] = [];
  parts.push(`# Instructions for agent \`${agent.name}\` (${project})`);
  parts.push(
    'This file was written by treemux for this worktree only. It is not committed; treemux rewrites it ' +
      'from `treemux.yaml` when the agent is brought up.',
  );
  parts.push(`## Your task\n\n${agent.task.trim() || '(no task given: ask the user what to do)'}`);
  parts.push(
    '## Where you work\n\n' +
      bullet([
        `Worktree: ${code(agent.worktree)}`,
        `Branch: ${code(agent.branch)} (from ${code(agent.base)}); commit your work here`,
        ...(input.environment ?? []),
      ]),
  );
  if (agent.scope.length > 0) {
    parts.push(`## Files you may change\n\nChange only files matching:\n\n${bullet(agent.scope.map(code))}`);
  }
  if (agent.avoid.length > 0) {
    parts.push(`## Files you must not touch\n\n${bullet(agent.avoid.map(code))}`);
  }
  if (agent.done.length > 0) {
    parts.push(`## Done means\n\n${bullet(agent.done)}`);
  }
  parts.push(
    `## Tests\n\n${
      input.testCommand
        ? `Run ${code(input.testCommand)} from the worktree root before you say you are done.`
        : 'No test command is configured (`merge.test` in treemux.yaml); find and run the project\'s tests.'
    }`,
  );
  if (input.others.length > 0) {
    parts.push(
      '## Other agents working in parallel\n\nStay out of their way: do not edit what they own.\n\n' +
        bullet(
          input.others.map(
            (o) => `${code(o.name)} on ${code(o.branch)}${o.scope.length ? `: ${o.scope.map(code).join(', ')}` : ''}`,
          ),
        ),
    );
  }
  if (agent.role === 'operator') parts.push(operatorSection(input.treemux ?? 'treemux'));
  return `${parts.join('\n\n')}\n`;
}

/** For `role: operator`: directing worker agents with treemux itself. */
function operatorSection(tm: string): string {
  const cmd = (rest: string) => '`' + `${tm} ${rest}` + '`';
  return (
    '## Directing other agents (you are the operator)\n\n' +
    'You split the work and direct worker agents, each in its own worktree and branch, with treemux. ' +
    'Call treemux exactly as written here (by absolute path: it may not be on your PATH):\n\n' +
    bullet([
      `${cmd('add NAME --task "TASK"')}: start a worker (it waits in the queue when \`max_parallel\` is reached)`,
      `${cmd('send NAME "TEXT"')}: tell a worker more (a finished headless worker continues its conversation)`,
      `${cmd('wait NAME... --timeout SECONDS')}: block until they finish; exit 0 all went well, 1 one failed or needs a person (named on stderr), 124 timed out`,
      `${cmd('report --json')}: per worker: outcome, cost, commits, files changed, scope violations, predicted conflicts, last line`,
      `${cmd('diff NAME')} and ${cmd('conflicts')}: what a worker changed; which workers collide`,
      `${cmd('merge NAME...')}: merge finished work into base in order, testing after each; agents with \`start_after\` start once what they wait for is merged`,
      `${cmd('ls --json')}: every agent's status and last line`,
    ]) +
    '\n\nHow to work: give each worker one precise task with its files (so no two workers touch the same ' +
    'files) and what done means; wait for them; read the report; merge what is good; send follow-ups for ' +
    'what is not. Do not edit the workers\' worktrees yourself.'
  );
}
