// The editors and browser the tests drive. A missing tool is an error that names the
// fix: the end-to-end tests never skip silently.

import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { setupScript } from './paths';

export interface CodeServerTools {
  /** Node 24, which code-server needs. */
  readonly node: string;
  /** code-server's entry script, run with `node`. */
  readonly codeServer: string;
  readonly version: string;
}

/** Installs code-server into .tools/ on first use (test/e2e/setup.mjs; cached afterwards). */
export async function codeServerTools(): Promise<CodeServerTools> {
  const setup = (await import(pathToFileURL(setupScript).href)) as { setup(): CodeServerTools };
  return setup.setup();
}

/** The absolute path of a program that must be installed, or an error saying how to get it. */
export function requireProgram(name: string, debianPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '' || !existsSync(path)) {
    throw new Error(`${name} is not installed: apt-get install -y ${debianPackage} (.ci/run does this)`);
  }
  return path;
}

export function requireFile(path: string, hint: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint}`);
  return path;
}
