// The inputs mutations start from: our examples and fixtures (C, headers, patches, mails) and a
// little generated kernel-style C.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { kernelLikeSource } from '../helpers/kernelLike';

export interface Seed {
  readonly name: string;
  readonly text: string;
}

const repo = join(__dirname, '..', '..', '..');
const KINDS = /\.(c|h|patch|diff|eml|mbox|txt)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : KINDS.test(name) ? [path] : [];
  });
}

export function fuzzSeeds(): Seed[] {
  const files = [...filesUnder(join(repo, 'examples')), ...filesUnder(join(repo, 'test', 'fixtures'))];
  return [
    ...files.map((path) => ({ name: relative(repo, path), text: readFileSync(path, 'utf8') })),
    { name: 'generated.c', text: kernelLikeSource(4, 7) },
  ];
}
