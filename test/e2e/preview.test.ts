// The dashboard's preview of the selected agent's screen, on a real tmux server: the dashboard that
// `up` starts in the `dash` window, shown to a 200x50 client (a pseudo-terminal read through a headless
// xterm, as a person sees it). An agent prints distinctive lines and the preview beside the table shows
// them, every line inside its frame; the selection moves it to another agent; p hides and shows it; a
// narrower client puts it under the table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_AGENT, makeAppRepo, makeWorld, waitFor, type World } from '../helpers/world.js';
import { runOnPty, type Screen } from '../helpers/pty.js';

const AGENTS = ['a1', 'a2', 'a3'];
const WAIT_MS = 20_000;

describe('the preview in the dashboard', () => {
  let w: World;
  let client: Screen | undefined;

  const tmux = (args: string[]) => w.tmux(args).trim();
  const sizeOf = (target: string) => tmux(['display-message', '-p', '-t', target, '#{window_width}x#{window_height}']);
  /** the client's screen rows from the preview frame's top to its bottom (beside the table: from its column) */
  const frame = () => {
    const lines = client!.lines();
    const top = lines.findIndex((l) => l.includes('╭─'));
    if (top < 0) return { top: -1, column: -1, rows: [] as string[] };
    const column = [...lines[top]!].indexOf('╭');
    const rows: string[] = [];
    for (let i = top; i < lines.length; i++) {
      const row = [...lines[i]!].slice(column).join('');
      rows.push(row);
      if (row.startsWith('╰')) break;
    }
    return { top, column, rows };
  };
  /** the whole frame is on the screen (its bottom edge drawn: a redraw caught half way is not) */
  const complete = () => frame().rows.at(-1)?.startsWith('╰') === true;
  /** the text inside the frame, a line per row */
  const inside = () => frame().rows.slice(1, -1).map((r) => r.slice(2, -2).trimEnd());

  beforeAll(async () => {
    w = makeWorld();
    makeAppRepo(w);
    const port = 21000 + Math.floor(Math.random() * 20000);
    const agents = AGENTS.map((n) => `  - { name: ${n}, task: task-${n} }`).join('\n');
    w.write('treemux.yaml', `version: 1\nproject: app\nagent: { command: ${FAKE_AGENT} }\nports: { web: ${port} }\nsidebar: true\nagents:\n${agents}\n`);
    const r = await w.tm(['up', '--no-attach']);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    client?.kill();
    await w.tm(['down', '--force']);
    w.cleanup();
  });

  it("a 200x50 client: the preview beside the table shows the selected agent's screen", async () => {
    const env = { ...w.env };
    delete env.TMUX;
    client = runOnPty('tmux', ['-L', w.socket, 'attach', '-t', 'app:dash'], { cwd: w.repo, env, cols: 200, rows: 50 });
    await waitFor(() => sizeOf('app:dash').startsWith('200x'), 'the dashboard window at the client size', () => `${sizeOf('app:dash')}\n${client!.text()}`);
    // beside the table (right of its last column), its top beside the column titles
    await client.waitFor((t) => frame().column > 100 && /AGENT.*╭─ 1 a1/.test(client!.lines()[1]!) && t.includes('task:[task-a1]'), "a1's screen in the preview beside the table", WAIT_MS);
  });

  it('an agent prints distinctive lines: the preview shows them (the table only the last)', async () => {
    await w.tm(['send', 'a1', 'first-preview-line']);
    await w.tm(['send', 'a1', 'second-preview-line']);
    await client!.waitFor(() => inside().some((l) => l.includes('working on:[first-preview-line]')) && inside().some((l) => l.includes('working on:[second-preview-line]')), 'both lines in the preview', WAIT_MS);
    // left of the preview, the table's last line is the second only
    const shown = client!.lines().filter((l) => l.includes('first-preview-line'));
    for (const l of shown) expect(l.indexOf('first-preview-line'), client!.text()).toBeGreaterThan(frame().column);
  });

  it('a line wider than the preview is cut at its frame, never wrapped', async () => {
    tmux(['resize-window', '-t', 'app:a1', '-x', '400', '-y', '30']); // the agent's pane wider than the line, and than the preview
    await w.tm(['send', 'a1', `${'wide'.repeat(60)}-end`]);
    await client!.waitFor(() => complete() && inside().some((l) => l.includes('working on:[widewide')), 'the wide line in the preview', WAIT_MS);
    const { rows, column } = frame();
    const width = 200 - column;
    for (const row of rows) expect([...row].length, client!.text()).toBe(width);
    for (const row of rows.slice(1, -1)) expect(row.startsWith('│') && row.endsWith('│'), client!.text()).toBe(true);
    expect(client!.text()).not.toContain('-end'); // cut, not wrapped onto another row
  });

  it('the selection moves the preview to another agent; p hides and shows it', async () => {
    client!.write('j');
    await client!.waitFor((t) => t.includes('╭─ 2 a2') && inside().some((l) => l.includes('task:[task-a2]')), "a2's screen", WAIT_MS);
    expect(inside().some((l) => l.includes('first-preview-line'))).toBe(false);
    client!.write('p');
    await client!.waitFor((t) => !t.includes('╭─'), 'the preview hidden', WAIT_MS);
    client!.write('p');
    await client!.waitFor((t) => t.includes('╭─ 2 a2') && inside().some((l) => l.includes('task:[task-a2]')), 'the preview back', WAIT_MS);
  });

  it('a narrower client: the preview under the table, as wide as the terminal', async () => {
    client!.resize(120, 40);
    await client!.waitFor(() => complete() && frame().column === 0 && inside().some((l) => l.includes('task:[task-a2]')), 'the preview under the table', WAIT_MS);
    const lines = client!.lines();
    expect(frame().top, client!.text()).toBeGreaterThan(lines.findIndex((l) => l.includes('AGENT')) + AGENTS.length);
    for (const row of frame().rows) expect([...row].length, client!.text()).toBe(120);
  });
});
