// Where things are, from a compiled test file (out/test/...) or a source one.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root: the nearest directory above this file whose package.json is mmlens's. */
export function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'mmlens') return dir;
  }
  return process.cwd();
}

/** A file under test/fixtures/inputs/. */
export function inputFixture(...parts: string[]): string {
  return join(repoRoot(), 'test', 'fixtures', 'inputs', ...parts);
}

export function readInputFixture(...parts: string[]): string {
  return readFileSync(inputFixture(...parts), 'utf8');
}

/** The shared seed threads, beside the repository (../shared/seeds). */
export function seedsDirectory(): string {
  return join(repoRoot(), '..', 'shared', 'seeds');
}
