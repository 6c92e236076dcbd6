// Kernel-style C written for tests and the bench: `count` functions of a few shapes (list
// walks, protection changes, locked write-protects, plain helpers), each name ending in
// `_<seed>_<i>` so that two documents never share a function. No annotations: like mm/*.c.

export function kernelLikeSource(count: number, seed = 0): string {
  const parts = ['// SPDX-License-Identifier: GPL-2.0\n/* generated in kernel style for the mmlens tests */\n#include <linux/mm.h>\n'];
  const helpers = ['pte_mkwrite(pte, vma)', 'pte_wrprotect(pte)', 'pte_mkdirty(pte)', 'pte_mkclean(pte)', 'pte_mkyoung(pte)', 'pte_mkuffd_wp(pte)', 'pte_mksoft_dirty(pte)'];
  for (let i = 0; i < count; i++) {
    const name = `${seed}_${i}`;
    switch (i % 4) {
      case 0:
        parts.push(`static unsigned long gen_count_${name}(struct list_head *head, unsigned long limit)
{
	unsigned long n = 0;
	struct gen_node *node;

	list_for_each_entry(node, head, list) {
		if (n++ >= limit)
			break;
		node->seen = true;
	}
	return n;
}
`);
        break;
      case 1:
        parts.push(`static void gen_change_${name}(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
			unsigned long cp_flags)
{
	pte_t old = ptep_modify_prot_start(vma, addr, ptep);
	pte_t pte = pte_modify(old, vma->vm_page_prot);

	if (cp_flags & MM_CP_UFFD_WP)
		pte = ${helpers[i % helpers.length]};
	else if (pte_dirty(pte))
		pte = ${helpers[(i * 3 + 1) % helpers.length]};
	ptep_modify_prot_commit(vma, addr, ptep, old, pte);
}
`);
        break;
      case 2:
        parts.push(`static int gen_protect_${name}(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	int ret = 0;

	if (!ptep)
		return -EAGAIN;
	if (pte_write(ptep_get(ptep)))
		ret = 1;
	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	flush_tlb_range(vma, addr, addr + PAGE_SIZE);
	pte_unmap_unlock(ptep, ptl);
	return ret;
}
`);
        break;
      default:
        parts.push(`/**
 * gen_check_${name} - whether the address is in range
 * @mm: the mm_struct
 * @addr: the address
 */
static inline bool gen_check_${name}(struct mm_struct *mm, unsigned long addr)
{
	if (!mm || addr >= TASK_SIZE)
		return false;
	return mm->map_count > ${i % 17};
}
`);
    }
  }
  return parts.join('\n');
}
