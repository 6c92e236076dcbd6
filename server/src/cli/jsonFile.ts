// JSON files of the cache directory, written whole and renamed into place so that a reader (another
// worker, a later run) never sees half of one.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The file's JSON, or undefined when it cannot be read or parsed. */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Writes `value` to `path` through a temporary file; throws when the directory cannot be written. */
export function writeJsonFile(path: string, value: unknown): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  const text = JSON.stringify(value);
  // most directories exist already (a cold run writes thousands of files into a few hundred): made only when missing
  try {
    writeFileSync(temporary, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, text);
  }
  renameSync(temporary, path);
}
