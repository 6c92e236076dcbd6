// Case n of a seeded run: which seed input, which mutations, under what file name. The same
// run seed, input kind and case number always give the same bytes, on any machine.

import { extname } from 'node:path';
import { mutate, type Family, type MutatedInput } from './mutations';
import { Random } from './random';
import { fuzzSeeds, type Seed, type SeedKind } from './seeds';

/** The kinds of input the in-process targets are named after. */
export type InputKind = 'c' | 'patch' | 'mail' | 'annotations';
export const INPUT_KINDS: readonly InputKind[] = ['c', 'patch', 'mail', 'annotations'];

const PLAN: Record<InputKind, { readonly seeds: readonly SeedKind[]; readonly families: readonly Family[] }> = {
  c: { seeds: ['c'], families: ['general'] },
  patch: { seeds: ['patch'], families: ['patch', 'general'] },
  mail: { seeds: ['mail'], families: ['mail', 'general', 'patch'] },
  annotations: { seeds: ['c', 'patch', 'mail'], families: ['annotation', 'general'] },
};

export interface FuzzCase extends MutatedInput {
  readonly kind: InputKind;
  readonly caseNumber: number;
  readonly seedName: string;
  /** The file name it is checked under (the extension steers classification, as in an editor). */
  readonly fileName: string;
}

/** A per-case PRNG seed mixing the run seed, the kind and the case number. */
function caseSeed(runSeed: number, kind: InputKind, n: number): number {
  let h = Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 1, 0xc2b2ae35) ^ (INPUT_KINDS.indexOf(kind) * 0x27d4eb2f);
  h ^= h >>> 16;
  return h >>> 0;
}

function fileNameFor(seed: Seed, random: Random): string {
  const ext = extname(seed.name) === '.in' ? '.c' : extname(seed.name);
  // Now and then the wrong name, as when a mail is saved as .txt or a patch as .c.
  return `case${random.chance(0.1) ? random.pick(['.txt', '.h', '', '.c', '.patch', '.eml']) : ext}`;
}

export function fuzzCase(runSeed: number, kind: InputKind, n: number, seeds: readonly Seed[] = fuzzSeeds()): FuzzCase {
  const random = new Random(caseSeed(runSeed, kind, n));
  const plan = PLAN[kind];
  const base = random.pick(seeds.filter((s) => plan.seeds.includes(s.kind)));
  const other = random.pick(seeds);
  const mutated = mutate(base.text, other.text, plan.families, random);
  return { ...mutated, kind, caseNumber: n, seedName: base.name, fileName: fileNameFor(base, random) };
}
