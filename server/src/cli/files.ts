// Which files `mmlens check` reads: the named files, and under named directories
// every .c .h .patch .diff .mbox .eml (hidden directories and node_modules skipped).

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CHECKED_EXTENSIONS = ['.c', '.h', '.patch', '.diff', '.mbox', '.eml'];

export interface FileList {
  readonly files: string[];
  readonly errors: string[];
}

export function collectFiles(paths: readonly string[]): FileList {
  const files: string[] = [];
  const errors: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(path);
      else if (stat?.isFile() && CHECKED_EXTENSIONS.some((ext) => name.endsWith(ext))) files.push(path);
    }
  };
  for (const path of paths) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) errors.push(`${path}: no such file or directory`);
    else if (stat.isDirectory()) walk(path);
    else files.push(path);
  }
  return { files, errors };
}
