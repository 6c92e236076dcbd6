// The layout of a swap entry, read from a tree: the architecture's `__swp_entry(type, offset)`
// and `__swp_entry_to_pte`/`__swp_entry_to_pmd` run on symbolic type and offset, and each bit of
// the word they build is told apart — a bit of the type, of the offset (perhaps inverted, as on
// x86), or a constant. The widths are what `__swp_type`/`__swp_offset` give back. Then what the
// model relies on is checked: the carry flags (`_PAGE_SWP_*`) and the bits that say present or
// PROT_NONE are 0 in every swap entry, and the type and offset come back from the word intact.

import type { Bool, BoolAlgebra } from '../sym';
import type { Level } from '../model/forms';
import { FORM_RULES } from './bitNames';
import type { DerivedHelpers } from './derived';
import type { Value } from './evaluate';
import type { BvType, Origin } from './program';
import { WIDTH, constantWord, type Word } from './word';

export interface SwapLayout {
  readonly level: Level;
  /** The macros read, with where. */
  readonly definitions: readonly { readonly name: string; readonly at: Origin }[];
  /** Word bit → the type or offset bit it holds (`~` when stored inverted). */
  readonly typeBits: readonly number[];
  readonly offsetBits: readonly number[];
  readonly invertedBits: readonly number[];
  /** What breaks the model's reading of swap entries; empty when nothing does. */
  readonly problems: readonly string[];
}

const U64: BvType = { kind: 'int', width: 64, signed: false };

/** A word of `width` fresh low bits named `name.bitK`, the rest 0. */
function input(alg: BoolAlgebra, name: string, width: number): Value {
  return { word: Array.from({ length: WIDTH }, (_, i) => (i < width ? alg.variable(`${name}.bit${i}`) : alg.FALSE)), type: U64 };
}

/** How many low bits of `sent` come back in `back` unchanged. */
function roundTripWidth(sent: Word, back: Word): number {
  let n = 0;
  while (n < WIDTH && back[n] === sent[n]) n++;
  return n;
}

/**
 * The swap layout at `level` (`pte`, or `pmd` for PMD migration entries), or why it cannot be
 * read (a macro missing or not evaluable).
 */
export function readSwapLayout(helpers: DerivedHelpers, alg: BoolAlgebra, level: Level): SwapLayout | string {
  const names = ['__swp_entry', `__swp_entry_to_${level}`, `__${level}_to_swp_entry`, '__swp_type', '__swp_offset'];
  const definitions: { name: string; at: Origin }[] = [];
  for (const name of names) {
    const found = helpers.source.lookup(name);
    if (!found) return helpers.source.why(name) ?? `${name} is not defined in the headers read`;
    definitions.push({ name, at: found.at });
  }
  const entry = (type: Value, offset: Value): Value => helpers.evaluate(alg, `__swp_entry_to_${level}`, [helpers.evaluate(alg, '__swp_entry', [type, offset])]);
  const back = (word: Word, field: '__swp_type' | '__swp_offset'): Word => helpers.evaluate(alg, field, [helpers.evaluate(alg, `__${level}_to_swp_entry`, [{ word, type: { kind: 'struct', name: `${level}_t` } }])]).word;
  const zero: Value = { word: constantWord(alg, 0n), type: U64 };
  try {
    const wideType = input(alg, 'type', WIDTH);
    const wideOffset = input(alg, 'offset', WIDTH);
    const typeWidth = roundTripWidth(wideType.word, back(entry(wideType, zero).word, '__swp_type'));
    const offsetWidth = roundTripWidth(wideOffset.word, back(entry(zero, wideOffset).word, '__swp_offset'));
    const type = input(alg, 'type', typeWidth);
    const offset = input(alg, 'offset', offsetWidth);
    const word = entry(type, offset).word;
    const typeBits: number[] = [];
    const offsetBits: number[] = [];
    const invertedBits: number[] = [];
    const problems: string[] = [];
    word.forEach((bit, i) => {
      const support = alg.support(bit);
      if (support.length === 0) return;
      if (support.length > 1) {
        problems.push(`bit ${i} of the entry mixes ${support.join(' and ')}`);
        return;
      }
      const variable = alg.variable(support[0]!);
      if (bit !== variable) invertedBits.push(i);
      (support[0]!.startsWith('type.') ? typeBits : offsetBits).push(i);
    });
    if (typeWidth === 0) problems.push('__swp_type gives back no bit of the type');
    if (offsetWidth === 0) problems.push('__swp_offset gives back no bit of the offset');
    const whole = (sent: Value, field: '__swp_type' | '__swp_offset') => roundTripWidth(sent.word, back(word, field)) >= (field === '__swp_type' ? typeWidth : offsetWidth);
    if (!whole(type, '__swp_type') || !whole(offset, '__swp_offset')) problems.push('the type and offset do not both come back from an entry that holds both');
    const clear = (what: string, bit: number) => {
      if (word[bit] !== alg.FALSE) problems.push(`${what} (bit ${bit}) is not 0 in every swap entry: ${describeBit(alg, word[bit]!)}`);
    };
    for (const [flag, bit] of helpers.source.softleafPositions) clear(`the carry flag ${flag}`, bit);
    for (const rule of FORM_RULES[helpers.source.profile.arch as keyof typeof FORM_RULES] ?? []) {
      const field = rule.when.length === 1 ? rule.when[0]! : undefined;
      const bit = field ? helpers.source.positions.get(field) : undefined;
      if (bit !== undefined && (rule.form !== 'invalid' || level !== 'pte')) clear(`the bit that makes an entry ${rule.form} (${field})`, bit);
    }
    return { level, definitions, typeBits, offsetBits, invertedBits, problems };
  } catch (error) {
    return (error as Error).message;
  }
}

function describeBit(alg: BoolAlgebra, bit: Bool): string {
  if (bit === alg.TRUE) return 'it is always 1';
  return `it holds ${alg.support(bit).join(', ')}`;
}
