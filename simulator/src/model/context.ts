// What an entry's meaning depends on besides its bits (SEMANTICS §4): the VMA,
// the folio, the mm and change_protection() flags. Each fact is a symbolic
// boolean; a FactSource hands them out by name.

import type { Bool, BoolAlgebra } from '../sym';
import { inVersionRange, isEnabled, type Profile } from './profile';

export const VM_FLAGS = [
  'VM_READ', 'VM_WRITE', 'VM_EXEC', 'VM_SHARED',
  'VM_MAYREAD', 'VM_MAYWRITE', 'VM_MAYEXEC', 'VM_MAYSHARE',
  'VM_SOFTDIRTY', 'VM_UFFD_WP', 'VM_UFFD_MISSING', 'VM_UFFD_MINOR',
  'VM_SHADOW_STACK', 'VM_PFNMAP', 'VM_MIXEDMAP', 'VM_DROPPABLE', 'VM_LOCKED', 'VM_HUGETLB',
] as const;

/** Facts about a VMA that are not vm_flags bits. */
export const VMA_FACTS = [
  'writenotify', // vma_wants_writenotify(vma, vma->vm_page_prot): vm_page_prot is read-only although VM_SHARED|VM_WRITE
  'uffd_wp_async', // userfaultfd_wp_async(vma)
  'anonymous', // vma_is_anonymous(vma): no vm_ops
] as const;

export const FOLIO_FACTS = [
  'anon', // folio_test_anon
  'exclusive', // PageAnonExclusive of the mapped page
  'pinned', // folio_maybe_dma_pinned
  'ksm',
  'dirty', // PG_dirty
  'lazyfree', // anon, !swapbacked (after MADV_FREE)
  'zero', // the shared zero page
] as const;

export const MM_FACTS = ['tlb_flush_pending', 'has_pinned'] as const;

export const CP_FLAGS = [
  'MM_CP_TRY_CHANGE_WRITABLE', 'MM_CP_PROT_NUMA', 'MM_CP_UFFD_WP', 'MM_CP_UFFD_WP_RESOLVE', 'MM_CP_DIRTY_ACCT',
] as const;

/** vm_flags that are VM_NONE (always clear) unless the profile has the config symbol. */
const FLAG_NEEDS: Readonly<Record<string, string>> = {
  VM_SHADOW_STACK: 'X86_USER_SHADOW_STACK',
  VM_SOFTDIRTY: 'MEM_SOFT_DIRTY',
  VM_UFFD_WP: 'HAVE_ARCH_USERFAULTFD_WP',
};

/**
 * change_protection() flags that exist in some versions only (include/linux/mm.h): the uffd flags
 * came with userfaultfd write-protection (5.7), MM_CP_TRY_CHANGE_WRITABLE replaced MM_CP_DIRTY_ACCT
 * in 6.0 (docs/profiles.md row 5a). Before 5.7 MM_CP_DIRTY_ACCT and MM_CP_PROT_NUMA were parameters
 * (CP_FLAG_PARAMETERS). Elsewhere a flag reads false.
 */
const FLAG_VERSIONS: Readonly<Record<string, { readonly since?: string; readonly until?: string }>> = {
  MM_CP_UFFD_WP: { since: '5.7' },
  MM_CP_UFFD_WP_RESOLVE: { since: '5.7' },
  MM_CP_TRY_CHANGE_WRITABLE: { since: '6.0' },
  MM_CP_DIRTY_ACCT: { until: '6.0' },
};

/** Hands out the symbolic value of a named fact (`VM_WRITE`, `anon`, …). */
export interface FactSource {
  fact(name: string): Bool;
}

/**
 * Facts as fresh unknowns named `<prefix>.<fact>` (e.g. `vma.VM_WRITE`),
 * created on first use; flags the profile lacks read as false.
 */
export function symbolicFacts(alg: BoolAlgebra, prefix: string, profile?: Profile): FactSource {
  return {
    fact(name: string): Bool {
      const needs = FLAG_NEEDS[name];
      if (profile && needs && !isEnabled(profile, needs)) return alg.FALSE;
      const versions = FLAG_VERSIONS[name];
      if (profile && versions && !inVersionRange(profile.version, versions.since, versions.until)) return alg.FALSE;
      return alg.variable(`${prefix}.${name}`, 'context');
    },
  };
}

/** Facts fixed to constants; anything not listed is false. */
export function constantFacts(alg: BoolAlgebra, trueFacts: Iterable<string>): FactSource {
  const set = new Set(trueFacts);
  return { fact: (name) => alg.constant(set.has(name)) };
}

/**
 * Relations the kernel keeps between facts, assumed wherever a VMA or folio is
 * read (SEMANTICS §3.9.2, §4.1, §4.3): a shadow-stack VMA is private and
 * writable; writenotify implies a shared writable VMA and is forced by
 * uffd-wp and soft-dirty tracking there; an exclusive page is anonymous, and
 * an anonymous page is never mapped by a shared VMA.
 */
export function contextInvariants(alg: BoolAlgebra, profile: Profile, vma: FactSource, folio?: FactSource): Bool {
  const f = (name: string) => vma.fact(name);
  const sharedWritable = alg.and(f('VM_SHARED'), f('VM_WRITE'));
  const softDirtyTracking = isEnabled(profile, 'MEM_SOFT_DIRTY') ? alg.not(f('VM_SOFTDIRTY')) : alg.FALSE;
  const parts: Bool[] = [
    alg.implies(f('VM_SHADOW_STACK'), alg.and(f('VM_WRITE'), alg.not(f('VM_SHARED')))),
    // a shadow stack is private anonymous memory (x86 alloc_shstk(), arm64 gcs_alloc(): do_mmap
    // with MAP_ANONYMOUS | MAP_PRIVATE): never pfn-mapped, mixed-mapped or hugetlb
    alg.implies(f('VM_SHADOW_STACK'), alg.andAll([alg.not(f('VM_PFNMAP')), alg.not(f('VM_MIXEDMAP')), alg.not(f('VM_HUGETLB'))])),
    // an anonymous VMA has no vm_ops: MAP_SHARED|MAP_ANONYMOUS memory is shmem (shmem_zero_setup()
    // gives it vm_ops), drivers' pfn maps and hugetlbfs have their own
    alg.implies(f('anonymous'), alg.andAll([alg.not(f('VM_SHARED')), alg.not(f('VM_MAYSHARE')), alg.not(f('VM_PFNMAP')), alg.not(f('VM_MIXEDMAP')), alg.not(f('VM_HUGETLB'))])),
    alg.implies(f('writenotify'), sharedWritable),
    alg.implies(alg.and(sharedWritable, f('VM_UFFD_WP')), f('writenotify')),
    alg.implies(alg.andAll([sharedWritable, softDirtyTracking, alg.not(f('VM_HUGETLB'))]), f('writenotify')),
    alg.implies(f('VM_SHARED'), f('VM_MAYSHARE')),
    alg.implies(f('VM_WRITE'), f('VM_MAYWRITE')),
  ];
  if (folio) {
    parts.push(alg.implies(folio.fact('exclusive'), folio.fact('anon')));
    parts.push(alg.implies(folio.fact('ksm'), alg.and(folio.fact('anon'), alg.not(folio.fact('exclusive')))));
    parts.push(alg.implies(folio.fact('lazyfree'), folio.fact('anon')));
    parts.push(alg.implies(folio.fact('zero'), alg.not(folio.fact('anon'))));
    // Shared mappings hold page-cache or shmem folios, never anonymous ones.
    parts.push(alg.implies(folio.fact('anon'), alg.not(vma.fact('VM_SHARED'))));
    // A VM_PFNMAP mapping maps raw pfns; an anonymous page there is a COW copy of a private one
    // (mm/memory.c: vm_normal_page(), is_cow_mapping()).
    parts.push(alg.implies(alg.and(folio.fact('anon'), vma.fact('VM_PFNMAP')), alg.and(vma.fact('VM_MAYWRITE'), alg.not(vma.fact('VM_SHARED')))));
  }
  return alg.andAll(parts);
}

export type CpFlag = (typeof CP_FLAGS)[number];

/**
 * What change_protection()'s callers pass, in every version that has the flags (from 5.7; before,
 * the same two flags were the int parameters of CP_FLAG_PARAMETERS): mprotect_fixup() passes
 * MM_CP_DIRTY_ACCT (until 5.19) or MM_CP_TRY_CHANGE_WRITABLE (from 6.0) and nothing else;
 * change_prot_numa() passes MM_CP_PROT_NUMA alone; the userfaultfd write-protect ioctl passes
 * MM_CP_UFFD_WP or MM_CP_UFFD_WP_RESOLVE, the latter with MM_CP_TRY_CHANGE_WRITABLE from 6.5
 * (uffd_wp_range()), and only on a VMA registered for write-protection
 * (mwriteprotect_range(): -ENOENT unless userfaultfd_wp(dst_vma)).
 */
export const CP_FLAG_FACTS: readonly (
  | { readonly kind: 'exclusive'; readonly flags: readonly [CpFlag, CpFlag]; readonly source: string }
  | { readonly kind: 'vma'; readonly flag: CpFlag; readonly vma: (f: (name: string) => Bool, alg: BoolAlgebra) => Bool; readonly source: string }
)[] = [
  { kind: 'exclusive', flags: ['MM_CP_UFFD_WP', 'MM_CP_UFFD_WP_RESOLVE'], source: 'mwriteprotect_range(): one of the two, by enable_wp' },
  { kind: 'exclusive', flags: ['MM_CP_UFFD_WP', 'MM_CP_TRY_CHANGE_WRITABLE'], source: 'uffd_wp_range(): only a resolve tries to change writable; mprotect_fixup() passes no uffd flag' },
  { kind: 'exclusive', flags: ['MM_CP_UFFD_WP', 'MM_CP_DIRTY_ACCT'], source: 'mprotect_fixup() passes no uffd flag' },
  { kind: 'exclusive', flags: ['MM_CP_UFFD_WP_RESOLVE', 'MM_CP_DIRTY_ACCT'], source: 'mprotect_fixup() passes no uffd flag' },
  { kind: 'exclusive', flags: ['MM_CP_PROT_NUMA', 'MM_CP_UFFD_WP'], source: 'change_prot_numa() passes MM_CP_PROT_NUMA alone' },
  { kind: 'exclusive', flags: ['MM_CP_PROT_NUMA', 'MM_CP_UFFD_WP_RESOLVE'], source: 'change_prot_numa() passes MM_CP_PROT_NUMA alone' },
  { kind: 'exclusive', flags: ['MM_CP_PROT_NUMA', 'MM_CP_TRY_CHANGE_WRITABLE'], source: 'change_prot_numa() passes MM_CP_PROT_NUMA alone' },
  { kind: 'exclusive', flags: ['MM_CP_PROT_NUMA', 'MM_CP_DIRTY_ACCT'], source: 'change_prot_numa() passes MM_CP_PROT_NUMA alone' },
  { kind: 'vma', flag: 'MM_CP_UFFD_WP', vma: (f) => f('VM_UFFD_WP'), source: 'mwriteprotect_range(): userfaultfd_wp(dst_vma)' },
  { kind: 'vma', flag: 'MM_CP_UFFD_WP_RESOLVE', vma: (f) => f('VM_UFFD_WP'), source: 'mwriteprotect_range(): userfaultfd_wp(dst_vma)' },
  { kind: 'vma', flag: 'MM_CP_DIRTY_ACCT', vma: (f) => f('writenotify'), source: 'mprotect_fixup(): vma_wants_writenotify(vma, vma->vm_page_prot)' },
  {
    kind: 'vma',
    flag: 'MM_CP_TRY_CHANGE_WRITABLE',
    vma: (f, alg) => alg.or(alg.and(f('VM_SHARED'), f('writenotify')), alg.and(alg.not(f('VM_SHARED')), f('VM_WRITE'))),
    source: 'mprotect_fixup(), uffd_wp_range(): vma_wants_manual_pte_write_upgrade(vma) (written out inline in 6.0 and 6.1)',
  },
];

/**
 * change_protection()'s flags before they were one word (5.7, "mm: merge parameters for
 * change_protection()"): the chain took `int dirty_accountable, int prot_numa`.
 */
export const CP_FLAG_PARAMETERS: Readonly<Record<string, CpFlag>> = {
  dirty_accountable: 'MM_CP_DIRTY_ACCT',
  prot_numa: 'MM_CP_PROT_NUMA',
};

/** CP_FLAG_FACTS over the flags `cp` of a change_protection() call on `vma`. */
export function cpFlagInvariants(alg: BoolAlgebra, cp: FactSource, vma: FactSource): Bool {
  return alg.andAll(
    CP_FLAG_FACTS.map((fact) =>
      fact.kind === 'exclusive'
        ? alg.not(alg.and(cp.fact(fact.flags[0]), cp.fact(fact.flags[1])))
        : alg.implies(cp.fact(fact.flag), fact.vma((name) => vma.fact(name), alg)),
    ),
  );
}
