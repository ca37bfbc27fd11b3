// The built-in layout templates (`layouts/*.yaml` of this installation), for `treemux init`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAYOUTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'layouts');

export function templates(): string[] {
  return readdirSync(LAYOUTS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

export function templateText(name: string): string {
  return readFileSync(join(LAYOUTS_DIR, `${name}.yaml`), 'utf8');
}

/** One line on what each template is for (a template not named here: its first comment line). */
const ABOUT: Record<string, string> = {
  default: 'every key explained, two agents to edit (the default)',
  node: 'a Node.js app: a web port, SQLite database, .env and node_modules per agent',
  postgres: 'a project on PostgreSQL: a database per agent, cloned from the development one',
  'nextjs-postgres': 'a Next.js app on PostgreSQL (Prisma or Drizzle): port, database branch and .env per agent',
  'laravel-mysql': 'a Laravel (or Rails) app on MySQL/MariaDB: a database per agent',
  'split-and-merge': 'unattended: headless workers side by side, an integration agent after they merge',
};

/** The templates with a line each, for `treemux init --help`. */
export function templatesHelp(): string {
  const names = templates();
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((name) => {
    const about = ABOUT[name] ?? (templateText(name).split('\n')[0] ?? '').replace(/^#\s*/, '');
    return `  ${name.padEnd(width)}  ${about}`;
  });
  return `\nTemplates (--template NAME):\n${lines.join('\n')}\n`;
}
