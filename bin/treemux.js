#!/usr/bin/env node
// The launcher only: everything lives in dist/ (built from src/ by `npm run build`).
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`treemux: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
