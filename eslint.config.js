// The lint keeps the structure's boundaries (docs/design.md), not style: each outside system is
// reached through its own door, the domain never imports the UI or the commands, and what is
// specific to an agent kind stays in src/agents/kinds/. `npm test` runs it.
import tseslint from 'typescript-eslint';

const PROCESSES = ['execa', 'child_process', 'node:child_process'];

/** no-restricted-imports for FILES, with these restrictions. */
function restrict({ paths = [], patterns = [] }) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: paths.flatMap(({ names, message }) => names.map((name) => ({ name, message }))),
        patterns,
      },
    ],
  };
}

const processes = { names: PROCESSES, message: 'start processes through src/host/exec.ts (or the tmux/, git/ and ssh/ modules)' };
const lock = { names: ['proper-lockfile'], message: 'take locks through src/host/lock.ts' };
const ui = { group: ['**/ui/*', '**/ui/**'], message: 'the domain never imports the UI: put shared types in the domain (e.g. agents/status/snapshot.ts)' };
const commands = { group: ['**/commands/*'], message: 'commands call the domain, never the other way round' };

export default [
  { ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'bin/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'off' } }, // the code's own directives are for other linters' rules
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      ...restrict({ paths: [processes, lock], patterns: [ui, commands] }),
      'no-restricted-syntax': [
        'error',
        {
          selector: "BinaryExpression[operator=/^[!=]==?$/] > Literal[value='claude']",
          message: "what is specific to Claude Code goes through its kind (kindOf(kind) in src/agents/kinds/), not kind === 'claude'",
        },
      ],
    },
  },
  // the doors themselves
  { files: ['src/tmux/**', 'src/git/**', 'src/ssh/**', 'src/host/exec.ts'], rules: restrict({ paths: [lock], patterns: [ui, commands] }) },
  { files: ['src/host/lock.ts'], rules: restrict({ paths: [processes], patterns: [ui, commands] }) },
  // the UI and the commands may import the UI; the commands and the CLI may import commands
  { files: ['src/ui/**'], rules: restrict({ paths: [processes, lock], patterns: [commands] }) },
  { files: ['src/commands/**', 'src/cli.ts'], rules: restrict({ paths: [processes, lock] }) },
  { files: ['src/agents/kinds/**'], rules: { 'no-restricted-syntax': 'off' } },
];
