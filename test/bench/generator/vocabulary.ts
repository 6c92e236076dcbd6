// The words the generated code is made of: page-table helpers, entry predicates and VMA tests as
// mm/*.c spells them. `level` is pte or pmd; `v` the entry variable the expression applies to.

import type { Random } from './random';

export type Level = 'pte' | 'pmd';

/** A modifier applied to `v`, e.g. pte_mkwrite(pte, vma). */
export function modifier(random: Random, level: Level, v: string): string {
  const name = random.pick(['mkwrite', 'wrprotect', 'mkdirty', 'mkclean', 'mkyoung', 'mkold', 'mkuffd_wp', 'clear_uffd_wp', 'mksoft_dirty']);
  return name === 'mkwrite' ? `${level}_mkwrite(${v}, vma)` : `${level}_${name}(${v})`;
}

/** Two or three modifiers nested, e.g. pte_mkdirty(pte_mkyoung(pte)). */
export function nestedModifiers(random: Random, level: Level, v: string): string {
  let expression = v;
  for (let i = 0, n = 2 + random.below(2); i < n; i++) expression = modifier(random, level, expression);
  return expression;
}

/** A test of an entry, e.g. pte_dirty(pte) or !pte_uffd_wp(pte). */
export function entryPredicate(random: Random, level: Level, v: string): string {
  const names = level === 'pte' ? ['present', 'dirty', 'write', 'uffd_wp', 'young', 'soft_dirty'] : ['present', 'dirty', 'write', 'uffd_wp', 'young', 'trans_huge'];
  const test = `${level}_${random.pick(names)}(${v})`;
  return random.chance(0.25) ? `!${test}` : test;
}

/** A test of the VMA or of the caller's flags. */
export function vmaPredicate(random: Random): string {
  return random.pick([
    'vma->vm_flags & VM_WRITE',
    'vma->vm_flags & VM_SHARED',
    'vma->vm_flags & VM_UFFD_WP',
    '!(vma->vm_flags & VM_WRITE)',
    'userfaultfd_wp(vma)',
    'vma_is_anonymous(vma)',
    '(vma->vm_flags & (VM_SHARED | VM_WRITE)) == VM_WRITE',
  ]);
}

/** A flush of what was just changed at `addr`. */
export function flush(random: Random, range: 'page' | 'pmd'): string {
  if (range === 'pmd') return random.pick(['flush_tlb_range(vma, addr, addr + HPAGE_PMD_SIZE)', 'flush_pmd_tlb_range(vma, addr, addr + HPAGE_PMD_SIZE)']);
  return random.pick(['flush_tlb_page(vma, addr)', 'flush_tlb_range(vma, addr, addr + PAGE_SIZE)']);
}

/** The `@mm assume` facts a function may carry, as mm reviewers would write them. */
export function assumption(random: Random): string {
  return random.pick([
    'vma VM_WRITE !VM_SHARED',
    'vma VM_READ VM_WRITE VM_MAYWRITE !VM_UFFD_WP; folio anon exclusive',
    'vma VM_UFFD_WP; pte present W=0',
    'vma !VM_SHARED; pte present D=1',
  ]);
}
