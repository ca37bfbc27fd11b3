import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { parseEnv, quoteEnvValue, renderEnvFile } from '../../src/env/dotenv.js';

const PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ\n-----END RSA PRIVATE KEY-----';

const BASE = [
  '# app settings',
  '',
  'export NODE_ENV=development',
  "GREETING='hello world'   # trailing comment",
  `PRIVATE_KEY="${PRIVATE_KEY}"`,
  '',
  '  # indented comment',
  'PORT=3000',
  'API_URL: http://localhost:3000/api',
  'EMPTY=',
  'LAST=`tick`',
  '',
].join('\n');

describe('renderEnvFile', () => {
  it('writes only the set keys, under the header, when there is no base file', () => {
    const out = renderEnvFile(null, { PORT: '3001', NAME: 'a b' });
    expect(out).toBe("# set by treemux\nPORT=3001\nNAME='a b'\n");
    expect(renderEnvFile(null, {})).toBe('');
    expect(renderEnvFile('', { A: '1' })).toBe('# set by treemux\nA=1\n');
  });

  it('keeps comments, blank lines, export prefixes, quoting and a multi-line value byte for byte', () => {
    const out = renderEnvFile(BASE, { PORT: '3001', REDIS_DB: '2' });
    expect(out).toBe(BASE.replace('PORT=3000', 'PORT=3001') + '\n# set by treemux\nREDIS_DB=2\n');
    const parsed = parseEnv(out);
    expect(parsed.PRIVATE_KEY).toBe(PRIVATE_KEY);
    expect(parsed.GREETING).toBe('hello world');
    expect(parsed.NODE_ENV).toBe('development');
    expect(parsed.API_URL).toBe('http://localhost:3000/api');
    expect(parsed.EMPTY).toBe('');
    expect(parsed.LAST).toBe('tick');
  });

  it('returns the base unchanged when nothing is set', () => {
    expect(renderEnvFile(BASE, {})).toBe(BASE);
  });

  it('replaces a key in place, keeping its export prefix and indentation', () => {
    expect(renderEnvFile('A=1\nexport NODE_ENV=development\nB=2\n', { NODE_ENV: 'test' })).toBe(
      'A=1\nexport NODE_ENV=test\nB=2\n',
    );
    expect(renderEnvFile('  PORT = 3000\n', { PORT: '3001' })).toBe('  PORT=3001\n');
    expect(renderEnvFile('API_URL: http://x\nB=2\n', { API_URL: 'http://y' })).toBe('API_URL=http://y\nB=2\n');
  });

  it('replaces the whole of a multi-line old value', () => {
    const out = renderEnvFile(BASE, { PRIVATE_KEY: 'none' });
    expect(out).toBe(BASE.replace(`PRIVATE_KEY="${PRIVATE_KEY}"`, 'PRIVATE_KEY=none'));
    expect(out).not.toContain('BEGIN RSA');
    const single = "A=1\nCERT='line1\nline2\nline3'\nB=2\n";
    expect(renderEnvFile(single, { CERT: 'x' })).toBe('A=1\nCERT=x\nB=2\n');
    const ticks = 'A=1\nT=`x\ny`  # note\nB=2\n';
    expect(renderEnvFile(ticks, { T: 'z' })).toBe('A=1\nT=z\nB=2\n');
  });

  it('does not mistake a line inside a multi-line value for an entry', () => {
    const base = 'NOTE="first\nPORT=9999\nlast"\nX=1\n';
    const out = renderEnvFile(base, { PORT: '3001' });
    expect(out).toBe(`${base}\n# set by treemux\nPORT=3001\n`);
    expect(parseEnv(out)).toEqual({ NOTE: 'first\nPORT=9999\nlast', X: '1', PORT: '3001' });
  });

  it('replaces a trailing comment with the entry', () => {
    expect(renderEnvFile('PORT=3000 # the dev port\n', { PORT: '3001' })).toBe('PORT=3001\n');
  });

  it.each([
    ['spaces', 'hello big world'],
    ['leading and trailing spaces', '  padded  '],
    ['a hash', 'abc#def'],
    ['a hash after a space', 'abc #def'],
    ['single quotes', "it's"],
    ['double quotes', 'say "hi"'],
    ['backticks', 'run `ls`'],
    ['all three quotes', 'a\'b"c`d'],
    ['dollars', '$HOME and ${USER}'],
    ['a newline', 'line1\nline2'],
    ['a newline and double quotes', 'say\n"hi"'],
    ['a newline and single quotes', "it's\nfine"],
    ['a newline, single and double quotes', 'it\'s\n"fine"'],
    ['a carriage return', 'a\r\nb'],
    ['equals signs', 'a=b=c'],
    ['the empty string', ''],
    ['a literal backslash-n', 'C:\\new\\dir'],
    ['a literal backslash-n and a newline', 'C:\\new\nsecond'],
    ['a trailing backslash', 'C:\\dir\\'],
    ['a URL with a password', 'postgresql://app:p%40ss@localhost:5432/shop_dev?sslmode=disable'],
    ['unicode', 'héllo wörld ✓'],
    ['only spaces', '   '],
    ['a colon and slash', 'http://localhost:3001'],
  ])('writes a value with %s so dotenv reads it back exactly', (_what, value) => {
    for (const base of [null, BASE, 'KEY=old value\nOTHER=1\n', "KEY='old\nmulti'\nOTHER=1"]) {
      const out = renderEnvFile(base, { KEY: value });
      const parsed = dotenv.parse(out);
      expect(parsed.KEY).toBe(value);
      if (base) for (const [k, v] of Object.entries(dotenv.parse(base))) if (k !== 'KEY') expect(parsed[k]).toBe(v);
    }
  });

  it('replaces the last of duplicate keys and removes the earlier ones', () => {
    const base = 'PORT=1\nA=a\nPORT="2\nstill 2"\nB=b\nPORT=3\n';
    const out = renderEnvFile(base, { PORT: '3001' });
    expect(out).toBe('A=a\nB=b\nPORT=3001\n');
    expect(parseEnv(out)).toEqual({ A: 'a', B: 'b', PORT: '3001' });
    // untouched duplicates stay as they are (dotenv keeps the last)
    expect(renderEnvFile('X=1\nX=2\n', { Y: 'y' })).toBe('X=1\nX=2\n\n# set by treemux\nY=y\n');
  });

  it('keeps CRLF line ends, in place and in the added block', () => {
    const base = '# windows\r\nexport A=1\r\nKEY="multi\r\nline"\r\nPORT=3000\r\n';
    const out = renderEnvFile(base, { PORT: '3001', NEW: 'x y' });
    expect(out).toBe("# windows\r\nexport A=1\r\nKEY=\"multi\r\nline\"\r\nPORT=3001\r\n\r\n# set by treemux\r\nNEW='x y'\r\n");
    expect(parseEnv(out)).toEqual({ A: '1', KEY: 'multi\nline', PORT: '3001', NEW: 'x y' });
    const replaced = renderEnvFile(base, { KEY: 'one' });
    expect(replaced).toBe('# windows\r\nexport A=1\r\nKEY=one\r\nPORT=3000\r\n');
  });

  it('adds a line break before the block when the base has none at its end', () => {
    expect(renderEnvFile('A=1', { B: '2' })).toBe('A=1\n\n# set by treemux\nB=2\n');
    expect(renderEnvFile('A=1\n\n', { B: '2' })).toBe('A=1\n\n# set by treemux\nB=2\n');
    expect(renderEnvFile('A=1', { A: '2' })).toBe('A=2');
  });

  it('survives odd quoting in the base and keeps its text', () => {
    const base = 'A="unclosed\nB=2\nC=\'also unclosed\nD=`x\n';
    const before = parseEnv(base);
    const out = renderEnvFile(base, { PORT: '3001' });
    expect(out.startsWith(base)).toBe(true);
    const after = parseEnv(out);
    for (const [k, v] of Object.entries(before)) expect(after[k]).toBe(v);
    expect(after.PORT).toBe('3001');
    // replacing the key with the odd value, and one next to it
    expect(parseEnv(renderEnvFile(base, { A: 'fixed', B: 'two words' }))).toMatchObject({ A: 'fixed', B: 'two words' });
    expect(() => renderEnvFile('=\n"""\n\'\n`\nexport\n:\n', { X: '1' })).not.toThrow();
  });

  it('picks a quoting that is safe next to an odd neighbour', () => {
    // an empty bare value would swallow the quoted line after it
    const base = 'KEY=old\n"a stray quoted line"\nB=2\n';
    const out = renderEnvFile(base, { KEY: '' });
    expect(parseEnv(out).KEY).toBe('');
    expect(out).toContain('"a stray quoted line"');
  });

  it('refuses a key dotenv cannot read and a value no quoting can hold', () => {
    expect(() => renderEnvFile(null, { 'BAD KEY': '1' })).toThrow(/BAD KEY/);
    expect(() => renderEnvFile(null, { SECRET: 'a\'b"c`d\ne' })).toThrow(/SECRET.*' " `.*line break/);
    expect(() => renderEnvFile(null, { SECRET: 'a\'b"c`d\ne' })).not.toThrow(/a'b/); // never the value itself
  });
});

describe('quoteEnvValue', () => {
  it('is bare when safe, else single, double, backticks', () => {
    expect(quoteEnvValue('abc-1.2_3/x:y@z%+,=')).toBe('abc-1.2_3/x:y@z%+,=');
    expect(quoteEnvValue('')).toBe('');
    expect(quoteEnvValue('a b')).toBe("'a b'");
    expect(quoteEnvValue(' a')).toBe("' a'");
    expect(quoteEnvValue('$HOME')).toBe("'$HOME'");
    expect(quoteEnvValue("it's")).toBe('"it\'s"');
    expect(quoteEnvValue('a\nb')).toBe('"a\\nb"');
    expect(quoteEnvValue('it\'s "x"')).toBe('`it\'s "x"`');
    expect(quoteEnvValue('say\n"hi"')).toBe('`say\n"hi"`');
    expect(quoteEnvValue('a\'b"c`d')).toBe('a\'b"c`d'); // dotenv reads it unquoted as it stands
  });

  it('throws naming the problem', () => {
    expect(() => quoteEnvValue('\'"`\n')).toThrow(/' " ` and a line break/);
    expect(() => quoteEnvValue('"\r')).toThrow(/" and a carriage return/);
    expect(() => quoteEnvValue('a\'b"c`d #e')).toThrow(/' " ` and a #/);
    expect(() => quoteEnvValue(' a\'b"c`d')).toThrow(/' " ` and leading or trailing spaces/);
  });
});

describe('parseEnv', () => {
  it('is dotenv.parse', () => {
    expect(parseEnv('A=1\nexport B="x y"\n# c\nC: 3')).toEqual({ A: '1', B: 'x y', C: '3' });
  });
});

describe('renderEnvFile on generated files and values', () => {
  // a small seeded generator: the same cases every run
  function rng(seed: number): () => number {
    return () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
  }
  const CHARS = ['a', 'Z', '1', ' ', '#', "'", '"', '`', '\\', 'n', '\n', '\r\n', '=', '$', ':', '-', 'é'];
  const LINES = [
    '# comment', '', '   ', 'export A=1', 'B = two words ', "C='single'", 'D="dou\nble"', 'E=`tick\ntock`',
    'F=', 'G: colon', 'H="unclosed', "I='unclosed", 'J=x # note', 'KEY=old', 'KEY="old\nmulti"', 'L=\\n', 'M=#notcomment',
  ];

  it('always reads back every set value and every other key of the base', () => {
    const rand = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const eol = rand() < 0.3 ? '\r\n' : '\n';
      const base = rand() < 0.1 ? null : Array.from({ length: Math.floor(rand() * 8) }, () => pick(LINES)).join(eol).replace(/\n/g, eol === '\n' ? '\n' : '\r\n').replace(/\r\r\n/g, '\r\n');
      const set: Record<string, string> = {};
      for (const key of ['KEY', 'F', 'NEW', 'H'].filter(() => rand() < 0.5)) {
        set[key] = Array.from({ length: Math.floor(rand() * 6) }, () => pick(CHARS)).join('');
      }
      let out: string;
      try {
        out = renderEnvFile(base, set);
      } catch (err) {
        // refused: a value no quoting can hold, or one that runs into an unclosed quote of the base
        const unclosed = base !== null && /^[HI]=/m.test(base);
        expect((err as Error).message).toMatch(unclosed ? /no dotenv quoting|unclosed quote/ : /no dotenv quoting/);
        continue;
      }
      const parsed = dotenv.parse(out);
      for (const [k, v] of Object.entries(set)) expect(parsed[k]).toBe(v);
      if (base) for (const [k, v] of Object.entries(dotenv.parse(base))) if (!(k in set)) expect(parsed[k]).toBe(v);
      checked++;
    }
    expect(checked).toBeGreaterThan(250);
  });
});
