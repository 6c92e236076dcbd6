// SPDX-License-Identifier: GPL-2.0
/*
 * Two ways to undo a userfaultfd write-protection on one page, written for
 * the scenario uffd-wp-softdirty.mmscenario (seed 002). Both walk a single
 * PTE, the way change_protection() would walk a range.
 *
 * uffd_wp_range_old() computes the protection itself from the VMA's flags,
 * as kernels up to 6.1 did: for a shared writable mapping that protection is
 * writable, whatever vma->vm_page_prot says about write notification, so the
 * page comes back writable even where soft-dirty tracking wants the next
 * write to fault.
 *
 * uffd_wp_range_new() takes vma->vm_page_prot, which already reflects write
 * notification, and asks can_change_pte_writable() before mapping the page
 * writable again, as 6.2 and later do.
 */

static void wp_one_pte(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		       pgprot_t newprot, unsigned long cp_flags)
{
	bool uffd_wp = cp_flags & MM_CP_UFFD_WP;
	bool uffd_wp_resolve = cp_flags & MM_CP_UFFD_WP_RESOLVE;
	pte_t oldpte, ptent;

	oldpte = ptep_get(ptep);
	if (!pte_present(oldpte))
		return;

	oldpte = ptep_modify_prot_start(vma, addr, ptep);
	ptent = pte_modify(oldpte, newprot);
	if (uffd_wp)
		ptent = pte_wrprotect(pte_mkuffd_wp(ptent));
	else if (uffd_wp_resolve)
		ptent = pte_clear_uffd_wp(ptent);

	if ((cp_flags & MM_CP_TRY_CHANGE_WRITABLE) && !pte_write(ptent) &&
	    can_change_pte_writable(vma, addr, ptent))
		ptent = pte_mkwrite(ptent, vma);

	ptep_modify_prot_commit(vma, addr, ptep, oldpte, ptent);
	flush_tlb_page(vma, addr);
}

void uffd_wp_range_old(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		       bool enable_wp)
{
	unsigned long cp_flags;
	pgprot_t newprot;

	if (enable_wp) {
		newprot = vm_get_page_prot(vma->vm_flags & ~(VM_WRITE));
		cp_flags = MM_CP_UFFD_WP;
	} else {
		newprot = vm_get_page_prot(vma->vm_flags);
		cp_flags = MM_CP_UFFD_WP_RESOLVE;
	}

	wp_one_pte(vma, addr, ptep, newprot, cp_flags);
}

void uffd_wp_range_new(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		       bool enable_wp)
{
	unsigned long cp_flags;

	if (enable_wp)
		cp_flags = MM_CP_UFFD_WP;
	else
		cp_flags = MM_CP_UFFD_WP_RESOLVE;

	if (!enable_wp && vma_wants_manual_pte_write_upgrade(vma))
		cp_flags |= MM_CP_TRY_CHANGE_WRITABLE;

	wp_one_pte(vma, addr, ptep, vma->vm_page_prot, cp_flags);
}
