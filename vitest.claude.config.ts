// The optional suite against the real Claude Code client (`npm run test:claude`): the pinned client is
// installed on first use (a minute or so), then driven offline against test/helpers/fake-anthropic.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/claude/**/*.test.ts'],
    // test/claude/claude.test.ts runs only with this set (the default suite collects it and skips it)
    env: { TREEMUX_CLAUDE_TESTS: '1' },
    testTimeout: 120_000,
    // beforeAll installs the client when it is not cached yet
    hookTimeout: 300_000,
    // one real client at a time: each is a few hundred MB of native binary and a busy terminal UI
    maxWorkers: 1,
    fileParallelism: false,
  },
});
