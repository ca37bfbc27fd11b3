// treemux's OpenCode plugin: a small ES module in the worktree's `.opencode/plugin/treemux.js`,
// which OpenCode loads from a project's `.opencode/plugin/` folder at start (no config entry, no
// npm package). Kept out of git by the worktree's info/exclude (AgentKind.writtenFiles); written
// whole at every start, never through a link.
//
// What it does, only when OpenCode runs in a treemux window (TREEMUX_AGENT set; outside treemux it
// does nothing):
// - forwards a few bus events (session.created, session.status when it changes, session.idle with the
//   answer's last text, session.error, permission.asked, permission.replied) of the top-level
//   sessions (a subagent's session events are dropped) to `treemux hook --kind opencode`, one call at a time in the
//   order they came, never awaited by OpenCode (a subagent's questions are forwarded too);
// - before a tool that writes files runs (a subagent's too), asks the same command, and throws its refusal: OpenCode
//   then fails that tool call with the reason as its result, which the model reads
//   (`tool.execute.before` runs before OpenCode's own permission question).
// Every call is bounded (5 s) and every error swallowed: the plugin can slow a write by one treemux
// start, never break OpenCode.
import { join } from 'node:path';
import { readFileIn, writeFileIn } from '../../../host/fs.js';
import { treemuxArgv } from '../../../util/invocation.js';

export const PLUGIN_FILE = '.opencode/plugin/treemux.js';
/** The mark treemux knows its own plugin by (an older one is replaced; a file without it is the user's). */
export const PLUGIN_MARK = 'treemux-opencode-plugin';

/** The plugin's source, calling `ARGV hook --kind opencode`. Pure. */
export function pluginSource(argv: readonly string[]): string {
  return `// ${PLUGIN_MARK}: written by treemux for this worktree only (kept out of git by .git/info/exclude,
// rewritten when the agent starts). It tells treemux when OpenCode's turn ends and when it asks for
// permission, and asks treemux's scope guard before a file is written. Outside treemux it does nothing.
import { spawn } from "node:child_process";

const HOOK = ${JSON.stringify(argv)};
const FORWARD = new Set(["session.created", "session.status", "session.idle", "session.error", "permission.asked", "permission.replied"]);
const WRITES = new Set(["write", "edit", "multiedit", "patch", "apply_patch"]);
const TIMEOUT_MS = 5000;

function call(payload, wantOutput) {
  return new Promise((resolve) => {
    let out = "";
    let child;
    let timer;
    const done = () => {
      clearTimeout(timer);
      resolve(out);
    };
    timer = setTimeout(() => {
      try {
        child?.kill("SIGKILL");
      } catch {}
      done();
    }, TIMEOUT_MS);
    try {
      child = spawn(HOOK[0], [...HOOK.slice(1), "hook", "--kind", "opencode"], { stdio: ["pipe", wantOutput ? "pipe" : "ignore", "ignore"], windowsHide: true });
      child.on("error", done);
      child.on("close", done);
      if (wantOutput) child.stdout.on("data", (d) => {
        if (out.length < 65536) out += d;
      });
      child.stdin.on("error", () => {});
      child.stdin.end(JSON.stringify(payload));
    } catch {
      done();
    }
  });
}

const str = (v, max) => (typeof v === "string" ? v.slice(0, max) : undefined);

export const TreemuxPlugin = async (ctx) => {
  if (!process.env.TREEMUX_AGENT) return {};
  const directory = typeof ctx?.directory === "string" ? ctx.directory : undefined;
  let queue = Promise.resolve("");
  const send = (payload, wantOutput) => {
    const sent = queue.then(() => call(payload, wantOutput));
    queue = sent.catch(() => "");
    return sent;
  };
  const children = new Set();
  const roles = new Map();
  const texts = new Map();
  const statuses = new Map();
  return {
    event: async (input) => {
      try {
        const event = input?.event;
        const type = event?.type;
        const p = event?.properties ?? {};
        const info = p.info ?? {};
        if ((type === "session.created" || type === "session.updated") && info.parentID) children.add(info.id);
        const sid = p.sessionID ?? info.sessionID ?? p.part?.sessionID;
        // a subagent's turns are not the agent's; its questions are (they wait for the user all the same)
        if (children.has(sid) && !String(type).startsWith("permission.")) return;
        if (type === "message.updated" && info.id) {
          if (roles.size > 5000) roles.clear();
          roles.set(info.id, info.role);
        }
        if (type === "message.part.updated" && p.part?.type === "text" && roles.get(p.part.messageID) === "assistant" && typeof p.part.text === "string" && p.part.text.trim()) {
          texts.set(sid, p.part.text.slice(-4000));
        }
        if (!FORWARD.has(type)) return;
        if (type === "session.status") {
          const t = p.status?.type;
          if (statuses.get(sid) === t) return;
          statuses.set(sid, t);
        }
        const properties = { sessionID: sid };
        if (type === "session.status") properties.status = { type: str(p.status?.type, 20) };
        if (type === "permission.asked") {
          properties.permission = str(p.permission, 80);
          properties.patterns = Array.isArray(p.patterns) ? p.patterns.slice(0, 10).map((x) => str(x, 300)) : [];
        }
        if (type === "permission.replied") properties.reply = str(p.reply, 20);
        if (type === "session.error") properties.error = { name: str(p.error?.name, 80), data: { message: str(p.error?.data?.message ?? p.error?.message, 500) } };
        const payload = { type, properties };
        if (type === "session.idle") payload.lastText = texts.get(sid) ?? "";
        void send(payload, false);
      } catch {}
    },
    "tool.execute.before": async (input, output) => {
      if (!WRITES.has(input?.tool)) return;
      let verdict = {};
      try {
        const a = output?.args ?? {};
        const args = { filePath: str(a.filePath, 4096), patchText: str(a.patchText, 1000000) };
        const out = await send({ type: "tool.execute.before", tool: input.tool, sessionID: input.sessionID, callID: str(input.callID, 200), directory, args }, true);
        verdict = JSON.parse(out || "{}");
      } catch {
        return;
      }
      if (verdict?.deny === true && typeof verdict.reason === "string") throw new Error(verdict.reason);
    },
  };
};
`;
}

/**
 * Write the plugin into the worktree (refusing a link on the way, a folder in its place, or a file of
 * the user's by that name).
 */
export async function installPlugin(worktree: string, argv: readonly string[] = treemuxArgv()): Promise<void> {
  const file = join(worktree, PLUGIN_FILE);
  const text = await readFileIn(worktree, file); // refuses a link: its target is not ours to replace
  if (text !== null && !text.includes(PLUGIN_MARK)) {
    throw new Error(`${PLUGIN_FILE} in ${worktree} is not treemux's; move it so treemux can add its OpenCode plugin`);
  }
  await writeFileIn(worktree, file, pluginSource(argv));
}
