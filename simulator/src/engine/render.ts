// Renders symbolic entries for people: each bit is 1, 0 or ? under a path's condition.

import type { Bool, BoolAlgebra } from '../sym';
import { FORMS } from '../model/forms';
import type { Layout } from '../model/layout';
import type { EntryValue } from '../model/value';

export type BitValue = '0' | '1' | '?';

export interface RenderedEntry {
  /** The form, or `?` when the path allows several. */
  readonly form: string;
  readonly bits: Readonly<Record<string, BitValue>>;
}

function bitUnder(alg: BoolAlgebra, condition: Bool, bit: Bool): BitValue {
  if (alg.entails(condition, bit)) return '1';
  if (alg.entails(condition, alg.not(bit))) return '0';
  return '?';
}

export function renderEntry(alg: BoolAlgebra, layout: Layout, value: EntryValue, condition: Bool): RenderedEntry {
  const forms = FORMS.filter((form) => alg.intersects(condition, value.bits[layout.formIndex(form)]!));
  const form = forms.length === 1 ? forms[0]! : forms.length === 0 ? 'none' : '?';
  const live = form === 'present' || form === 'protnone' || form === 'invalid' || form === '?';
  const names = live ? layout.archBits : layout.softleafBits;
  const bits: Record<string, BitValue> = {};
  for (const name of names) bits[name] = bitUnder(alg, condition, value.bits[layout.indexOf(name)!]!);
  return { form, bits };
}

/** `present W=1 D=0 SD=?` */
export function formatRendered(entry: RenderedEntry): string {
  return [entry.form, ...Object.entries(entry.bits).map(([k, v]) => `${k}=${v}`)].join(' ');
}

/**
 * Bits whose known value differs between two renderings (`form` when the form changed);
 * a bit unknown (`?`) on either side is not a change anyone can point at.
 */
export function changedBits(before: RenderedEntry | undefined, after: RenderedEntry | undefined): string[] {
  if (!before || !after) return [];
  const known = (v: BitValue | undefined) => v === '0' || v === '1';
  const changed = Object.keys(after.bits).filter((k) => known(before.bits[k]) && known(after.bits[k]) && before.bits[k] !== after.bits[k]);
  if (before.form !== after.form && before.form !== '?' && after.form !== '?') changed.unshift('form');
  return changed;
}
