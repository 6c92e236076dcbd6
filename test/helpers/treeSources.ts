// C for the small kernel trees of the whole-tree tests, written for them in kernel style.

/** Installs what the slot holds, made writable when the caller asks: a hazard for some callers only. */
export const SET_ENTRY = `void set_entry(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, bool writable)
{
	pte_t pte = ptep_get(ptep);

	if (writable)
		pte = pte_mkwrite(pte, vma);
	set_pte_at(vma->vm_mm, addr, ptep, pte);
}
`;

/** A file of mm/ holding `functions`. */
export const mmFile = (...functions: string[]) => `// SPDX-License-Identifier: GPL-2.0\n#include <linux/mm.h>\n\n${functions.join('\n')}`;

/** A function that calls set_entry, passing `writable`. */
export const setEntryCaller = (name: string, writable: string) =>
  `void ${name}(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)\n{\n\tset_entry(vma, addr, ptep, ${writable});\n}\n`;

/** The 0-based line of the first line holding `needle`. */
export const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));
