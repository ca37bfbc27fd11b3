import { describe, expect, it } from 'vitest';
import { appendAgent } from '../../src/layout/save.js';
import { parseLayout } from '../../src/layout/index.js';

describe('appendAgent', () => {
  it('keeps comments, order and unknown-to-us formatting, and adds the agent', () => {
    const text = '# the team layout\nversion: 1\nagents:   # who works\n  - name: auth # first\n    task: Login\n';
    const out = appendAgent(text, { name: 'pay', task: 'Payments: "stripe"' });
    for (const comment of ['# the team layout', '# who works', '# first']) expect(out).toContain(comment);
    expect(out.indexOf('name: auth')).toBeLessThan(out.indexOf('name: pay'));
    expect(parseLayout(out, 't.yaml').agents.map((a) => [a.name, a.task])).toEqual([['auth', 'Login'], ['pay', 'Payments: "stripe"']]);
  });
  it('creates agents: when missing, and refuses a duplicate', () => {
    expect(parseLayout(appendAgent('version: 1\n', { name: 'a' }), 't.yaml').agents[0]!.name).toBe('a');
    expect(() => appendAgent('version: 1\nagents:\n  - name: a\n', { name: 'a' })).toThrow(/already/);
  });
});
