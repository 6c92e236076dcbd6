// A temp folder per editor run, with the XDG folders (and HOME) pointed into it so the
// editors write their state, logs and caches there and not into the user's home.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Scratch {
  readonly dir: string;
  /** process.env with HOME and the XDG folders inside `dir`. */
  readonly env: NodeJS.ProcessEnv;
  remove(): void;
}

export function makeScratch(prefix: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), `mmlens-${prefix}-`));
  const folders = { HOME: 'home', XDG_CONFIG_HOME: 'config', XDG_DATA_HOME: 'data', XDG_STATE_HOME: 'state', XDG_CACHE_HOME: 'cache' };
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, folder] of Object.entries(folders)) {
    env[name] = join(dir, folder);
    mkdirSync(env[name]!, { recursive: true });
  }
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
