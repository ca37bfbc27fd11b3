// The dashboard's conflict radar, its pure parts: when it is worth asking git again, what says a
// branch moved, and each agent's conflicts from the pairs and bases.
import { describe, expect, it } from 'vitest';
import { conflictsByAgent, headsKey, radarDue } from '../../src/agents/status/radar.js';
import type { AgentView } from '../../src/agents/inventory.js';

describe('radarDue', () => {
  it('every 2 minutes (the Observer tells sooner when a branch moved), or 3 s after the last time once git moved', () => {
    expect(radarDue(1000, 0, false)).toBe(false);
    expect(radarDue(30_000, 0, false)).toBe(false);
    expect(radarDue(120_000, 0, false)).toBe(true);
    expect(radarDue(12_000, 10_000, true)).toBe(false);
    expect(radarDue(13_000, 10_000, true)).toBe(true);
  });
});

describe('headsKey', () => {
  it('changes when any agent\'s branch or base moves', () => {
    const agents = [{ spec: { branch: 'feature/a', base: 'main' } }, { spec: { branch: 'feature/b', base: 'main' } }] as AgentView[];
    const heads = new Map([
      ['feature/a', '111'],
      ['feature/b', '222'],
      ['main', '000'],
    ]);
    const key = headsKey(agents, heads);
    expect(key).toBe('111:000,222:000');
    expect(headsKey(agents, new Map([...heads, ['main', '001']]))).not.toBe(key);
  });
});

describe('conflictsByAgent', () => {
  it('a conflicting pair is both agents\', a moved base is its agent\'s; clean ones are nobody\'s', () => {
    const map = conflictsByAgent({
      pairs: [
        { a: 'auth', b: 'api', overlap: ['x.ts'], conflict: true, conflicts: ['x.ts'] },
        { a: 'auth', b: 'ui', overlap: ['y.ts'], conflict: false, conflicts: [] },
      ],
      bases: [
        { name: 'auth', base: 'main', behind: 2, conflict: true, conflicts: ['z.ts'] },
        { name: 'ui', base: 'main', behind: 1, conflict: false, conflicts: [] },
      ],
    });
    expect(Object.fromEntries(map)).toEqual({
      auth: [
        { with: 'api', files: ['x.ts'] },
        { with: 'main', files: ['z.ts'] },
      ],
      api: [{ with: 'auth', files: ['x.ts'] }],
    });
  });
});
