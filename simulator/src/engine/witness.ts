// Witnesses for people: the unknowns that lead to a finding, grouped by what
// they describe, forms named instead of their encoding variables.

import type { Assignment } from '../sym';

/**
 * `vma: VM_WRITE VM_UFFD_WP !VM_SHARED; entry: mig_w; old: swp_uw`. Set facts
 * and bits are listed; clear ones only for context facts (VMA, folio, mm, cp),
 * where "not" is informative; form-choice variables become the form chosen.
 */
export function summarizeWitness(witness: Readonly<Record<string, boolean>> | Assignment): string {
  const entries = witness instanceof Map ? [...witness] : Object.entries(witness);
  const groups = new Map<string, string[]>();
  for (const [name, value] of entries) {
    const dot = name.lastIndexOf('.');
    const subject = dot > 0 ? name.slice(0, dot) : '';
    const item = dot > 0 ? name.slice(dot + 1) : name;
    const context = /^(vma|folio|mm|cp|vmf)$/.test(subject);
    let text: string | undefined;
    if (item.startsWith('is_')) text = value ? item.slice(3) : undefined;
    else if (value) text = item;
    else if (context) text = `!${item}`;
    if (text === undefined) continue;
    groups.set(subject, [...(groups.get(subject) ?? []), text]);
  }
  return [...groups].map(([subject, items]) => (subject ? `${subject}: ${items.join(' ')}` : items.join(' '))).join('; ');
}
