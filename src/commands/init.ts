// treemux init [--template NAME]: write a treemux.yaml for this repository from a template.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { templates, templatesHelp, templateText } from '../layout/templates.js';
import type { GlobalOptions } from '../project/context.js';
import { consoleOutput, UserError } from '../util/output.js';
import { shellLine, treemuxLine } from '../util/invocation.js';
import type { CommandSpec } from './spec.js';

export interface InitOptions extends GlobalOptions {
  /** the spec's default: `default` */
  template: string;
  force?: boolean;
}

export const spec: CommandSpec<InitOptions> = {
  name: 'init',
  description: 'write a treemux.yaml for this repository',
  options: [
    { flags: '--template <name>', description: 'one of the templates listed below (default: default)', default: 'default' },
    { flags: '--force', description: 'overwrite an existing layout file' },
  ],
  helpAfter: () => templatesHelp(),
  run: (_args, opts) => init(opts),
};

export async function init(opts: InitOptions): Promise<number> {
  const { layoutPath, shown } = await import('../project/context.js');
  const { openRepo } = await import('../git/index.js');
  const { parseLayout } = await import('../layout/index.js');
  const cwd = process.cwd();
  const repo = await openRepo(cwd);
  const file = layoutPath(repo, cwd, opts);
  const name = opts.template;
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
