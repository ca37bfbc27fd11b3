// The suites against the other real agent clients (`npm run test:clients`): Codex, Gemini CLI and
// OpenCode, each pinned, installed on first use into node_modules/.cache, and driven offline against
// a loopback fake of its API (test/helpers/fake-*.ts). The default suite collects these files too,
// and skips them without installing anything.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/clients/**/*.test.ts'],
    env: { TREEMUX_CLIENT_TESTS: '1' },
    testTimeout: 120_000,
    // beforeAll installs a client when it is not cached yet
    hookTimeout: 300_000,
    // one real client at a time: each is a native binary or a large Node program with a busy terminal UI
    maxWorkers: 1,
    fileParallelism: false,
  },
});
