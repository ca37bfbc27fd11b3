// Every command file is loaded on every run (`treemux --help` lists them all): a command file must
// load the domain only when it runs (see src/commands/spec.ts). These checks keep it so.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../src/commands/spec.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'commands');
/** not loaded by cli.ts at start: hook.ts is imported when `hook` runs, watched.ts when a UI does */
const LOADED_LATER = ['hook.ts', 'watched.ts'];
/** what a command file may load at its top: quick to load, and loaded anyway */
const LIGHT = ['commander', '../util/output.js', '../util/invocation.js', '../util/shell.js', '../layout/templates.js'];

const files = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !LOADED_LATER.includes(f));

/** The modules a file imports for their values at its top (not `import type`, not `await import()`). */
function valueImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)) if (!m[1]) found.push(m[2]!);
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) found.push(m[1]!);
  return found;
}

function light(module: string): boolean {
  if (module.startsWith('node:') || builtinModules.includes(module) || LIGHT.includes(module)) return true;
  return /^\.\/[a-z-]+\.js$/.test(module) && !LOADED_LATER.includes(basename(module).replace(/\.js$/, '.ts'));
}

describe('command files', () => {
  it.each(files)('%s loads only light modules at its top', (file) => {
    const heavy = valueImports(readFileSync(join(DIR, file), 'utf8')).filter((m) => !light(m));
    expect(heavy).toEqual([]);
  });

  it.each(files.filter((f) => !['spec.ts', 'exit.ts'].includes(f)))('%s exports the spec of the command it is named after', async (file) => {
    const mod = (await import(join(DIR, file))) as { spec?: CommandSpec };
    expect(mod.spec?.name).toBe(file.replace(/\.ts$/, ''));
  });
});

describe('valueImports', () => {
  it('skips type-only imports and finds the others, on one line or several', () => {
    const text = [
      "import type { Ctx } from '../project/context.js';",
      "import { a,\n  b } from '../agents/inventory.js';",
      "import { x, type Y } from '../git/index.js';",
      "export { z } from './up.js';",
      "  const { q } = await import('../db/index.js');",
    ].join('\n');
    expect(valueImports(text)).toEqual(['../agents/inventory.js', '../git/index.js', './up.js']);
  });
});
