// A deterministic generator of kernel-like C for the bench, written by us: functions in mm style
// with page-table helper calls, branches on entry predicates and VMA flags, gotos, loops,
// same-file callees, locks, flushes and a few @mm annotations. From one function to a tree of
// files as big as mm/ (a few large files, many middle-sized ones).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../fuzz/random';

const MODIFIERS = ['pte_mkwrite(pte, vma)', 'pte_wrprotect(pte)', 'pte_mkdirty(pte)', 'pte_mkclean(pte)', 'pte_mkyoung(pte)', 'pte_mkold(pte)', 'pte_mkuffd_wp(pte)', 'pte_clear_uffd_wp(pte)', 'pte_mksoft_dirty(pte)'];
const PREDICATES = ['pte_present(pte)', 'pte_dirty(pte)', 'pte_write(pte)', 'pte_uffd_wp(pte)', 'pte_young(pte)', '!pte_none(pte)'];
const VMA_TESTS = ['vma->vm_flags & VM_WRITE', 'vma->vm_flags & VM_SHARED', 'userfaultfd_wp(vma)', 'vma_is_anonymous(vma)', 'cp_flags & MM_CP_UFFD_WP'];

/** One function of shape `shape` (0–5), named `<prefix>_<i>`; `callee` is a same-file helper it may call. */
function kernelFunction(random: Random, name: string, shape: number, callee: string | undefined): string {
  const modifier = () => random.pick(MODIFIERS);
  const predicate = () => random.pick(PREDICATES);
  const vmaTest = () => random.pick(VMA_TESTS);
  switch (shape) {
    case 0: // a predicate helper, inlined by its callers
      return `static inline bool ${name}(struct vm_area_struct *vma, pte_t pte)
{
	if (${vmaTest()})
		return false;
	return ${predicate()} && !pte_uffd_wp(pte);
}
`;
    case 1: // protection change over a range, with a lock, a loop and a flush
      return `static long ${name}(struct mmu_gather *tlb, struct vm_area_struct *vma, pmd_t *pmd,
		unsigned long addr, unsigned long end, pgprot_t newprot, unsigned long cp_flags)
{
	spinlock_t *ptl;
	pte_t *ptep;
	long pages = 0;

	ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (!ptep)
		return -EAGAIN;
	do {
		pte_t oldpte = ptep_get(ptep);
		pte_t pte;

		if (!pte_present(oldpte))
			continue;
		oldpte = ptep_modify_prot_start(vma, addr, ptep);
		pte = pte_modify(oldpte, newprot);
		if (cp_flags & MM_CP_UFFD_WP)
			pte = pte_mkuffd_wp(pte);
		else if (${predicate()}${callee ? ` && ${callee}(vma, pte)` : ''})
			pte = ${modifier()};
		ptep_modify_prot_commit(vma, addr, ptep, oldpte, pte);
		if (pte_needs_flush(oldpte, pte))
			tlb_flush_pte_range(tlb, addr, PAGE_SIZE);
		pages++;
	} while (ptep++, addr += PAGE_SIZE, addr != end);
	pte_unmap_unlock(ptep - 1, ptl);
	return pages;
}
`;
    case 2: // a fault-style handler with gotos
      return `static vm_fault_t ${name}(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	pte_t pte;
	vm_fault_t ret = 0;

	vmf->pte = pte_offset_map_lock(vma->vm_mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (!vmf->pte)
		return VM_FAULT_OOM;
	pte = ptep_get(vmf->pte);
	if (!pte_same(pte, vmf->orig_pte)) {
		ret = VM_FAULT_RETRY;
		goto out_unlock;
	}
	if (${vmaTest()})
		goto out_unlock;
	pte = ${modifier()};
	if (${predicate()})
		pte = ${modifier()};
	set_pte_at(vma->vm_mm, vmf->address, vmf->pte, pte);
	update_mmu_cache(vma, vmf->address, vmf->pte);
out_unlock:
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	return ret;
}
`;
    case 3: // a huge-page path
      return `static int ${name}(struct vm_area_struct *vma, pmd_t *pmdp, unsigned long addr)
{
	pmd_t pmd = pmdp_huge_get_and_clear(vma->vm_mm, addr, pmdp);

	if (pmd_dirty(pmd))
		pmd = pmd_mkclean(pmd);
	if (${vmaTest()})
		pmd = pmd_wrprotect(pmd);
	set_pmd_at(vma->vm_mm, addr, pmdp, pmd);
	flush_tlb_range(vma, addr, addr + HPAGE_PMD_SIZE);
	return 0;
}
`;
    case 4: // an annotated write-protect with a pending-flush protocol
      return `/* @mm assume vma VM_WRITE !VM_SHARED */
static void ${name}(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	struct mm_struct *mm = vma->vm_mm;

	inc_tlb_flush_pending(mm);
	ptep_set_wrprotect(mm, addr, ptep);
	if (${predicate().replace(/pte\b/g, 'ptep_get(ptep)')})
		folio_mark_dirty(page_folio(pte_page(ptep_get(ptep))));
	flush_tlb_page(vma, addr);
	dec_tlb_flush_pending(mm);
}
`;
    default: // plain C with no page-table work: most of mm is this
      return `static unsigned long ${name}(struct list_head *head, unsigned long limit)
{
	unsigned long n = 0;
	struct page *page;
	int i;

	for (i = 0; i < ${2 + random.below(8)}; i++) {
		if (i == limit)
			break;
		n += i;
	}
	list_for_each_entry(page, head, lru) {
		if (n++ >= limit)
			break;
	}
	return n;
}
`;
  }
}

/** About `lines` lines of kernel-like C (whole functions), deterministic in `seed`. */
export function kernelLikeFile(lines: number, seed: number, prefix = `gen${seed}`): string {
  const random = new Random(seed);
  const parts = ['// SPDX-License-Identifier: GPL-2.0\n/* generated in kernel style for the mmlens bench */\n#include <linux/mm.h>\n'];
  let count = 3;
  let helper: string | undefined;
  for (let i = 0; count < lines; i++) {
    // mm is mostly code that never touches an entry: about half the functions here
    const shape = random.chance(0.5) ? 5 : random.below(5);
    const name = `${prefix}_${i}`;
    const text = kernelFunction(random, name, shape, shape === 1 ? helper : undefined);
    if (shape === 0) helper = name;
    parts.push(text);
    count += text.split('\n').length;
  }
  return parts.join('\n');
}

export interface GeneratedTree {
  readonly dir: string;
  readonly files: readonly { readonly path: string; readonly lines: number }[];
  readonly lines: number;
}

/** A tree of about `lines` lines: 3 files of ~7,000 lines, then files of 500–2,000 lines. */
export function writeKernelTree(dir: string, lines: number, seed = 1): GeneratedTree {
  mkdirSync(dir, { recursive: true });
  const random = new Random(seed);
  const files: { path: string; lines: number }[] = [];
  let total = 0;
  for (let i = 0; total < lines; i++) {
    const want = Math.min(lines - total, i < 3 ? 7000 : 500 + random.below(1500));
    const text = kernelLikeFile(Math.max(want, 20), seed * 1000 + i, `f${i}`);
    const path = join(dir, `gen${String(i).padStart(3, '0')}.c`);
    writeFileSync(path, text);
    const count = text.split('\n').length;
    files.push({ path, lines: count });
    total += count;
  }
  return { dir, files, lines: total };
}
