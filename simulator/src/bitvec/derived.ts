// Helpers derived from a tree's headers, in the shape the rest of the simulator uses
// (CompiledHelper): a modifier takes entry values and returns one, a predicate returns a Bool.
// The helper's body runs in the bit-vector evaluator; entry values become 64-bit words through
// the field positions read from the tree (bitNames.ts) and come back the same way. A word keeps
// the bits the model does not name (the pfn, cache bits …): an entry value a derived helper
// returned carries its whole word, so chains (mkclean(mkdirty(x))) are exact; a value from
// elsewhere gets fresh unknowns for those bits.

import type { Bool, BoolAlgebra } from '../sym';
import type { FactSource } from '../model/context';
import { LEGAL_FORMS, SOFTLEAF_FORMS, formExists, type Form, type Level } from '../model/forms';
import type { Layout } from '../model/layout';
import type { Profile } from '../model/profile';
import type { EntryValue } from '../model/value';
import type { ArgMap, CompiledHelper, InPlaceResult } from '../helpers/compile';
import type { HelperDef, HelperKind, Param, ParamKind } from '../helpers/types';
import { BitVectorEvaluator, SlotCell, UnsupportedConstruct, type BvEnvironment, type Value } from './evaluate';
import type { BvExpr, BvFunction, BvType } from './program';
import { WIDTH, constantWord, nonZero, type Word } from './word';
import { FORM_RULES, type BitPositions } from './bitNames';

/** What the host read from a tree for one profile. */
export interface DerivedSource {
  readonly profile: Profile;
  /** The definition of a name (a function or a function-like macro), read on demand. */
  lookup(name: string): BvFunction | undefined;
  /** Where a name is only declared, or why it could not be read: shown when it is missing. */
  why(name: string): string | undefined;
  readonly globals: ReadonlyMap<string, bigint>;
  readonly positions: BitPositions;
  /** The carry flags of non-present entries (`swp_sd` → bit 1 on x86 …); absent when the tree's mask is 0. */
  readonly softleafPositions: BitPositions;
  /** CPU features as the profile has them: `X86_FEATURE_SHSTK` → on/off. */
  readonly cpuFeatures: ReadonlyMap<string, boolean>;
  /** vm_flags masks by name (`VM_SHADOW_STACK` → 1 << 37 …) for `vma->vm_flags`. */
  readonly vmFlagMasks: ReadonlyMap<string, bigint>;
}

/** A helper of the derived model: the compiled form plus where it was defined. */
export interface DerivedHelper extends CompiledHelper {
  readonly definition: BvFunction;
}

const LEVELS: readonly Level[] = ['pte', 'pmd', 'pud'];

/** The level a `pte_t *` names, if it names an entry. */
function pointee(type: BvType): Level | undefined {
  return type.kind === 'pointer' ? LEVELS.find((l) => new RegExp(`\\b${l}_t\\b`).test(type.to)) : undefined;
}

export function levelOfType(type: BvType): Level | undefined {
  if (type.kind !== 'struct') return undefined;
  return LEVELS.find((l) => type.name === `${l}_t`);
}

function paramKind(type: BvType): ParamKind {
  if (type.kind === 'struct') {
    if (levelOfType(type)) return 'entry';
    if (type.name === 'pgprot_t') return 'prot';
    if (type.name === 'swp_entry_t' || type.name === 'softleaf_t') return 'swp';
  }
  if (type.kind === 'pointer' && type.to.includes('vm_area_struct')) return 'vma';
  if (type.kind === 'int' && type.width === 1) return 'bool';
  return 'opaque';
}

export class DerivedHelperError extends Error {}

/** Tests of a CPU feature (x86's `cpu_feature_enabled(X86_FEATURE_SHSTK)`, arm64's `alternative_has_cap_unlikely(ARM64_MTE)`): profile switches. */
const CPU_FEATURE_TESTS: ReadonlySet<string> = new Set(['cpu_feature_enabled', 'boot_cpu_has', 'static_cpu_has', 'this_cpu_has', 'alternative_has_cap_likely', 'alternative_has_cap_unlikely']);

/**
 * The tables' name for the number of entries a batch primitive changes (`set_ptes`,
 * `wrprotect_ptes`, `clear_full_ptes` …, SEMANTICS §2.3), which they model on the batch's first
 * entry: run from its definition, the count is any number but 0.
 */
const BATCH_COUNT = 'nr';

/**
 * Members of a VMA that helpers only pass on to other helpers (`vma->vm_mm` to
 * ptep_modify_prot_start's callee): opaque pointers, which name no slot and whose value is no
 * bit of the model (reading through one is refused).
 */
const OPAQUE_POINTER_MEMBERS: Readonly<Record<string, string>> = { vm_mm: 'struct mm_struct' };

/**
 * Modifiers and predicates of a non-present entry's carry flags (`pte_swp_mksoft_dirty`,
 * `pmd_swp_uffd_wp`, `pte_swp_exclusive` …): derived on the words of non-present entries, whose
 * flags sit at the positions the tree gives (`softleafPositions`).
 */
export function readsCarryFlags(name: string): boolean {
  return /^(pte|pmd)_swp_(mk|clear_)?(soft_dirty|uffd_wp|exclusive)$/.test(name);
}

/** The non-present forms an entry can take at a level on a profile (swap, migration, markers …). */
export function nonPresentForms(level: Level, profile: Profile): readonly Form[] {
  return SOFTLEAF_FORMS.filter((form) => LEGAL_FORMS[level].includes(form) && formExists(form, level, profile));
}

/**
 * The conversions between a swap entry value (`swp_entry_t`/`softleaf_t`) and a non-present
 * entry: they move the type and offset as they are, which the model holds as the entry's form
 * and its fields (migration, marker …), and set or drop the carry flags. Derived as such: the
 * definition runs on a word whose type and offset are unknowns, and must give the word the
 * tree's own layout macros give (`__swp_entry_to_pte(__swp_entry(swp_type(e), swp_offset(e)))`,
 * or the reverse with the flags cleared) but for the carry flags, which are read from it.
 */
const CONVERSIONS: Readonly<Record<string, 'to-entry' | 'to-swp'>> = {
  swp_entry_to_pte: 'to-entry', swp_entry_to_pmd: 'to-entry', softleaf_to_pte: 'to-entry', softleaf_to_pmd: 'to-entry',
  pte_to_swp_entry: 'to-swp', pmd_to_swp_entry: 'to-swp', softleaf_from_pte: 'to-swp', softleaf_from_pmd: 'to-swp',
};

/**
 * Other helpers of non-present entries (migration and marker predicates, constructors of swap
 * entries, softleaf values): what they read is the swap type and offset, which the model holds
 * as forms (swap, migration, marker …) and does not decode from the tree's words yet.
 */
export function readsNonPresent(name: string): boolean {
  return !readsCarryFlags(name) && !(name in CONVERSIONS) && /swp|softleaf|migration|marker/.test(name);
}

/** Whether `name` converts between a swap entry value and a non-present entry (derived keeping the form). */
export function convertsSwapEntries(name: string): boolean {
  return name in CONVERSIONS;
}

/** Why helpers of non-present entries are not derived (model diff, the engine's fallback note). */
export const NON_PRESENT_REASON = 'reads the type or offset of a non-present entry (swap, migration, device, markers): the model holds them as forms, and the tree\'s type numbers are not decoded into forms yet (the carry flags _PAGE_SWP_*/PTE_SWP_* are read, and the conversions swp_entry_to_pte/pte_to_swp_entry are derived keeping the form)';

/**
 * The forms a word can carry on an architecture and level (those FORM_RULES read): the derived
 * model reads these encodings only. x86 PTEs have no invalid form (no pte_mkinvalid).
 */
export function encodedForms(arch: string, level: Level): readonly ('present' | 'protnone' | 'invalid')[] {
  const rules = FORM_RULES[arch as keyof typeof FORM_RULES] ?? [];
  return rules.map((r) => r.form).filter((form) => !(form === 'invalid' && level === 'pte' && arch === 'x86_64'));
}

/**
 * What the bits of a word the model does not name (the pfn, cache bits …) are when an entry
 * value becomes a word: `fresh` unknowns named after the entry (`pte.bit12`), so that a helper
 * that reads them can be told; or `zero`, for a helper known not to read them (no new unknowns
 * in the caller's solver).
 */
export type UnnamedBits = 'fresh' | 'zero';

export class DerivedHelpers {
  private readonly helpers = new Map<string, DerivedHelper | string>();
  private readonly raw = new WeakMap<EntryValue, Word>();
  /** Non-present entries as words (their carry flags at their positions): a value may be read both ways. */
  private readonly rawSoftleaf = new WeakMap<EntryValue, Word>();
  private fresh = 0;
  private readonly environment: BvEnvironment;

  constructor(
    readonly source: DerivedSource,
    readonly layout: Layout,
    private readonly builtinKind: (name: string) => HelperKind | undefined,
    private readonly unnamed: UnnamedBits = 'fresh',
  ) {
    const features = source.cpuFeatures;
    this.environment = {
      functions: { get: (name: string) => source.lookup(name) },
      why: (name: string) => source.why(name),
      globals: source.globals,
      intrinsic: (name: string, args: readonly BvExpr[], alg: BoolAlgebra) => {
        if (!CPU_FEATURE_TESTS.has(name)) return undefined;
        const feature = args[0]?.kind === 'var' ? args[0].name : '?';
        const on = features.get(feature);
        if (on === undefined) throw new UnsupportedConstruct(`${name}(${feature}): a CPU feature the profile does not decide`, args[0]?.at ?? { file: '?', line: 0 });
        return alg.constant(on);
      },
      member: (pointer: Value, member: string, alg: BoolAlgebra) => {
        const facts = pointer.handle as FactSource | undefined;
        const to = OPAQUE_POINTER_MEMBERS[member];
        if (to && pointer.type.kind === 'pointer' && pointer.type.to.includes('vm_area_struct')) return { word: constantWord(alg, 0n), type: { kind: 'pointer', to } };
        if (!facts || member !== 'vm_flags') return undefined;
        const word: Bool[] = Array.from({ length: WIDTH }, () => alg.FALSE);
        for (const [flag, mask] of source.vmFlagMasks) {
          if (mask === 0n || (mask & (mask - 1n)) !== 0n) continue;
          word[mask.toString(2).length - 1] = facts.fact(flag);
        }
        return word;
      },
    };
  }

  /** The derived helper, or a sentence saying why there is none. */
  get(name: string): DerivedHelper | string {
    let hit = this.helpers.get(name);
    if (hit === undefined) {
      hit = this.build(name);
      this.helpers.set(name, hit);
    }
    return hit;
  }

  /** Runs a definition (a function or a function-like macro) on values; what the evaluator refuses is a DerivedHelperError. */
  evaluate(alg: BoolAlgebra, name: string, args: readonly Value[]): Value {
    try {
      return new BitVectorEvaluator(alg, this.environment).call(name, args);
    } catch (error) {
      if (error instanceof UnsupportedConstruct) throw new DerivedHelperError(`${name}: ${error.message}`);
      throw error;
    }
  }

  /**
   * An in-place primitive's definition run on a slot (its `pte_t *` argument names a word holding
   * `slot`): the slot's value afterwards and what the definition returned. `args` are the other
   * arguments by position (entries, a VMA's facts); integers (`addr`) are fresh unknowns, other
   * pointers (`mm`) opaque.
   */
  runInPlace(alg: BoolAlgebra, name: string, level: Level, slot: EntryValue, args: readonly ArgMap[string][], rowParams: readonly Param[]): { slot: EntryValue; returned: EntryValue | Bool | undefined } {
    const slotIndex = rowParams.findIndex((p) => p.kind === 'slot');
    const definition = this.source.lookup(name);
    if (!definition) throw new DerivedHelperError(this.source.why(name) ?? `${name} is not defined in the headers read`);
    const at = `${definition.at.file}:${definition.at.line}`;
    const slotParam = definition.params[slotIndex];
    // a macro's parameters have no types: the slot is where the table says
    if (!slotParam || (definition.form === 'function' && pointee(slotParam.type) !== level)) throw new DerivedHelperError(`${name} (${at}): argument ${slotIndex + 1} is no ${level}_t pointer`);
    const cell = new SlotCell(this.toWord(alg, slot), `${name}.${slotParam.name}`);
    const values: Value[] = definition.params.map((p, i) => {
      if (i === slotIndex) return { word: constantWord(alg, 0n), type: { kind: 'pointer', to: p.type.kind === 'pointer' ? p.type.to : `${level}_t` }, handle: cell };
      const arg = args[i];
      if (arg !== undefined && typeof arg === 'object' && 'bits' in arg) return { word: this.toWord(alg, arg), type: definition.form === 'macro' ? { kind: 'struct', name: `${level}_t` } : p.type };
      if (typeof arg === 'number') return { word: [arg, ...constantWord(alg, 0n).slice(1)], type: { kind: 'int', width: 1, signed: false } };
      if (p.type.kind === 'pointer') return { word: constantWord(alg, 0n), type: p.type, ...(p.type.to.includes('vm_area_struct') && arg !== undefined ? { handle: arg } : {}) };
      const word = Array.from({ length: WIDTH }, (_, b) => alg.variable(`${name}.${p.name}.bit${b}`));
      if (rowParams[i]?.name === BATCH_COUNT) word[0] = alg.or(word[0]!, alg.not(alg.orAll(word.slice(1, p.type.kind === 'int' ? p.type.width : WIDTH))));
      return { word, type: p.type };
    });
    const result = this.evaluate(alg, name, values);
    const returned = definition.returnType.kind === 'void' ? undefined
      : levelOfType(definition.returnType) ? this.toValue(alg, result.word, level)
      : nonZero(alg, result.word);
    return { slot: this.toValue(alg, cell.word, level), returned };
  }

  /**
   * Why a helper that is no modifier or predicate (an in-place primitive, a constructor) is not
   * derived: what its definition does that the evaluator refuses, by name and line, when the
   * tree defines it.
   */
  whyNotDerived(name: string, kind: HelperKind, alg: BoolAlgebra): string {
    if (readsNonPresent(name)) return `${name} ${NON_PRESENT_REASON}`;
    const definition = this.source.lookup(name);
    if (!definition) return this.source.why(name) ?? `${name} is not defined in the headers read`;
    const at = `${definition.at.file}:${definition.at.line}`;
    const what = kind === 'inplace' ? 'an in-place primitive: it changes the entry its pointer names' : `a ${kind}: it builds an entry from a page, a pfn or a swap entry`;
    try {
      const values: Value[] = definition.params.map((p) => ({ word: constantWord(alg, 0n), type: p.type }));
      new BitVectorEvaluator(alg, this.environment).call(name, values, definition.at);
    } catch (error) {
      if (error instanceof UnsupportedConstruct) return `${what}; its definition (${at}) cannot be evaluated: ${error.message}`;
      return `${what}; its definition (${at}) could not be run: ${(error as Error).message}`;
    }
    return `${what}; its definition (${at}) evaluates, but the derived model holds values, not the slots or pages they come from`;
  }

  private build(name: string): DerivedHelper | string {
    if (readsNonPresent(name)) return `${name} ${NON_PRESENT_REASON}`;
    const definition = this.source.lookup(name);
    if (!definition) return this.source.why(name) ?? `${name} is not defined in the headers read`;
    const kind: HelperKind = this.builtinKind(name) ?? (definition.returnType.kind === 'struct' ? 'modifier' : 'predicate');
    const conversion = CONVERSIONS[name];
    if (kind !== 'modifier' && kind !== 'predicate' && !conversion) return `${name} is a ${kind}; only modifiers and predicates are derived`;
    const level = levelOfType(definition.returnType) ?? definition.params.map((p) => levelOfType(p.type)).find((l) => l !== undefined) ?? (/pud/.test(name) ? 'pud' : /pmd/.test(name) ? 'pmd' : 'pte');
    const params: Param[] = definition.params.map((p, i) => ({
      name: p.name,
      kind: definition.form === 'macro' ? (i === 0 ? 'entry' : p.name.includes('prot') ? 'prot' : p.name === 'vma' ? 'vma' : 'opaque') : paramKind(p.type),
      implicit: false,
    }));
    const at = `${definition.at.file}:${definition.at.line}`;
    const def: HelperDef = { name, kind, params: params.map((p) => `${p.name}:${p.kind}`).join(' '), effect: `derived from ${at}`, section: at, summary: `${definition.form === 'macro' ? 'Macro' : 'Function'} at ${at}, evaluated bit by bit.` };
    const carries = readsCarryFlags(name);
    const run = (alg: BoolAlgebra, args: ArgMap): Word => {
      const values = params.map((p) => (conversion && (p.kind === 'swp' || p.kind === 'entry') ? this.conversionInput(alg, p, args[p.name], level) : this.argument(alg, p, args[p.name], level, carries)));
      try {
        return new BitVectorEvaluator(alg, this.environment).call(name, values, definition.at).word;
      } catch (error) {
        if (error instanceof UnsupportedConstruct) throw new DerivedHelperError(`${name} (${at}): ${error.message}`);
        throw error;
      }
    };
    const self = this;
    return {
      name, level, def, params, effectText: def.effect, keeps: [], definition,
      apply(alg: BoolAlgebra, args: ArgMap): EntryValue {
        const word = run(alg, args);
        if (conversion) return self.fromConversion(alg, conversion, word, args[params[0]?.name ?? ''], level, `${name} (${at})`);
        if (!carries) return self.toValue(alg, word, level);
        const input = args[params.find((p) => p.kind === 'entry')?.name ?? ''] as EntryValue;
        return self.fromCarryWord(alg, word, input, `${name} (${at})`);
      },
      test(alg: BoolAlgebra, args: ArgMap): Bool {
        return nonZero(alg, run(alg, args));
      },
      applyInPlace(): InPlaceResult {
        throw new DerivedHelperError(`${name}: in-place primitives are not derived`);
      },
    };
  }

  /** The argument of a conversion: a swap entry value's word (type and offset unknowns), or a non-present entry's (flags at their positions). */
  private conversionInput(alg: BoolAlgebra, param: Param, arg: ArgMap[string], level: Level): Value {
    if (arg === undefined || typeof arg !== 'object' || !('bits' in arg)) throw new DerivedHelperError(`argument ${param.name} (${param.kind}) is not an entry value`);
    if (param.kind === 'swp') return { word: this.toSwapValueWord(alg, arg), type: { kind: 'struct', name: 'swp_entry_t' } };
    return { word: this.toCarryWord(alg, arg), type: { kind: 'struct', name: `${level}_t` } };
  }

  /** A swap entry value as a word: its type and offset unknowns (a `swp_entry_t` has no carry flags). */
  private toSwapValueWord(alg: BoolAlgebra, value: EntryValue): Word {
    const known = this.raw.get(value);
    if (known) return known;
    const word = this.unnamed === 'zero' ? [...constantWord(alg, 0n)] : this.freshWord(alg, value);
    this.raw.set(value, word);
    return word;
  }

  /**
   * The result of a conversion: the input's form and fields, as the other kind (an entry, or a
   * swap entry value); an entry's carry flags read from the word. The word must be what the
   * tree's layout macros make of the same type and offset, but for the carry flags (and, for
   * a value from an entry, with them cleared): else the conversion loses or moves the type or
   * offset, which the model cannot hold, and is refused naming the bits.
   */
  fromConversion(alg: BoolAlgebra, conversion: 'to-entry' | 'to-swp', word: Word, input: ArgMap[string], level: Level, what: string): EntryValue {
    if (input === undefined || typeof input !== 'object' || !('bits' in input)) throw new DerivedHelperError(`${what}: its argument is not an entry value`);
    const entryType: BvType = { kind: 'struct', name: `${level}_t` };
    const swapType: BvType = { kind: 'struct', name: 'swp_entry_t' };
    const flags = new Set(this.source.softleafPositions.values());
    const run = (name: string, args: readonly Value[]) => this.evaluate(alg, name, args);
    let expected: Word;
    let nonPresent: Bool = alg.TRUE;
    if (conversion === 'to-entry') {
      const swap: Value = { word: this.toSwapValueWord(alg, input), type: swapType };
      expected = run(`__swp_entry_to_${level}`, [run('__swp_entry', [run('swp_type', [swap]), run('swp_offset', [swap])])]).word;
    } else {
      const cleared = this.toCarryWord(alg, input).map((bit, i) => (flags.has(i) ? alg.FALSE : bit));
      const arch = run(`__${level}_to_swp_entry`, [{ word: cleared, type: entryType }]);
      expected = run('swp_entry', [run('__swp_type', [arch]), run('__swp_offset', [arch])]).word;
      // a word of no type and offset is the none entry (the tree's pte_none, else no bit set), which no non-present form is
      const none = this.source.lookup(`${level}_none`) ? nonZero(alg, run(`${level}_none`, [{ word: cleared, type: entryType }]).word) : alg.not(nonZero(alg, cleared));
      nonPresent = alg.not(none);
    }
    const moved = word.flatMap((bit, i) => ((conversion === 'to-swp' || !flags.has(i)) && alg.and(nonPresent, alg.xor(bit, expected[i]!)) !== alg.FALSE ? [i] : []));
    if (moved.length > 0) throw new DerivedHelperError(`${what}: bit${moved.length > 1 ? 's' : ''} ${moved.join(', ')} of the result ${moved.length > 1 ? 'are' : 'is'} not what the tree's layout gives the same type and offset${conversion === 'to-swp' ? ' with the carry flags cleared' : ''}: the conversion moves the type, the offset or a flag, which the model does not decode`);
    const bits = Int32Array.from(input.bits);
    for (const [name, bit] of this.source.softleafPositions) {
      const index = this.layout.indexOf(name);
      if (index !== undefined) bits[index] = conversion === 'to-entry' ? word[bit]! : alg.FALSE;
    }
    const value: EntryValue = { ...input, kind: conversion === 'to-entry' ? 'entry' : 'swp', level, bits };
    if (conversion === 'to-entry') this.rawSoftleaf.set(value, word);
    else this.raw.set(value, word);
    return value;
  }

  private argument(alg: BoolAlgebra, param: Param, arg: ArgMap[string], level: Level, carries: boolean): Value {
    const type: BvType = param.kind === 'vma' ? { kind: 'pointer', to: 'struct vm_area_struct' } : { kind: 'struct', name: param.kind === 'prot' ? 'pgprot_t' : `${level}_t` };
    if (param.kind === 'vma') return { word: constantWord(alg, 0n), type, handle: arg };
    if (param.kind === 'bool' && typeof arg === 'number') return { word: [arg, ...constantWord(alg, 0n).slice(1)], type: { kind: 'int', width: 1, signed: false } };
    if (arg === undefined || typeof arg !== 'object' || !('bits' in arg)) throw new DerivedHelperError(`argument ${param.name} (${param.kind}) is not an entry value`);
    return { word: carries && param.kind === 'entry' ? this.toCarryWord(alg, arg) : this.toWord(alg, arg), type };
  }

  /**
   * A non-present entry as a word: its carry flags at their positions, the bits that say present
   * or PROT_NONE (FORM_RULES) clear, every other bit — the type and offset — unnamed.
   */
  toCarryWord(alg: BoolAlgebra, value: EntryValue): Word {
    const known = this.rawSoftleaf.get(value);
    if (known) return known;
    const word: Bool[] = this.unnamed === 'zero' ? [...constantWord(alg, 0n)] : this.freshWord(alg, value);
    // a bit that alone makes a form (present, PROT_NONE, x86's invalidated-PMD _PAGE_PSE) is clear
    for (const rule of FORM_RULES[this.source.profile.arch as keyof typeof FORM_RULES] ?? []) {
      const bit = rule.when.length === 1 ? this.source.positions.get(rule.when[0]!) : undefined;
      if (bit !== undefined) word[bit] = alg.FALSE;
    }
    for (const [name, bit] of this.source.softleafPositions) {
      const index = this.layout.indexOf(name);
      word[bit] = index === undefined ? alg.FALSE : value.bits[index]!;
    }
    this.rawSoftleaf.set(value, word);
    return word;
  }

  /**
   * The result of a carry-flag modifier: the input's form and fields, its carry flags read from
   * the word. Only a definition that keeps every other bit (the type and offset, so the form)
   * is read so; one that changes them is refused, naming the bits.
   */
  fromCarryWord(alg: BoolAlgebra, word: Word, input: EntryValue, what: string): EntryValue {
    const before = this.toCarryWord(alg, input);
    const flags = new Set(this.source.softleafPositions.values());
    const changed = word.flatMap((bit, i) => (!flags.has(i) && bit !== before[i] ? [i] : []));
    if (changed.length > 0) throw new DerivedHelperError(`${what}: changes bit${changed.length > 1 ? 's' : ''} ${changed.join(', ')} of a non-present entry besides its carry flags: its type or offset, which the model does not decode`);
    const bits = Int32Array.from(input.bits);
    for (const [name, bit] of this.source.softleafPositions) {
      const index = this.layout.indexOf(name);
      if (index !== undefined) bits[index] = word[bit]!;
    }
    const value: EntryValue = { ...input, bits };
    this.rawSoftleaf.set(value, word);
    return value;
  }

  /** Where a value is an entry the helper's words carry: a non-present one for a carry-flag helper, else one in a form a word encodes. */
  carries(alg: BoolAlgebra, value: EntryValue, level: Level, name: string): Bool {
    if (!readsCarryFlags(name)) return this.carriesForm(alg, value, level);
    return alg.orAll(SOFTLEAF_FORMS.map((form) => value.bits[this.layout.formIndex(form)]!));
  }

  /** An entry value as a word: named fields at their positions, every other bit a fresh unknown. */
  toWord(alg: BoolAlgebra, value: EntryValue): Word {
    const known = this.raw.get(value);
    if (known) return known;
    const word: Bool[] = this.unnamed === 'zero' ? [...constantWord(alg, 0n)] : this.freshWord(alg, value);
    const field = (name: string) => {
      const index = this.layout.indexOf(name);
      return index === undefined ? alg.FALSE : value.bits[index]!;
    };
    const present = field('present');
    // the present bit says present; the protnone bit is free on a present word, else it says
    // protnone (arm64: also an invalidated entry, which is present-invalid too)
    const protnoneBit = this.source.profile.arch === 'arm64' ? alg.or(field('protnone'), field('invalid')) : field('protnone');
    for (const [name, bit] of this.source.positions) {
      if (name === 'present') word[bit] = present;
      else if (name === 'protnone') word[bit] = alg.ite(present, word[bit]!, protnoneBit);
      else word[bit] = field(name);
    }
    this.raw.set(value, word);
    return word;
  }

  /** A word of fresh unknowns, named after the value's own unknowns (`pte.W` → `pte.bit12`). */
  private freshWord(alg: BoolAlgebra, value: EntryValue): Bool[] {
    const named = value.bits.length > this.layout.formCount ? alg.support(value.bits[this.layout.formCount]!)[0] : undefined;
    const owner = named && /^[^.]+\./.test(named) ? named.slice(0, named.indexOf('.')) : `raw${++this.fresh}`;
    return Array.from({ length: WIDTH }, (_, i) => alg.variable(`${owner}.bit${i}`));
  }

  /**
   * Where a value is in a form its word carries: written as a word and read back, it has the
   * same form (an x86 PMD invalidated without _PAGE_PSE, an arm64 PROT_NONE entry with user
   * access, a swap entry do not).
   */
  carriesForm(alg: BoolAlgebra, value: EntryValue, level: Level): Bool {
    const reread = this.toValue(alg, this.toWord(alg, value), level);
    return alg.orAll(encodedForms(this.source.profile.arch, level).map((form) => alg.and(value.bits[this.layout.formIndex(form)]!, reread.bits[this.layout.formIndex(form)]!)));
  }

  /** A word as an entry value of the profile's layout: its form by the architecture's rules (FORM_RULES), its fields at their positions. */
  toValue(alg: BoolAlgebra, word: Word, level: Level): EntryValue {
    const bits = new Int32Array(this.layout.fields.length).fill(alg.FALSE);
    const at = (name: string) => {
      const bit = this.source.positions.get(name);
      return bit === undefined ? alg.FALSE : word[bit]!;
    };
    let rest: Bool = alg.TRUE; // no earlier rule matched
    const forms = encodedForms(this.source.profile.arch, level);
    for (const rule of FORM_RULES[this.source.profile.arch as keyof typeof FORM_RULES] ?? []) {
      if (!forms.includes(rule.form)) continue;
      const match = alg.andAll(rule.when.map((w) => (w.startsWith('!') ? alg.not(at(w.slice(1))) : at(w))));
      const index = this.layout.formIndex(rule.form);
      bits[index] = alg.or(bits[index]!, alg.and(rest, match));
      rest = alg.and(rest, alg.not(match));
    }
    bits[this.layout.formIndex('none')] = rest;
    for (const name of this.layout.archBits) {
      const index = this.layout.indexOf(name)!;
      bits[index] = at(name);
    }
    const value: EntryValue = { kind: 'entry', level, bits };
    this.raw.set(value, word);
    return value;
  }
}
