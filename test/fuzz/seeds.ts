// The inputs mutations start from: our examples and fixtures (C, headers, patches, mails) and
// generated kernel-style C, each with the kind of document it is.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { kernelLikeSource } from '../helpers/kernelLike';
import { repoRoot } from '../helpers/paths';

export type SeedKind = 'c' | 'patch' | 'mail';

export interface Seed {
  /** Where it came from, e.g. `examples/wp-late-flush.c` or `generated-3.c`. */
  readonly name: string;
  readonly kind: SeedKind;
  readonly text: string;
}

const KINDS = /\.(c|h|in|patch|diff|eml|mbox|txt)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : KINDS.test(name) ? [path] : [];
  });
}

/** By extension; a `.txt` is a mail when it has mail headers, a patch when it has hunks, C otherwise. */
export function seedKind(name: string, text: string): SeedKind {
  const ext = extname(name);
  if (ext === '.patch' || ext === '.diff') return 'patch';
  if (ext === '.eml' || ext === '.mbox') return 'mail';
  if (ext === '.txt') {
    if (/^(From|Subject|Date|To|In-Reply-To):/m.test(text)) return 'mail';
    if (/^@@ /m.test(text)) return 'patch';
  }
  return 'c';
}

let cached: Seed[] | undefined;

export function fuzzSeeds(): readonly Seed[] {
  if (cached) return cached;
  const root = repoRoot();
  const files = [...filesUnder(join(root, 'examples')), ...filesUnder(join(root, 'test', 'fixtures'))];
  const fromFiles = files.map((path) => {
    const name = relative(root, path);
    const text = readFileSync(path, 'utf8');
    return { name, kind: seedKind(name, text), text };
  });
  const generated = [1, 2, 3].map((seed) => ({ name: `generated-${seed}.c`, kind: 'c' as const, text: kernelLikeSource(2 + seed * 2, seed) }));
  cached = [...fromFiles, ...generated];
  return cached;
}
