// treemux as a package: `npm pack` makes a tarball that `npm install -g` installs into a prefix with
// no devDependencies and nothing compiled, and the installed `treemux` runs (`--version`, `doctor`).
// The README's own set-up (`npm install -g .` in a clone) is a link to the clone: checked here too.
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAppRepo, makeWorld, ROOT, type World } from '../helpers/world.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };

describe('the package', () => {
  let w: World;
  // npm's own cache (filled by the install that ran these tests) serves the dependencies
  // --prefix moves npm's global config (<prefix>/etc/npmrc) to the temp prefix: the machine's CA file
  // (a registry reached through a proxy with its own certificate) is passed on as it is here
  const cafile = (() => {
    try {
      const v = execFileSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).trim();
      return v && v !== 'null' && v !== 'undefined' ? v : undefined;
    } catch {
      return undefined;
    }
  })();
  const trust = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR)$/.test(k))) as Record<string, string>;
  const npmEnv = () => ({
    ...w.env,
    ...trust,
    ...(cafile ? { npm_config_cafile: cafile } : {}),
    HOME: process.env.HOME ?? w.env.HOME!,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  });
  beforeAll(() => {
    w = makeWorld();
    makeAppRepo(w);
  });
  afterAll(() => w.cleanup());

  it('packs into a tarball that installs globally with no devDependencies and runs', async () => {
    const out = join(w.dir, 'pack');
    mkdirSync(out);
    // dist/ is built by the test command; --ignore-scripts: do not build it a second time
    const pack = await execa('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', out], { cwd: ROOT, env: npmEnv(), extendEnv: false, reject: false });
    expect(pack.exitCode, String(pack.stderr)).toBe(0);
    const [tarball] = readdirSync(out).filter((f) => f.endsWith('.tgz'));
    expect(tarball).toBe(`treemux-${pkg.version}.tgz`);

    const prefix = join(w.dir, 'prefix');
    // npm resolves the dependencies afresh from the registry (a package's lockfile is not published):
    // on a new machine that is ~100 manifests over the network, which has taken over a minute
    const install = await execa('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--loglevel', 'http', join(out, tarball!)], { env: npmEnv(), extendEnv: false, reject: false, timeout: 240_000 });
    expect(install.exitCode, `${install.timedOut ? 'timed out: ' : ''}${install.stdout}\n${String(install.stderr).split('\n').slice(-15).join('\n')}`).toBe(0);
    expect(String(install.stderr)).not.toMatch(/gyp ERR|gyp info|install-scripts/);
    const modules = join(prefix, 'lib', 'node_modules');
    const installed = join(modules, 'treemux', 'node_modules');
    // the test tools are not installed (type packages may come in as some dependency's own)
    for (const dev of Object.keys(pkg.devDependencies).filter((d) => !d.startsWith('@types/'))) {
      expect(existsSync(join(installed, dev)) || existsSync(join(modules, dev)), dev).toBe(false);
    }
    for (const dep of ['ink', 'execa', 'yaml', 'zod']) expect(existsSync(join(installed, dep)), dep).toBe(true);

    const bin = join(prefix, 'bin', 'treemux');
    const PATH = `${join(prefix, 'bin')}:/usr/bin:/bin`;
    const version = await execa(bin, ['--version'], { env: { ...w.env, PATH }, extendEnv: false, reject: false });
    expect(String(version.stdout).trim()).toBe(pkg.version);
    w.write('treemux.yaml', 'version: 1\nproject: app\nagent: { command: sh }\nagents:\n  - { name: auth, task: a }\n');
    const doctor = await execa('treemux', ['doctor'], { cwd: w.repo, env: { ...w.env, PATH }, extendEnv: false, reject: false });
    expect(doctor.exitCode, String(doctor.stdout)).toBe(0);
    expect(String(doctor.stdout)).toMatch(/^ok +tmux 3\./m);
    expect(String(doctor.stdout)).toContain('all good');
    // with the installed treemux on PATH, what it prints says `treemux`
    const hint = await execa('treemux', ['jump', 'auth'], { cwd: w.repo, env: { ...w.env, PATH }, extendEnv: false, reject: false });
    expect(String(hint.stderr).trim()).toBe('treemux: auth has no window (status stopped): run `treemux up auth`');
  }, 360_000);

  it('npm install -g . in the clone links treemux onto the PATH, with no warning', async () => {
    const prefix = join(w.dir, 'linked');
    const r = await execa('npm', ['install', '-g', '--prefix', prefix, '.'], { cwd: ROOT, env: npmEnv(), extendEnv: false, reject: false });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr)).not.toMatch(/warn/i);
    expect(realpathSync(join(prefix, 'bin', 'treemux'))).toBe(realpathSync(join(ROOT, 'bin', 'treemux.js')));
    const version = await execa(join(prefix, 'bin', 'treemux'), ['--version'], { env: w.env, extendEnv: false, reject: false });
    expect(String(version.stdout).trim()).toBe(pkg.version);
  }, 120_000);
});
