#!/usr/bin/env node
// The launcher only: everything lives in dist/ (built from src/ by `npm run build`).
// `treemux hook` is run by Claude Code at every event and Claude waits for it: it skips the CLI.
// React's development build costs several times the CPU in a dashboard that runs for hours.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

process.env.NODE_ENV ??= 'production';
const hook = process.argv[2] === 'hook';
const cli = new URL('../dist/cli.js', import.meta.url);
if (!hook && !existsSync(fileURLToPath(cli))) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`treemux: not built yet: run \`npm run build\` in ${root}\n`);
  process.exit(1);
}
const run = hook
  ? import('../dist/commands/hook.js').then((m) => m.hook())
  : import('../dist/cli.js').then((m) => m.main(process.argv.slice(2)));

run.then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (hook) return; // a hook never fails Claude
    process.stderr.write(`treemux: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
