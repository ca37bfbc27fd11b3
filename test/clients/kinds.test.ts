// One layout with an agent of each other kind, each its real client (pinned) offline against its
// fake API: Codex, Gemini CLI and OpenCode side by side, headless. `up` starts them, `wait` sees all
// three end well, `report --json` and `ls --json` say for each its kind, outcome and the answer as its
// last line. Only `npm run test:clients` runs it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexEnv, codexHome, ensureCodex } from '../helpers/codex.js';
import { startFakeGeminiApi, type FakeGeminiApi } from '../helpers/fake-gemini-api.js';
import { startFakeOpenAIChat, type FakeOpenAIChat } from '../helpers/fake-openai-chat.js';
import { startFakeResponses, type FakeResponses } from '../helpers/fake-openai-responses.js';
import { ensureGemini, geminiHome } from '../helpers/gemini.js';
import { ensureOpenCode, opencodeEnv, writeOpenCodeConfig } from '../helpers/opencode.js';
import { makeAppRepo, makeWorld, type World } from '../helpers/world.js';

const enabled = process.env.TREEMUX_CLIENT_TESTS === '1';

interface Reported {
  name: string;
  status: string;
  ok: boolean | null;
  lastLine: string;
}

describe.skipIf(!enabled)('one agent of each kind, with the real clients', () => {
  let w: World;
  let bins: { codex: string; gemini: string; opencode: string };
  let responses: FakeResponses;
  let gem: FakeGeminiApi;
  let chat: FakeOpenAIChat;

  beforeAll(async () => {
    bins = { codex: await ensureCodex(), gemini: await ensureGemini(), opencode: await ensureOpenCode() };
    [responses, gem, chat] = await Promise.all([startFakeResponses([{ text: 'Codex: all done.' }]), startFakeGeminiApi([{ text: 'Gemini: all done.' }]), startFakeOpenAIChat([{ text: 'OpenCode: all done.' }])]);
    w = makeWorld();
    makeAppRepo(w);
    // each client's offline configuration, in the world's HOME and XDG folders (the tmux server, and
    // so every agent window, gets the environment of the `up` that starts it)
    const codexDir = join(w.dir, 'codex-home');
    codexHome(codexDir, { baseUrl: responses.baseUrl, projectDirs: [join(w.dir, 'app-cx')] });
    Object.assign(w.env, codexEnv(codexDir, join(w.dir, 'codex-tmp')));
    geminiHome(w.env.HOME!);
    Object.assign(w.env, gem.env());
    writeOpenCodeConfig(w, { baseURL: chat.baseURL });
    Object.assign(w.env, opencodeEnv(w.dir));
    mkdirSync(join(w.dir, 'data'), { recursive: true });
  }, 300_000);

  afterAll(async () => {
    if (w) {
      await w.tm(['down', '--force']);
      w.cleanup();
    }
    await Promise.all([responses?.close(), gem?.close(), chat?.close()]);
  });

  it('headless: up, wait, report and ls --json right for each kind', { timeout: 240_000 }, async () => {
    const agent = (name: string, kind: string, command: string, args: string[] = []) =>
      `  - { name: ${name}, command: ${JSON.stringify(command)}, args: ${JSON.stringify(args)}, kind: ${kind}, task: "Say that you are done" }`;
    // Gemini CLI is a Node script (run by node, as its npm launcher would)
    w.write('treemux.yaml', ['version: 1', 'project: app', 'agent: { mode: headless }', 'agents:', agent('cx', 'codex', bins.codex), agent('gm', 'gemini', process.execPath, [bins.gemini]), agent('oc', 'opencode', bins.opencode), ''].join('\n'));
    const up = await w.tm(['up', '--no-attach']);
    expect(up.code, up.stderr).toBe(0);
    const waited = await w.tm(['wait', 'cx', 'gm', 'oc', '--timeout', '180']);
    const traffic = () => `codex:\n${responses.traffic()}\ngemini:\n${gem.traffic()}\nopencode:\n${chat.traffic()}\n${['cx', 'gm', 'oc'].map((n) => w.screen(`app:${n}`)).join('\n')}`;
    expect(waited.code, `${waited.stdout}\n${waited.stderr}\n${traffic()}`).toBe(0);

    const report = JSON.parse((await w.tm(['report', '--json'])).stdout) as { agents: Reported[] };
    const byName = Object.fromEntries(report.agents.map((a) => [a.name, a]));
    expect(byName.cx).toMatchObject({ ok: true, lastLine: 'Codex: all done.' });
    expect(byName.gm).toMatchObject({ ok: true, lastLine: 'Gemini: all done.' });
    expect(byName.oc).toMatchObject({ ok: true, lastLine: 'OpenCode: all done.' });

    const ls = JSON.parse((await w.tm(['ls', '--json'])).stdout) as { agents: (Reported & { kind: string; host: string })[] };
    expect(ls.agents.map((a) => [a.name, a.kind, a.host, a.status])).toEqual([
      ['cx', 'codex', 'local', 'exited'],
      ['gm', 'gemini', 'local', 'exited'],
      ['oc', 'opencode', 'local', 'exited'],
    ]);
    // the task reached each client as its prompt
    expect(JSON.stringify(responses.requests.map((r) => r.body))).toContain('Say that you are done');
    expect(JSON.stringify(gem.mainRequests().map((r) => r.body))).toContain('Say that you are done');
    expect(JSON.stringify(chat.requests.map((r) => r.body))).toContain('Say that you are done');
  });
});
