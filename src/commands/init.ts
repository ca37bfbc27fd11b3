// treemux init [--template NAME]: write a treemux.yaml for this repository from a template.
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layoutPath, shown, type GlobalOptions } from '../agents/context.js';
import { openRepo } from '../git/index.js';
import { parseLayout } from '../layout/index.js';
import { consoleOutput, UserError } from '../util/output.js';
import { treemuxLine } from '../util/invocation.js';

export interface InitOptions extends GlobalOptions {
  template?: string;
  force?: boolean;
}

export const LAYOUTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'layouts');

export function templates(): string[] {
  return readdirSync(LAYOUTS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

export async function init(opts: InitOptions): Promise<number> {
  const cwd = process.cwd();
  const repo = await openRepo(cwd);
  const file = layoutPath(repo, cwd, opts);
  const name = opts.template ?? 'default';
  if (!templates().includes(name)) {
    throw new UserError(`unknown template "${name}" (templates: ${templates().join(', ')})`);
  }
  if (existsSync(file) && !opts.force) {
    throw new UserError(`${shown(file, cwd)} already exists (use --force to overwrite it)`);
  }
  const text = await readFile(join(LAYOUTS_DIR, `${name}.yaml`), 'utf8');
  parseLayout(text, `layouts/${name}.yaml`); // a broken template must never be written
  await writeFile(file, text);
  consoleOutput.print(`wrote ${shown(file, cwd)} from template ${name}: edit the agents, then run \`${treemuxLine(['up'])}\``);
  return 0;
}
