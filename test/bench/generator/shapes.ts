// Function shapes in the style of mm/*.c. Each shape writes one whole function from the random
// stream; which same-file static functions it may call is decided by the file (kernelFile.ts).

import type { Random } from './random';
import { assumption, entryPredicate, flush, modifier, nestedModifiers, vmaPredicate } from './vocabulary';

export interface ShapeContext {
  readonly random: Random;
  readonly name: string;
  /** A static bool (vma, pte) helper defined earlier in the file. */
  readonly predicateHelper?: string;
  /** A static int (vma, addr, ptep) function defined earlier in the file. */
  readonly entryWorker?: string;
}

export type Shape = (context: ShapeContext) => string;

/** A static inline predicate that callers in the file inline. */
const predicateHelper: Shape = ({ random, name }) => `static inline bool ${name}(struct vm_area_struct *vma, pte_t pte)
{
	if (${vmaPredicate(random)})
		return false;
	if (pte_none(pte) || is_swap_pte(pte))
		return false;
	return ${entryPredicate(random, 'pte', 'pte')} && !pte_uffd_wp(pte);
}
`;

/** change_pte_range(): a do/while over the range under the PTE lock, with uffd-wp handling. */
const protectRange: Shape = ({ random, name, predicateHelper }) => `static long ${name}(struct mmu_gather *tlb, struct vm_area_struct *vma,
		pmd_t *pmd, unsigned long addr, unsigned long end, pgprot_t newprot,
		unsigned long cp_flags)
{
	bool uffd_wp = cp_flags & MM_CP_UFFD_WP;
	bool uffd_wp_resolve = cp_flags & MM_CP_UFFD_WP_RESOLVE;
	spinlock_t *ptl;
	pte_t *ptep;
	long pages = 0;

	ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (!ptep)
		return -EAGAIN;
	flush_tlb_batched_pending(vma->vm_mm);
	do {
		pte_t oldpte = ptep_get(ptep);
		pte_t ptent;

		if (pte_none(oldpte))
			continue;
		if (!pte_present(oldpte))
			continue;
		oldpte = ptep_modify_prot_start(vma, addr, ptep);
		ptent = pte_modify(oldpte, newprot);
		if (uffd_wp)
			ptent = pte_mkuffd_wp(ptent);
		else if (uffd_wp_resolve)
			ptent = pte_clear_uffd_wp(ptent);
		if (${predicateHelper ? `${predicateHelper}(vma, ptent)` : entryPredicate(random, 'pte', 'ptent')})
			ptent = ${modifier(random, 'pte', 'ptent')};
		ptep_modify_prot_commit(vma, addr, ptep, oldpte, ptent);
		if (pte_needs_flush(oldpte, ptent))
			tlb_flush_pte_range(tlb, addr, PAGE_SIZE);
		pages++;
	} while (ptep++, addr += PAGE_SIZE, addr != end);
	pte_unmap_unlock(ptep - 1, ptl);
	return pages;
}
`;

/** A fault handler: checks under the lock, gotos to the unlock. */
const faultHandler: Shape = ({ random, name, entryWorker }) => `static vm_fault_t ${name}(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr = vmf->address;
	vm_fault_t ret = 0;
	pte_t entry;

	vmf->pte = pte_offset_map_lock(vma->vm_mm, vmf->pmd, addr, &vmf->ptl);
	if (!vmf->pte)
		return VM_FAULT_OOM;
	entry = ptep_get(vmf->pte);
	if (unlikely(!pte_same(entry, vmf->orig_pte))) {
		update_mmu_tlb(vma, addr, vmf->pte);
		goto out_unlock;
	}
	if (${vmaPredicate(random)}) {
		ret = VM_FAULT_SIGBUS;
		goto out_unlock;
	}
${entryWorker ? `	if (${entryWorker}(vma, addr, vmf->pte))
		goto out_unlock;
` : ''}	entry = ${nestedModifiers(random, 'pte', 'entry')};
	if (vmf->flags & FAULT_FLAG_WRITE) {
		if (${entryPredicate(random, 'pte', 'entry')})
			entry = ${modifier(random, 'pte', 'entry')};
	}
	set_pte_at(vma->vm_mm, addr, vmf->pte, entry);
	update_mmu_cache(vma, addr, vmf->pte);
out_unlock:
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	return ret;
}
`;

/** A huge PMD path: get and clear, modify, install, flush the PMD range. */
const hugePmd: Shape = ({ random, name }) => `static int ${name}(struct vm_area_struct *vma, pmd_t *pmdp, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pmd_t pmd;
	int ret = 0;

	ptl = pmd_lock(mm, pmdp);
	pmd = pmdp_huge_get_and_clear(mm, addr, pmdp);
	if (!pmd_present(pmd) || !pmd_trans_huge(pmd))
		goto unlock;
	if (${entryPredicate(random, 'pmd', 'pmd')})
		pmd = ${modifier(random, 'pmd', 'pmd')};
	if (${vmaPredicate(random)})
		pmd = pmd_wrprotect(pmd);
	else
		pmd = ${nestedModifiers(random, 'pmd', 'pmd')};
	set_pmd_at(mm, addr, pmdp, pmd);
	${flush(random, 'pmd')};
	ret = 1;
unlock:
	spin_unlock(ptl);
	return ret;
}
`;

/** A write-protect inside the deferred-flush protocol. */
const wrprotectPending: Shape = ({ random, name }) => `static int ${name}(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t pte = ptep_get(ptep);

	if (!pte_present(pte) || !pte_write(pte))
		return 0;
	inc_tlb_flush_pending(mm);
	ptep_set_wrprotect(mm, addr, ptep);
	if (${entryPredicate(random, 'pte', 'pte')})
		folio_mark_dirty(page_folio(pte_page(pte)));
	${flush(random, 'page')};
	dec_tlb_flush_pending(mm);${random.chance(0.2) ? '\t/* @mm expect none */' : ''}
	return 1;
}
`;

/** Clearing a range: get and clear each entry, keep the dirty bit on the folio, flush. */
const zapRange: Shape = ({ random, name }) => `static unsigned long ${name}(struct mmu_gather *tlb, struct vm_area_struct *vma,
		pmd_t *pmd, unsigned long addr, unsigned long end)
{
	struct mm_struct *mm = tlb->mm;
	unsigned long freed = 0;
	spinlock_t *ptl;
	pte_t *start_pte, *ptep;
	int i;

	start_pte = ptep = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!ptep)
		return addr;
	for (i = 0; addr < end; i++, ptep++, addr += PAGE_SIZE) {
		pte_t ptent = ptep_get(ptep);
		struct folio *folio;

		if (pte_none(ptent))
			continue;
		if (is_swap_pte(ptent)) {
			pte_clear(mm, addr, ptep);
			continue;
		}
		ptent = ptep_get_and_clear(mm, addr, ptep);
		tlb_flush_pte_range(tlb, addr, PAGE_SIZE);
		folio = page_folio(pte_page(ptent));
		if (pte_dirty(ptent) && ${random.chance(0.5) ? '!folio_test_anon(folio)' : '!(vma->vm_flags & VM_SHARED)'})
			folio_mark_dirty(folio);
		if (pte_young(ptent))
			folio_mark_accessed(folio);
		freed++;
	}
	pte_unmap_unlock(start_pte, ptl);
	return freed;
}
`;

/** Copy on write: a new page, a new entry, the old one cleared and flushed. */
const copyOnWrite: Shape = ({ random, name }) => `static vm_fault_t ${name}(struct vm_fault *vmf, struct page *old_page)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr = vmf->address;
	struct page *new_page;
	pte_t entry;

	new_page = alloc_page_vma(GFP_HIGHUSER_MOVABLE, vma, addr);
	if (!new_page)
		return VM_FAULT_OOM;
	copy_user_highpage(new_page, old_page, addr, vma);
	spin_lock(vmf->ptl);
	if (!pte_same(ptep_get(vmf->pte), vmf->orig_pte)) {
		spin_unlock(vmf->ptl);
		put_page(new_page);
		return 0;
	}
	entry = mk_pte(new_page, vma->vm_page_prot);
	entry = pte_sw_mkyoung(entry);
	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(pte_mkdirty(entry), vma);
	else
		entry = ${modifier(random, 'pte', 'entry')};
	ptep_clear_flush(vma, addr, vmf->pte);
	set_pte_at(vma->vm_mm, addr, vmf->pte, entry);
	update_mmu_cache(vma, addr, vmf->pte);
	spin_unlock(vmf->ptl);
	return VM_FAULT_WRITE;
}
`;

/** A batch install with set_ptes after a loop that builds nothing but the count. */
const batchInstall: Shape = ({ random, name }) => `static int ${name}(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		struct folio *folio, unsigned int nr)
{
	pte_t pte = mk_pte(folio_page(folio, 0), vma->vm_page_prot);
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (!pte_none(ptep_get(ptep + i)))
			return -EBUSY;
	}
	if (${vmaPredicate(random)})
		pte = ${modifier(random, 'pte', 'pte')};
	if (userfaultfd_wp(vma))
		pte = pte_mkuffd_wp(pte_wrprotect(pte));
	set_ptes(vma->vm_mm, addr, ptep, pte, nr);
	update_mmu_cache_range(NULL, vma, addr, ptep, nr);
	return 0;
}
`;

/** Userfaultfd write-protect of one entry, with soft-dirty kept. */
const uffdProtect: Shape = ({ random, name }) => `static bool ${name}(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		bool enable_wp)
{
	pte_t old, pte;

	if (!(vma->vm_flags & VM_UFFD_WP))
		return false;
	old = ptep_modify_prot_start(vma, addr, ptep);
	if (enable_wp) {
		pte = pte_wrprotect(old);
		pte = pte_mkuffd_wp(pte);
	} else {
		pte = pte_clear_uffd_wp(old);
		if (${vmaPredicate(random)})
			pte = ${modifier(random, 'pte', 'pte')};
	}
	if (pte_soft_dirty(old))
		pte = pte_mksoft_dirty(pte);
	ptep_modify_prot_commit(vma, addr, ptep, old, pte);
	${flush(random, 'page')};
	return true;
}
`;

/** An entry worker other functions of the file call (not inline: it may not be inlined). */
const entryWorker: Shape = ({ random, name }) => `static int ${name}(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t pte = ptep_get(ptep);

	if (!pte_present(pte))
		return -ENOENT;
	if (pte_uffd_wp(pte) && ${vmaPredicate(random)})
		return -EPERM;
	pte = ${modifier(random, 'pte', 'pte')};
	set_pte_at(vma->vm_mm, addr, ptep, pte);
	return 0;
}
`;

/** A page-table walk that calls the file's entry worker for each entry, with gotos out. */
const walkCallingWorker: Shape = ({ name, entryWorker: worker }) => `static int ${name}(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr,
		unsigned long end)
{
	spinlock_t *ptl;
	pte_t *ptep, *start;
	int err = 0;

	start = ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (!ptep)
		return -EAGAIN;
	do {
		err = ${worker ?? 'walk_one_entry'}(vma, addr, ptep);
		if (err)
			goto out_unlock;
	} while (ptep++, addr += PAGE_SIZE, addr != end);
	flush_tlb_range(vma, end - PAGE_SIZE, end);
out_unlock:
	pte_unmap_unlock(start, ptl);
	return err;
}
`;

/** A long handler with many independent decisions, like do_wp_page(): its paths multiply past the bound. */
const longHandler: Shape = ({ random, name }) => {
  const steps = Array.from({ length: 6 + random.below(4) }, (_, i) =>
    i % 3 === 2
      ? `	if (${entryPredicate(random, 'pte', 'entry')})
		entry = ${modifier(random, 'pte', 'entry')};
`
      : `	if (vmf->flags & ${random.pick(['FAULT_FLAG_WRITE', 'FAULT_FLAG_UNSHARE', 'FAULT_FLAG_ORIG_PTE_VALID', 'FAULT_FLAG_REMOTE', 'FAULT_FLAG_TRIED'])})
		${random.pick(['ret |= VM_FAULT_WRITE', 'nr_changed++', 'entry = pte_mkdirty(entry)', 'entry = pte_mkyoung(entry)', 'count_vm_event(PGFAULT)'])};
`,
  ).join('');
  return `static vm_fault_t ${name}(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr = vmf->address;
	vm_fault_t ret = 0;
	int nr_changed = 0;
	pte_t entry;

	spin_lock(vmf->ptl);
	entry = ptep_get(vmf->pte);
	if (pte_none(entry) || !pte_present(entry)) {
		spin_unlock(vmf->ptl);
		return 0;
	}
${steps}	set_pte_at(vma->vm_mm, addr, vmf->pte, entry);
	flush_tlb_page(vma, addr);
	spin_unlock(vmf->ptl);
	return nr_changed ? ret : VM_FAULT_NOPAGE;
}
`;
};

/** Plain C that never touches an entry: most of mm is this. */
const plainCounter: Shape = ({ random, name }) => `static unsigned long ${name}(struct list_head *head, unsigned long limit)
{
	unsigned long n = 0;
	struct folio *folio;
	int i;

	for (i = 0; i < ${2 + random.below(14)}; i++) {
		if (i == limit)
			break;
		n += i * ${1 + random.below(9)};
	}
	list_for_each_entry(folio, head, lru) {
		if (n++ >= limit)
			break;
		if (folio_test_dirty(folio))
			n += folio_nr_pages(folio);
	}
	return n;
}
`;

/** Plain C with a switch and an early return. */
const plainSwitch: Shape = ({ random, name }) => `static int ${name}(struct mm_struct *mm, unsigned long addr, int behavior)
{
	int ret = 0;

	if (!mm || addr >= TASK_SIZE)
		return -EINVAL;
	switch (behavior) {
	case MADV_NORMAL:
		ret = ${random.below(4)};
		break;
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
		ret = mm->map_count > ${random.below(64)};
		break;
	default:
		ret = -EINVAL;
	}
	return ret;
}
`;

/** A kernel-doc comment before a function, as mm writes them. */
export function kernelDoc(name: string): string {
  return `/**
 * ${name} - one step of a page-table walk
 * @vma: the vm_area_struct the range belongs to
 * @addr: the first address
 *
 * Context: the mmap lock is held.
 */
`;
}

/** An annotation comment before a function, now and then. */
export function leadingAnnotation(random: Random): string {
  return `/* @mm assume ${assumption(random)} */\n`;
}

export const SHAPES = {
  predicateHelper,
  protectRange,
  faultHandler,
  hugePmd,
  wrprotectPending,
  zapRange,
  copyOnWrite,
  batchInstall,
  uffdProtect,
  entryWorker,
  walkCallingWorker,
  longHandler,
  plainCounter,
  plainSwitch,
} satisfies Record<string, Shape>;

export type ShapeName = keyof typeof SHAPES;

/** How often each shape is drawn; mm is mostly code that never touches an entry. */
export const SHAPE_WEIGHTS: ReadonlyArray<readonly [ShapeName, number]> = [
  ['plainCounter', 22],
  ['plainSwitch', 18],
  ['predicateHelper', 6],
  ['entryWorker', 6],
  ['protectRange', 6],
  ['faultHandler', 7],
  ['hugePmd', 6],
  ['wrprotectPending', 6],
  ['zapRange', 6],
  ['copyOnWrite', 5],
  ['batchInstall', 5],
  ['uffdProtect', 5],
  ['walkCallingWorker', 5],
  ['longHandler', 2],
];
