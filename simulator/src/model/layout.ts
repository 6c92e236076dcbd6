// Which fields an entry value has on one profile, and where they sit.

import { FORMS, SOFTLEAF_FIELDS, type Form } from './forms';

export interface Layout {
  /** Every field, forms first. */
  readonly fields: readonly string[];
  /** The architecture's own bits (W, D, SD … / WR, RO, DT …), in display order. */
  readonly archBits: readonly string[];
  readonly softleafBits: readonly string[];
  readonly formCount: number;
  /** Field name → index, or undefined when the profile lacks it (reads as 0, writes are dropped). */
  indexOf(field: string): number | undefined;
  formIndex(form: Form): number;
}

export function buildLayout(archBits: readonly string[], softleafBits: readonly string[]): Layout {
  const fields = [...FORMS, ...softleafBits, ...archBits];
  const index = new Map(fields.map((name, i) => [name, i]));
  for (const bit of softleafBits) {
    if (!(SOFTLEAF_FIELDS as readonly string[]).includes(bit)) throw new Error(`unknown soft-leaf field ${bit}`);
  }
  return {
    fields,
    archBits,
    softleafBits,
    formCount: FORMS.length,
    indexOf: (field) => index.get(field),
    formIndex: (form) => index.get(form)!,
  };
}
