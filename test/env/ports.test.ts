import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PortError, PortRegistry, isPortFree, registryDir } from '../../src/env/ports.js';

const here = path.dirname(fileURLToPath(import.meta.url));

let tmp: string;
let servers: net.Server[] = [];

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'treemux-ports-'));
});

afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
  await rm(tmp, { recursive: true, force: true });
});

/** A real listener holding the port on `host` (null: every address, as `server.listen(port)` does). */
function hold(port: number, host: string | null = '127.0.0.1'): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    const ready = (): void => {
      servers.push(server);
      resolve(server);
    };
    if (host === null) server.listen(port, ready);
    else server.listen(port, host, ready);
  });
}

async function ipv6Works(): Promise<boolean> {
  try {
    const s = await hold(0, '::1');
    await new Promise((resolve) => s.close(resolve));
    servers = servers.filter((x) => x !== s);
    return true;
  } catch {
    return false;
  }
}

/** A start port with `n` free ports from it, below the ephemeral range so nothing grabs them meanwhile. */
async function freeRun(n: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = 20_000 + Math.floor(Math.random() * 9_000);
    let ok = true;
    for (let p = start; p < start + n && ok; p++) ok = await isPortFree(p);
    if (ok) return start;
  }
  throw new Error('no run of free ports found');
}

/** A fake project (git common dir) and worktrees for its agents, all existing directories. */
async function project(name: string, agents: string[]): Promise<{ dir: string; wt: Record<string, string> }> {
  const dir = path.join(tmp, name, '.git');
  await mkdir(dir, { recursive: true });
  const wt: Record<string, string> = {};
  for (const a of agents) {
    wt[a] = path.join(tmp, `${name}-${a}`);
    await mkdir(wt[a], { recursive: true });
  }
  return { dir, wt };
}

function registry(): PortRegistry {
  return new PortRegistry(path.join(tmp, 'state', 'treemux'));
}

describe('registryDir', () => {
  it('is $XDG_STATE_HOME/treemux, else ~/.local/state/treemux', () => {
    expect(registryDir({ XDG_STATE_HOME: '/x/state', HOME: '/home/u' })).toBe('/x/state/treemux');
    expect(registryDir({ HOME: '/home/u' })).toBe('/home/u/.local/state/treemux');
    expect(registryDir({ XDG_STATE_HOME: '', HOME: '/home/u' })).toBe('/home/u/.local/state/treemux');
    expect(registryDir({ XDG_STATE_HOME: 'relative/state', HOME: '/home/u' })).toBe('/home/u/.local/state/treemux');
  });
});

describe('isPortFree', () => {
  it('tells a held port from a free one', async () => {
    const start = await freeRun(2);
    expect(await isPortFree(start)).toBe(true);
    await hold(start);
    expect(await isPortFree(start)).toBe(false);
    await hold(start + 1, null); // every address, IPv4 and IPv6
    expect(await isPortFree(start + 1)).toBe(false);
    expect(await isPortFree(0)).toBe(false);
    expect(await isPortFree(70_000)).toBe(false);
  });
});

describe('PortRegistry.allocate', () => {
  it('hands out the start port and records who holds it', async () => {
    const { dir, wt } = await project('shop', ['auth']);
    const start = await freeRun(3);
    const reg = registry();
    expect(await reg.allocate({ project: dir, projectName: 'shop', agent: 'auth', worktree: wt.auth!, ports: { web: start } })).toEqual({
      web: start,
    });
    const [entry, ...rest] = await reg.list();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ port: start, project: dir, projectName: 'shop', agent: 'auth', name: 'web', worktree: wt.auth });
    expect(Number.isNaN(Date.parse(entry!.at))).toBe(false);
    const onDisk = JSON.parse(await readFile(reg.file, 'utf8')) as { ports: unknown[] };
    expect(onDisk.ports).toHaveLength(1);
  });

  it('skips a port a real listener holds on 127.0.0.1', async () => {
    const { dir, wt } = await project('shop', ['auth']);
    const start = await freeRun(3);
    await hold(start);
    const got = await registry().allocate({ project: dir, projectName: 'shop', agent: 'auth', worktree: wt.auth!, ports: { web: start } });
    expect(got).toEqual({ web: start + 1 });
  });

  it('skips a port a real listener holds on ::1 only', async (ctx) => {
    if (!(await ipv6Works())) ctx.skip();
    const { dir, wt } = await project('shop', ['auth']);
    const start = await freeRun(3);
    await hold(start, '::1');
    const got = await registry().allocate({ project: dir, projectName: 'shop', agent: 'auth', worktree: wt.auth!, ports: { web: start } });
    expect(got).toEqual({ web: start + 1 });
  });

  it('gives two agents distinct ports, and the names of one request distinct ports', async () => {
    const { dir, wt } = await project('shop', ['auth', 'cart']);
    const start = await freeRun(6);
    const reg = registry();
    const auth = await reg.allocate({ project: dir, projectName: 'shop', agent: 'auth', worktree: wt.auth!, ports: { web: start, api: start } });
    expect(auth).toEqual({ web: start, api: start + 1 });
    const cart = await reg.allocate({ project: dir, projectName: 'shop', agent: 'cart', worktree: wt.cart!, ports: { web: start, api: start + 1 } });
    expect(cart).toEqual({ web: start + 2, api: start + 3 });
    expect(Object.keys(cart)).toEqual(['web', 'api']);
  });

  it('is stable across runs, even while the agent itself holds its port', async () => {
    const { dir, wt } = await project('shop', ['auth', 'cart']);
    const start = await freeRun(5);
    const reg = registry();
    const req = { project: dir, projectName: 'shop', agent: 'auth', worktree: wt.auth!, ports: { web: start, api: start + 2 } };
    const first = await reg.allocate(req);
    await reg.allocate({ project: dir, projectName: 'shop', agent: 'cart', worktree: wt.cart!, ports: { web: start } });
    await hold(first.web!); // its dev server
    expect(await reg.allocate(req)).toEqual(first);
    expect(await new PortRegistry(reg.dir).allocate(req)).toEqual(first);
    expect((await reg.list()).filter((e) => e.agent === 'auth')).toHaveLength(2);
  });

  it('keeps exactly the requested names, and moves a port the layout now starts above', async () => {
    const { dir, wt } = await project('shop', ['auth']);
    const start = await freeRun(12);
    const reg = registry();
    const base = { project: dir, projectName: 'shop', agent: 'auth', worktree: wt.auth! };
    await reg.allocate({ ...base, ports: { web: start, api: start } });
    expect(await reg.allocate({ ...base, ports: { web: start } })).toEqual({ web: start });
    expect((await reg.list()).map((e) => e.name)).toEqual(['web']);
    expect(await reg.allocate({ ...base, ports: { web: start + 10 } })).toEqual({ web: start + 10 });
  });

  it('hands a released port to the next agent', async () => {
    const { dir, wt } = await project('shop', ['auth', 'cart', 'search']);
    const start = await freeRun(4);
    const reg = registry();
    const ask = (agent: string) => reg.allocate({ project: dir, projectName: 'shop', agent, worktree: wt[agent]!, ports: { web: start, api: start } });
    expect(await ask('auth')).toEqual({ web: start, api: start + 1 });
    expect(await ask('cart')).toEqual({ web: start + 2, api: start + 3 });
    await reg.release(dir, 'auth');
    expect((await reg.list()).map((e) => e.agent)).toEqual(['cart', 'cart']);
    expect(await ask('search')).toEqual({ web: start, api: start + 1 });
    await reg.release(dir, 'nobody'); // nothing to release: fine
    await new PortRegistry(path.join(tmp, 'never-made')).release(dir, 'auth');
  });

  it('reclaims the ports of a removed worktree or a deleted project', async () => {
    const shop = await project('shop', ['auth', 'cart']);
    const blog = await project('blog', ['posts']);
    const start = await freeRun(4);
    const reg = registry();
    await reg.allocate({ project: shop.dir, projectName: 'shop', agent: 'auth', worktree: shop.wt.auth!, ports: { web: start } });
    await reg.allocate({ project: blog.dir, projectName: 'blog', agent: 'posts', worktree: blog.wt.posts!, ports: { web: start } });
    expect((await reg.list()).map((e) => e.port)).toEqual([start, start + 1]);

    await rm(shop.wt.auth!, { recursive: true }); // worktree removed by hand
    await rm(path.join(tmp, 'blog'), { recursive: true }); // repository deleted
    const got = await reg.allocate({ project: shop.dir, projectName: 'shop', agent: 'cart', worktree: shop.wt.cart!, ports: { web: start } });
    expect(got).toEqual({ web: start });
    expect((await reg.list()).map((e) => `${e.agent}:${e.port}`)).toEqual([`cart:${start}`]);
  });

  it('says so when no port is left up to 65535', async () => {
    const { dir, wt } = await project('shop', ['auth', 'cart']);
    const reg = registry();
    // 65534 held in the registry, 65535 by a real listener (or by whatever already has them)
    const held = await isPortFree(65535);
    if (held) await hold(65535);
    if (await isPortFree(65534)) {
      expect(await reg.allocate({ project: dir, projectName: 'shop', agent: 'auth', worktree: wt.auth!, ports: { web: 65534 } })).toEqual({ web: 65534 });
    }
    const ask = reg.allocate({ project: dir, projectName: 'shop', agent: 'cart', worktree: wt.cart!, ports: { web: 65534 } });
    await expect(ask).rejects.toThrow(PortError);
    await expect(ask).rejects.toThrow('no free port for web from 65534 to 65535');
    // a request whose own names exhaust the range
    await reg.release(dir, 'auth');
    const two = reg.allocate({ project: dir, projectName: 'shop', agent: 'cart', worktree: wt.cart!, ports: { a: 65535, b: 65535 } });
    await expect(two).rejects.toThrow(/no free port for (a|b) from 65535 to 65535/);
  });

  it('refuses a start that is not a port number', async () => {
    const { dir, wt } = await project('shop', ['auth']);
    const ask = (port: number) => registry().allocate({ project: dir, projectName: 'shop', agent: 'auth', worktree: wt.auth!, ports: { web: port } });
    await expect(ask(0)).rejects.toThrow(PortError);
    await expect(ask(65536)).rejects.toThrow(/port web: 65536 is not a port number/);
    await expect(ask(30.5)).rejects.toThrow(PortError);
  });

  it('treats a damaged ports.json as empty', async () => {
    const { dir, wt } = await project('shop', ['auth']);
    const start = await freeRun(2);
    const reg = registry();
    await mkdir(reg.dir, { recursive: true });
    for (const junk of ['{"ports": [', 'null', '[]', '{"ports": {"web": 1}}', '\u0000\u0001']) {
      await writeFile(reg.file, junk);
      expect(await reg.list()).toEqual([]);
    }
    await writeFile(reg.file, JSON.stringify({ version: 1, ports: [{ port: 'x' }, null, { port: start + 1, agent: 'half' }] }));
    expect(await reg.list()).toEqual([]);
    expect(await reg.allocate({ project: dir, projectName: 'shop', agent: 'auth', worktree: wt.auth!, ports: { web: start } })).toEqual({ web: start });
    expect(JSON.parse(await readFile(reg.file, 'utf8'))).toMatchObject({ version: 1, ports: [{ port: start, agent: 'auth' }] });
  });

  it('never hands out one port twice to concurrent allocations from two registries', async () => {
    const shop = await project('shop', ['a1', 'a2', 'a3']);
    const blog = await project('blog', ['b1', 'b2', 'b3']);
    const start = await freeRun(12);
    const one = registry();
    const two = new PortRegistry(one.dir);
    const asks = [
      ...['a1', 'a2', 'a3'].map((agent) => one.allocate({ project: shop.dir, projectName: 'shop', agent, worktree: shop.wt[agent]!, ports: { web: start } })),
      ...['b1', 'b2', 'b3'].map((agent) => two.allocate({ project: blog.dir, projectName: 'blog', agent, worktree: blog.wt[agent]!, ports: { web: start } })),
    ];
    const ports = (await Promise.all(asks)).map((r) => r.web!);
    expect(new Set(ports).size).toBe(6);
    expect(ports.every((p) => p >= start && p < start + 6)).toBe(true);
    expect((await one.list()).map((e) => e.port).sort()).toEqual([...ports].sort());
  });

  it('never hands out one port twice to two processes at once', async () => {
    // the registry module as built (npm test builds first), in two node processes allocating together
    const moduleFile = path.join(here, '../../dist/env/ports.js');
    const child = path.join(tmp, 'child.mjs');
    await writeFile(
      child,
      `const { PortRegistry } = await import(${JSON.stringify(pathToFileURL(moduleFile).href)});
const [dir, project, worktreeRoot, start] = process.argv.slice(2);
const reg = new PortRegistry(dir);
const got = await Promise.all([0, 1, 2, 3].map((i) =>
  reg.allocate({ project, projectName: 'p', agent: 'agent' + i, worktree: worktreeRoot + '-agent' + i, ports: { web: Number(start) } })));
console.log(JSON.stringify(got.map((r) => r.web)));
`,
    );
    const agents = ['agent0', 'agent1', 'agent2', 'agent3'];
    const shop = await project('shop', agents);
    const blog = await project('blog', agents);
    const start = await freeRun(16);
    const dir = registry().dir;
    const runs = await Promise.all(
      [shop, blog].map((p, i) => execa('node', [child, dir, p.dir, path.join(tmp, i === 0 ? 'shop' : 'blog'), String(start)])),
    );
    const ports = runs.flatMap((r) => JSON.parse(r.stdout) as number[]);
    expect(ports).toHaveLength(8);
    expect(new Set(ports).size).toBe(8);
    const listed = await registry().list();
    expect(listed.map((e) => e.port).sort()).toEqual([...ports].sort());
  });
});
