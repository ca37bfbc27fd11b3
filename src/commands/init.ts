// treemux init [--template NAME]: write a treemux.yaml for this repository from a template.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { templates, templateText } from '../layout/templates.js';
import { layoutPath, shown, type GlobalOptions } from '../project/context.js';
import { openRepo } from '../git/index.js';
import { parseLayout } from '../layout/index.js';
import { consoleOutput, UserError } from '../util/output.js';
import { shellLine, treemuxLine } from '../util/invocation.js';

export interface InitOptions extends GlobalOptions {
  template?: string;
  force?: boolean;
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
  const text = templateText(name);
  parseLayout(text, `layouts/${name}.yaml`); // a broken template must never be written
  await writeFile(file, text);
  // from here, whatever subfolder the user is in; only this file, whatever else is staged
  const inRepo = !relative(repo.root, file).startsWith('..');
  const where = shown(file, cwd);
  const commit = inRepo ? ` commit it (\`${shellLine(['git', 'add', '--', where])} && ${shellLine(['git', 'commit', '-m', 'treemux layout', '--', where])}\`),` : '';
  consoleOutput.print(`wrote ${shown(file, cwd)} from template ${name}: edit the agents,${commit} then run \`${treemuxLine(['up'])}\``);
  return 0;
}
