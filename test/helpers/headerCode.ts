// Kernel-style C held in a string, read the way a tree's headers are: preprocessed, then its
// definitions available by name. For tests of the header reader and the bit-vector evaluator.

import { createAlgebra, type BoolAlgebra } from '../../simulator/src';
import { BitVectorEvaluator, type BvEnvironment, type Value } from '../../simulator/src/bitvec/evaluate';
import { constantWord, type Word } from '../../simulator/src/bitvec/word';
import { HeaderDefinitions } from '../../server/src/headers/definitions';
import { preprocessHeaders } from '../../server/src/headers/preprocessor';
import { treeInMemory } from '../../server/src/headers/sourceTree';

/** The definitions of `code` (as `include/linux/toy.h`), with CONFIG_ values given. */
export function definitionsOf(code: string, config: Record<string, string> = {}): HeaderDefinitions {
  const headers = preprocessHeaders(treeInMemory('toy', { 'include/linux/toy.h': code }), ['include/linux/toy.h'], { archDir: 'toy', predefined: new Map(Object.entries(config)) });
  return new HeaderDefinitions(headers);
}

export function environmentOf(definitions: HeaderDefinitions, extra: Partial<BvEnvironment> = {}): BvEnvironment {
  return { functions: { get: (name) => definitions.lookup(name) }, why: (name) => definitions.why(name), globals: new Map(), ...extra };
}

/** A 64-bit word of fresh unknowns `<name>.b0` … `<name>.b63`. */
export function symbolicWord(alg: BoolAlgebra, name: string): Word {
  return Array.from({ length: 64 }, (_, i) => alg.variable(`${name}.b${i}`));
}

export const u64 = (word: Word): Value => ({ word, type: { kind: 'int', width: 64, signed: false } });

/** Runs `name` on concrete arguments and returns the concrete result. */
export function runConcrete(definitions: HeaderDefinitions, name: string, ...args: bigint[]): bigint {
  const alg = createAlgebra();
  const result = new BitVectorEvaluator(alg, environmentOf(definitions)).call(name, args.map((a) => u64(constantWord(alg, a))));
  let value = 0n;
  result.word.forEach((bit, i) => {
    if (bit === alg.TRUE) value |= 1n << BigInt(i);
    else if (bit !== alg.FALSE) throw new Error(`bit ${i} of ${name}(…) is not constant`);
  });
  return value;
}
