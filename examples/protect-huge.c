// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect of a huge PMD. On x86 from 6.6 until the 7.3 fix, pmd_modify() drops
 * the hardware Dirty bit: a dirty THP comes back clean (MADV_FREE data loss).
 * Compare `--profile x86_64`, `--profile x86_64@7.3` and `--profile arm64`.
 */
/* @mm assume vma VM_READ VM_WRITE VM_MAYWRITE VM_SOFTDIRTY; folio anon exclusive */

static void protect_huge(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp)
{
	pmd_t old = pmdp_invalidate_ad(vma, addr, pmdp);
	pmd_t entry = pmd_modify(old, vma->vm_page_prot);	/* @mm expect dirty-lost */

	set_pmd_at(vma->vm_mm, addr, pmdp, entry);	/* @mm expect dirty-lost */
	flush_pmd_tlb_range(vma, addr, addr + HPAGE_PMD_SIZE);
}
