// SPDX-License-Identifier: GPL-2.0
/* Write-protect, unlock, flush later: another CPU may keep writing through a stale TLB entry. */
/* @mm assume vma VM_READ VM_WRITE VM_MAYWRITE VM_SOFTDIRTY; folio anon exclusive */

static void wp_one(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);

	if (!ptep)
		return;
	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	pte_unmap_unlock(ptep, ptl);	/* @mm expect stale-tlb */
	flush_tlb_range(vma, addr, addr + PAGE_SIZE);
}
