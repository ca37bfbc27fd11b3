import { describe, expect, it } from 'vitest';
import { renderInstructions } from '../../src/agents/lifecycle/instructions.js';
import type { ResolvedAgent } from '../../src/layout/index.js';

const agent: ResolvedAgent = {
  name: 'auth', index: 1, task: 'Build login', command: 'claude', args: [], kind: 'claude', mode: 'interactive',
  base: 'main', branch: 'feature/auth', worktree: '/w/app-auth', scope: ['src/auth/**'], avoid: ['src/payments/**'],
  done: ['tests pass'], dependsOn: [], startAfter: [], role: 'worker', scopeMode: 'deny', host: 'local',
};

describe('renderInstructions', () => {
  it('holds the task, scope, avoid, done, tests and the other agents', () => {
    const md = renderInstructions({
      project: 'app', agent, testCommand: 'npm test',
      others: [{ name: 'pay', branch: 'feature/pay', scope: ['src/payments/**'] }],
    });
    expect(md).toContain('## Your task\n\nBuild login');
    expect(md).toContain('- `src/auth/**`');
    expect(md).toContain('## Files you must not touch\n\n- `src/payments/**`');
    expect(md).toContain('## Done means\n\n- tests pass');
    expect(md).toContain('Run `npm test` from the worktree root');
    expect(md).toContain('`pay` on `feature/pay`: `src/payments/**`');
  });
  it('leaves out empty sections and says when no test command is known', () => {
    const md = renderInstructions({ project: 'app', agent: { ...agent, scope: [], avoid: [], done: [] }, testCommand: null, others: [] });
    expect(md).not.toContain('Files you may change');
    expect(md).not.toContain('must not touch');
    expect(md).not.toContain('Other agents');
    expect(md).toContain('No test command is configured');
  });
  it('an operator learns to direct workers with treemux, called by absolute path; a worker does not', () => {
    const tm = "'/usr/bin/node' '/opt/treemux/bin/treemux.js'";
    const md = renderInstructions({ project: 'app', agent: { ...agent, role: 'operator' }, testCommand: null, others: [], treemux: tm });
    expect(md).toContain('## Directing other agents (you are the operator)');
    for (const c of ['add NAME --task', 'send NAME', 'wait NAME... --timeout', 'report --json', 'merge NAME...']) expect(md).toContain(`\`${tm} ${c}`);
    const worker = renderInstructions({ project: 'app', agent, testCommand: null, others: [], treemux: tm });
    expect(worker).not.toContain('Directing other agents');
  });
});
