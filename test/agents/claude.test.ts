import { describe, expect, it } from 'vitest';
import { mergeHooks } from '../../src/agents/kinds/claude/settings.js';

const CMD = "'/usr/bin/node' '/x/bin/treemux.js' hook # treemux-hook";

describe('mergeHooks', () => {
  it('adds a command hook for each event to an empty file', () => {
    const s = JSON.parse(mergeHooks(null, CMD));
    expect(Object.keys(s.hooks).sort()).toEqual(['Notification', 'PermissionRequest', 'PostToolUse', 'PreToolUse', 'SessionStart', 'Stop', 'UserPromptSubmit']);
    expect(s.hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: CMD }] }]);
    expect(s.hooks.PreToolUse[0].matcher).toBe('');
  });
  it('keeps the user\'s settings and hooks, and is idempotent', () => {
    const user = { permissions: { allow: ['Bash(npm test)'] }, hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }] } };
    const once = mergeHooks(JSON.stringify(user), CMD);
    const twice = mergeHooks(once, CMD);
    expect(twice).toBe(once);
    const s = JSON.parse(twice);
    expect(s.permissions).toEqual(user.permissions);
    expect(s.hooks.Stop).toHaveLength(2);
    expect(s.hooks.Stop[0].hooks[0].command).toBe('say done');
  });
  it('replaces an older treemux hook (a moved install)', () => {
    const old = mergeHooks(null, "'/old/node' '/old/treemux.js' hook # treemux-hook");
    const s = JSON.parse(mergeHooks(old, CMD));
    expect(s.hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: CMD }] }]);
  });
  it('refuses to clobber a file that is not JSON', () => {
    expect(() => mergeHooks('{ nope', CMD)).toThrow();
  });
});
