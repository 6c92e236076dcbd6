// Non-present entries as the tree writes them: the model's forms (swap, migration, device,
// hwpoison, marker) and offset fields (marker bits, migration young/dirty) encoded into a swap
// entry value's word with the tree's own type numbers (SWP_MIGRATION_READ …, SOFTLEAF_TYPE_NUMBERS)
// and layout functions (`swp_entry`, `__swp_entry`, `__swp_entry_to_pte` …), and words decoded
// back into forms and fields. What the model does not name — a swap device's type, the offset of
// a swap entry, the pfn of a migration or device entry — is fresh unknowns (`e.swptype3`,
// `e.swpoff12`): a helper whose result reads them reads what the model cannot hold, and is refused.

import type { Bool, BoolAlgebra } from '../sym';
import type { Form, Level } from '../model/forms';
import type { Layout } from '../model/layout';
import type { EntryValue } from '../model/value';
import type { Value } from './evaluate';
import type { BvType } from './program';
import { WIDTH, constantWord, equalWords, lessThan, nonZero, selectWord, type Word } from './word';

/** What the tree's swap.h, swapops.h and leafops.h say of the non-present forms, read for one profile. */
export interface SoftleafNumbers {
  /** `MAX_SWAPFILES_SHIFT`: the width of the type. */
  readonly typeBits: number;
  /** `MAX_SWAPFILES`: types below it are swap devices. */
  readonly swapfiles: bigint;
  /** The type numbers of each other form the tree defines on the profile. */
  readonly types: ReadonlyMap<Form, readonly bigint[]>;
  /** Fields kept in the offset (marker bits, migration young/dirty): their bit. */
  readonly offsetBits: ReadonlyMap<string, number>;
  /** Offset fields the tree gives no bit, with why (not defined, or not a constant): a helper's result keeps its input's. */
  readonly unread: ReadonlyMap<string, string>;
}

/** A fresh unknown of the codec's own (a swap type or offset bit): what no field of the model names. */
export const CODEC_UNKNOWN = /\.swp(type|off)(\d+)$/;

const U64: BvType = { kind: 'int', width: 64, signed: false };
const SWAP_VALUE: BvType = { kind: 'struct', name: 'swp_entry_t' };

export class SoftleafCodec {
  private readonly valueWords = new WeakMap<EntryValue, Word>();
  private readonly entryWords = new WeakMap<EntryValue, Word>();
  private fresh = 0;
  private width: number | undefined;

  constructor(
    readonly numbers: SoftleafNumbers,
    private readonly layout: Layout,
    /** The carry flags' positions in an entry word (SOFTLEAF_MASKS). */
    private readonly carryFlags: ReadonlyMap<string, number>,
    private readonly run: (alg: BoolAlgebra, name: string, args: readonly Value[]) => Value,
    /** Whether unknowns are fresh or 0 (the engine's words: no new unknowns in its solver). */
    private readonly zero: boolean,
  ) {}

  /** The non-present forms the codec writes: swap, and those whose type numbers the tree defines, among `forms`. */
  encodes(forms: readonly Form[]): Form[] {
    return forms.filter((f) => f === 'swap' || this.numbers.types.has(f));
  }

  /** A non-present value as a swap entry value's word (`swp_entry(type, offset)`). */
  valueWord(alg: BoolAlgebra, value: EntryValue): Word {
    let word = this.valueWords.get(value);
    if (!word) {
      const { type, offset } = this.typeAndOffset(alg, value);
      word = this.run(alg, 'swp_entry', [{ word: type, type: U64 }, { word: offset, type: U64 }]).word;
      this.valueWords.set(value, word);
    }
    return word;
  }

  /** A non-present value as an entry's word: the architecture's layout of its type and offset, its carry flags at their positions. */
  entryWord(alg: BoolAlgebra, value: EntryValue, level: Level): Word {
    let word = this.entryWords.get(value);
    if (!word) {
      const { type, offset } = this.typeAndOffset(alg, value);
      const arch = this.run(alg, '__swp_entry', [{ word: type, type: U64 }, { word: offset, type: U64 }]);
      const bits = [...this.run(alg, `__swp_entry_to_${level}`, [arch]).word];
      for (const [name, bit] of this.carryFlags) bits[bit] = this.field(alg, value, name);
      word = bits;
      this.entryWords.set(value, word);
    }
    return word;
  }

  /** A swap entry value's word as the model's value: its form from the type, its offset fields. */
  fromValueWord(alg: BoolAlgebra, word: Word, level: Level, forms: readonly Form[], like: EntryValue | undefined): EntryValue {
    const value = this.decode(alg, word, level, forms, 'swp', alg.TRUE, undefined, like);
    this.valueWords.set(value, word);
    return value;
  }

  /**
   * An entry's word as the model's value: its carry flags cleared, the architecture's type and
   * offset read back (`__pte_to_swp_entry`, `__swp_type`, `__swp_offset`); none where the tree's
   * `pte_none` says so (else where no bit is set).
   */
  fromEntryWord(alg: BoolAlgebra, word: Word, level: Level, forms: readonly Form[], isNone: (cleared: Word) => Bool | undefined, like: EntryValue | undefined): EntryValue {
    const flags = new Set(this.carryFlags.values());
    const cleared = word.map((bit, i) => (flags.has(i) ? alg.FALSE : bit));
    const arch = this.run(alg, `__${level}_to_swp_entry`, [{ word: cleared, type: { kind: 'struct', name: `${level}_t` } }]);
    const value = this.run(alg, 'swp_entry', [this.run(alg, '__swp_type', [arch]), this.run(alg, '__swp_offset', [arch])]).word;
    const none = isNone(cleared) ?? alg.not(nonZero(alg, cleared));
    const decoded = this.decode(alg, value, level, forms, 'entry', alg.not(none), word, like);
    this.entryWords.set(decoded, word);
    return decoded;
  }

  /** `like`: the helper's input, whose offset fields the tree's masks do not place (unread) carry over as they are. */
  private decode(alg: BoolAlgebra, word: Word, level: Level, forms: readonly Form[], kind: 'swp' | 'entry', nonPresent: Bool, entry: Word | undefined, like: EntryValue | undefined): EntryValue {
    const swap: Value = { word, type: SWAP_VALUE };
    const type = this.run(alg, 'swp_type', [swap]).word;
    const offset = this.run(alg, 'swp_offset', [swap]).word;
    const bits = new Int32Array(this.layout.fields.length).fill(alg.FALSE);
    let known: Bool = alg.FALSE;
    for (const form of this.encodes(forms)) {
      const is = form === 'swap' ? lessThan(alg, type, constantWord(alg, this.numbers.swapfiles)) : alg.orAll(this.numbers.types.get(form)!.map((n) => equalWords(alg, type, constantWord(alg, n))));
      const guard = alg.and(nonPresent, alg.and(alg.not(known), is));
      bits[this.layout.formIndex(form)] = guard;
      known = alg.or(known, guard);
    }
    bits[this.layout.formIndex('none')] = alg.not(known);
    for (const [field, bit] of this.numbers.offsetBits) {
      const index = this.layout.indexOf(field);
      if (index !== undefined) bits[index] = alg.and(known, offset[bit]!);
    }
    for (const field of this.numbers.unread.keys()) {
      const index = this.layout.indexOf(field);
      if (index !== undefined && like) bits[index] = like.bits[index]!;
    }
    // an entry's carry flags are read from its word; a swap entry value has no place for them and passes the input's on
    for (const [name, bit] of this.carryFlags) {
      const index = this.layout.indexOf(name);
      if (index !== undefined) bits[index] = entry ? alg.and(known, entry[bit]!) : like ? like.bits[index]! : alg.FALSE;
    }
    return { kind, level, bits };
  }

  private field(alg: BoolAlgebra, value: EntryValue, name: string): Bool {
    const index = this.layout.indexOf(name);
    return index === undefined ? alg.FALSE : value.bits[index]!;
  }

  /**
   * The type and offset of a value, by its form: a swap device's type (any below MAX_SWAPFILES)
   * is unknowns, another form's type its number (either, where it has two). The offset holds the
   * model's offset fields at their bits in every form — the model lets any value carry them, and
   * a helper called out of its contract (the migration young bit read of a swap entry) then
   * reads the field as the table does — and unknowns elsewhere (the pfn, a swap offset, which is
   * never 0: offset 0 is the swap header); a marker's offset is its bits alone.
   */
  private typeAndOffset(alg: BoolAlgebra, value: EntryValue): { type: Word; offset: Word } {
    const owner = this.owner(alg, value);
    const unknown = (what: string, width: number): Bool[] => Array.from({ length: WIDTH }, (_, i) => (this.zero || i >= width ? alg.FALSE : alg.variable(`${owner}.${what}${i}`)));
    const anyType = unknown('swptype', this.numbers.typeBits);
    const swapType = selectWord(alg, lessThan(alg, anyType, constantWord(alg, this.numbers.swapfiles)), anyType, constantWord(alg, 0n));
    const offsetOf = (marker: boolean): Bool[] => {
      const o: Bool[] = marker ? [...constantWord(alg, 0n)] : unknown('swpoff', this.offsetWidth(alg) - 1);
      for (const [field, bit] of this.numbers.offsetBits) o[bit] = this.field(alg, value, field);
      return o;
    };
    const pfn = offsetOf(false);
    const fieldBits = new Set(this.numbers.offsetBits.values());
    const spare = pfn.findIndex((_, i) => !fieldBits.has(i));
    const swapOffset = pfn.map((bit, i) => (i === spare ? alg.or(bit, alg.not(alg.orAll(pfn.filter((_, j) => j !== spare)))) : bit));
    let type: Word = constantWord(alg, 0n);
    let offset: Word = constantWord(alg, 0n);
    const add = (guard: Bool, t: Word, o: Word) => {
      type = type.map((bit, i) => alg.or(bit, alg.and(guard, t[i]!)));
      offset = offset.map((bit, i) => alg.or(bit, alg.and(guard, o[i]!)));
    };
    const form = (f: Form) => value.bits[this.layout.formIndex(f)]!;
    add(form('swap'), swapType, swapOffset);
    for (const [f, numbers] of this.numbers.types) {
      const t = numbers.length === 1 ? constantWord(alg, numbers[0]!) : selectWord(alg, this.zero ? alg.TRUE : alg.variable(`${owner}.swptype${this.numbers.typeBits}`), constantWord(alg, numbers[0]!), constantWord(alg, numbers[1]!));
      add(form(f), t, f === 'marker' ? offsetOf(true) : pfn);
    }
    return { type, offset };
  }

  /**
   * How many offset bits the architecture's entry keeps (`__swp_offset(__swp_entry(0, ~0))`):
   * offsets are unknowns below its top bit, so that no offset is one the entry cannot hold, and
   * none is all ones (which x86, storing the offset inverted, writes as the none entry).
   */
  private offsetWidth(alg: BoolAlgebra): number {
    if (this.width === undefined) {
      const all: Value = { word: constantWord(alg, -1n), type: U64 };
      const kept = this.run(alg, '__swp_offset', [this.run(alg, '__swp_entry', [{ word: constantWord(alg, 0n), type: U64 }, all])]).word;
      this.width = kept.filter((bit) => bit === alg.TRUE).length;
    }
    return this.width;
  }

  /** The name of a value's unknowns (`pte` for `pte.W`), else one of the codec's own. */
  private owner(alg: BoolAlgebra, value: EntryValue): string {
    for (const bit of value.bits) {
      const named = alg.support(bit)[0];
      if (named && /^[^.]+\./.test(named)) return named.slice(0, named.indexOf('.'));
    }
    return `softleaf${++this.fresh}`;
  }
}
