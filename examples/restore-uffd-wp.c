// SPDX-License-Identifier: GPL-2.0
/*
 * Restoring an entry after migration. Open this with the profile x86_64@6.1 and
 * with x86_64 (6.19): on 6.1 pte_mkuffd_wp() only sets the bit, so after
 * maybe_mkwrite() the entry is writable and uffd-wp at once.
 */
/* @mm profile x86_64@6.1 */
/* @mm assume vma VM_READ VM_WRITE VM_MAYWRITE VM_UFFD_WP VM_SOFTDIRTY; folio anon exclusive */

static void restore_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
			struct page *page, swp_entry_t entry, pte_t old)
{
	pte_t pte = pte_mkold(mk_pte(page, vma->vm_page_prot));

	if (pte_swp_soft_dirty(old))
		pte = pte_mksoft_dirty(pte);
	if (is_writable_migration_entry(entry))
		pte = maybe_mkwrite(pte_mkdirty(pte), vma);
	if (pte_swp_uffd_wp(old))
		pte = pte_mkuffd_wp(pte);
	set_pte_at(vma->vm_mm, addr, ptep, pte);	/* @mm expect uffd-wp-writable */
}
