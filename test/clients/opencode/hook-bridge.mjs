#!/usr/bin/env node
// Stands in for `treemux hook --kind opencode` until the CLI routes it (see docs/agents-opencode.md):
// reads the plugin's JSON on stdin, hands it to the built OpenCode kind's handler with the TREEMUX_*
// environment, prints what the handler returns (a scope-guard refusal), always exits 0. Needs
// `npm run build` (it runs dist/, as bin/treemux.js does). With $TREEMUX_BRIDGE_RECORD set, it also
// appends each input, one line each, to that file (what treemux's plugin sends).
import { appendFileSync } from 'node:fs';
import { handleOpenCodeHook } from '../../../dist/agents/kinds/opencode/hook.js';
import { readAgentEnv } from '../../../dist/project/env.js';

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', async () => {
  try {
    if (process.env.TREEMUX_BRIDGE_RECORD) appendFileSync(process.env.TREEMUX_BRIDGE_RECORD, `${input.replace(/\n/g, ' ')}\n`);
    const out = await handleOpenCodeHook(input, readAgentEnv());
    if (out) process.stdout.write(out);
  } catch {
    // never fail the client
  }
});
