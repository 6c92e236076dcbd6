// Values the helpers compute on: entries (pte_t, pmd_t, pud_t), swap entries
// (swp_entry_t / softleaf_t) and protections (pgprot_t). Every field is a
// symbolic boolean; `bits[i]` is field `layout.fields[i]`.

import type { Assignment, Bool, BoolAlgebra, VariablePlacement } from '../sym';
import { FORMS, LEGAL_FORMS, type Form, type Level } from './forms';
import type { Layout } from './layout';

export type ValueKind = 'entry' | 'swp' | 'prot';

export interface EntryValue {
  readonly kind: ValueKind;
  readonly level: Level;
  readonly bits: Int32Array;
}

/** The all-zero value: form `none` (for a prot: `protnone` is not implied; a zero prot is PROT_NONE-less). */
export function zeroValue(alg: BoolAlgebra, layout: Layout, kind: ValueKind, level: Level): EntryValue {
  const bits = new Int32Array(layout.fields.length).fill(alg.FALSE);
  bits[layout.formIndex('none')] = alg.TRUE;
  return { kind, level, bits };
}

/** A value of one known form with all other fields clear. */
export function valueOfForm(alg: BoolAlgebra, layout: Layout, kind: ValueKind, level: Level, form: Form): EntryValue {
  const value = zeroValue(alg, layout, kind, level);
  value.bits[layout.formIndex('none')] = alg.FALSE;
  value.bits[layout.formIndex(form)] = alg.TRUE;
  return value;
}

/**
 * A value nothing is known about, over fresh unknowns `<name>.<field>`. Its
 * form ranges over the forms legal at its level (or `forms`), encoded as a
 * decision chain so exactly one form guard holds under every assignment.
 */
export function freshValue(
  alg: BoolAlgebra,
  layout: Layout,
  name: string,
  level: Level,
  options: { kind?: ValueKind; forms?: readonly Form[]; placement?: VariablePlacement } = {},
): EntryValue {
  return freshValues(alg, layout, [name], level, options)[0]!;
}

/**
 * Values nothing is known about, one per name, whose unknowns are created side by side: field i
 * of each right after field i of the one before. Entries that will be compared bit by bit
 * (`pte_same(ptep_get(vmf->pte), vmf->orig_pte)`) need that order: with one entry's unknowns all
 * above the other's, their equality has a node for every combination of the bits above.
 */
export function freshValues(
  alg: BoolAlgebra,
  layout: Layout,
  names: readonly string[],
  level: Level,
  options: { kind?: ValueKind; forms?: readonly Form[]; placement?: VariablePlacement } = {},
): EntryValue[] {
  const kind = options.kind ?? 'entry';
  const placement = options.placement ?? 'newest-first';
  const forms = options.forms ?? LEGAL_FORMS[level];
  const values = names.map(() => ({ bits: new Int32Array(layout.fields.length).fill(alg.FALSE), rest: alg.TRUE as Bool }));
  forms.forEach((form, i) => {
    names.forEach((name, n) => {
      const value = values[n]!;
      if (i === forms.length - 1) {
        value.bits[layout.formIndex(form)] = value.rest;
        return;
      }
      const choose = alg.variable(`${name}.is_${form}`, placement);
      value.bits[layout.formIndex(form)] = alg.and(value.rest, choose);
      value.rest = alg.and(value.rest, alg.not(choose));
    });
  });
  for (let i = layout.formCount; i < layout.fields.length; i++) {
    names.forEach((name, n) => (values[n]!.bits[i] = alg.variable(`${name}.${layout.fields[i]}`, placement)));
  }
  return values.map(({ bits }) => ({ kind, level, bits }));
}

export function field(value: EntryValue, layout: Layout, name: string, alg: BoolAlgebra): Bool {
  const index = layout.indexOf(name);
  return index === undefined ? alg.FALSE : value.bits[index]!;
}

export function formGuard(value: EntryValue, layout: Layout, form: Form): Bool {
  return value.bits[layout.formIndex(form)]!;
}

/** Past this many nodes an equality is not worth its cost: it becomes an unknown. */
const SAME_VALUE_LIMIT = 2_000;
let opaqueEqualities = 0;
const NO_FIELDS: ReadonlySet<number> = new Set();

/**
 * All fields equal but the `ignored` ones (pte_same: full-value equality; pte_same_as_swp
 * ignores the swap carry bits). Two unrelated entries make this exponential under any fixed
 * variable order, so past a size limit the answer is an unknown named for the comparison:
 * sound, just less exact.
 */
export function sameValue(alg: BoolAlgebra, a: EntryValue, b: EntryValue, ignored: ReadonlySet<number> = NO_FIELDS): Bool {
  return exactSameValue(alg, a, b, ignored) ?? alg.variable(`pte_same#${++opaqueEqualities}`);
}

/** sameValue's exact answer, or undefined past its size limit. */
export function exactSameValue(alg: BoolAlgebra, a: EntryValue, b: EntryValue, ignored: ReadonlySet<number> = NO_FIELDS): Bool | undefined {
  let result: Bool = alg.TRUE;
  for (let i = 0; i < a.bits.length && result !== alg.FALSE; i++) {
    if (ignored.has(i)) continue;
    result = alg.and(result, alg.iff(a.bits[i]!, b.bits[i]!));
    if (alg.size(result, SAME_VALUE_LIMIT + 1) > SAME_VALUE_LIMIT) return undefined;
  }
  return result;
}

/** Field-wise `condition ? a : b`. */
export function selectValue(alg: BoolAlgebra, condition: Bool, a: EntryValue, b: EntryValue): EntryValue {
  if (condition === alg.TRUE) return a;
  if (condition === alg.FALSE) return b;
  const bits = new Int32Array(a.bits.length);
  for (let i = 0; i < bits.length; i++) bits[i] = alg.ite(condition, a.bits[i]!, b.bits[i]!);
  return { kind: a.kind, level: a.level, bits };
}

/** The concrete form and set bits of a value under an assignment, e.g. `present W=0 D=1 SD=1`. */
export function formatConcrete(alg: BoolAlgebra, layout: Layout, value: EntryValue, assignment: Assignment): string {
  const form = FORMS.find((f) => alg.evaluate(formGuard(value, layout, f), assignment)) ?? '?';
  const names = form === 'present' || form === 'protnone' || form === 'invalid' ? layout.archBits : layout.softleafBits;
  const shown = names
    .filter((n) => layout.indexOf(n) !== undefined)
    .map((n) => `${n}=${alg.evaluate(value.bits[layout.indexOf(n)!]!, assignment) ? 1 : 0}`);
  return [form, ...shown].join(' ');
}
