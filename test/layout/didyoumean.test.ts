import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/layout/didyoumean.js';

describe('didYouMean', () => {
  const keys = ['version', 'project', 'agent', 'agents', 'max_parallel', 'depends_on', 'start_after', 'command'];

  it('suggests close keys', () => {
    expect(didYouMean('agentz', keys)).toBe('agents');
    expect(didYouMean('agnet', keys)).toBe('agent');
    expect(didYouMean('verison', keys)).toBe('version');
    expect(didYouMean('depends-on', keys)).toBe('depends_on');
    expect(didYouMean('max', keys)).toBe('max_parallel');
    expect(didYouMean('cmd', keys)).toBe('command');
  });

  it('stays quiet when nothing is close', () => {
    expect(didYouMean('colour', keys)).toBeUndefined();
    expect(didYouMean('x', keys)).toBeUndefined();
  });

  it('measures edit distance with transpositions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
