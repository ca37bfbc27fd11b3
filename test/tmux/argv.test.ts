// Unit tests (no tmux): how arguments are prepared for tmux's own command-line parsing.
import { describe, expect, it } from 'vitest';
import { cwdArg, THEN, toArgv } from '../../src/tmux/index.js';

describe('toArgv', () => {
  it('leaves arguments that do not end in ";" unchanged', () => {
    for (const plain of ['', 'plain', 'a;b', ';x', 'with space', '#{session_name}', '$(touch x)', 'back\\slash', 'x\\', 'line\nbreak']) {
      expect(toArgv(plain)).toBe(plain);
    }
  });

  it('escapes a trailing ";" so tmux does not end the command there', () => {
    expect(toArgv('x;')).toBe('x\\;');
    expect(toArgv(';')).toBe('\\;');
    expect(toArgv('task;')).toBe('task\\;');
    expect(toArgv('a;;')).toBe('a;\\;');
  });

  it('keeps an already escaped "\\;" verbatim (tmux strips one backslash)', () => {
    expect(toArgv('x\\;')).toBe('x\\\\;');
    expect(toArgv('\\;')).toBe('\\\\;');
  });

  it('sends THEN as a lone ";", the command separator', () => {
    expect(toArgv(THEN)).toBe(';');
  });
});

describe('cwdArg', () => {
  it('doubles "#" so tmux format expansion gives the path back', () => {
    expect(cwdArg('/tmp/a#b')).toBe('/tmp/a##b');
    expect(cwdArg('/x/#{session_name}/#(touch y)')).toBe('/x/##{session_name}/##(touch y)');
    expect(cwdArg('##')).toBe('####');
  });

  it('leaves paths without "#" unchanged', () => {
    expect(cwdArg('/home/me/my repo')).toBe('/home/me/my repo');
    expect(cwdArg('/a;b/$(x)')).toBe('/a;b/$(x)');
  });
});
