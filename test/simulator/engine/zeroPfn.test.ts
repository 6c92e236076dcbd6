// An entry whose page frame the code finds to be the zero page's (`is_zero_pfn(pte_pfn(entry))`)
// is never writable or dirty: the kernel maps the zero page read-only from the VMA's protection
// and copies it on a write fault. Replacing it loses no dirt; replacing any other page does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

/** [function, line] of each finding of the rule. */
async function findings(source: string, rule: string, profile = 'x86_64@6.19') {
  const analysis = await analyzeDocument(await testParser(), source, { path: 'x.c', profile });
  return analysis.findings.filter((f) => f.rule === rule).map((f) => [f.function, f.range.start.line]);
}

/** Maps a new page over what the slot holds when `check` lets it through (pfn is the old entry's frame). */
const replaceOld = (check: string) => `static void map_new_page(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp, struct page *page)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmdp, addr, &ptl);
	pte_t old, entry = mk_pte(page, vma->vm_page_prot);

	if (!ptep)
		return;
	old = ptep_get(ptep);
	if (pte_present(old)) {
		unsigned long pfn = pte_pfn(old);

		if (${check})
			goto unlock;
		ptep_clear_flush(vma, addr, ptep);
	} else if (!pte_none(old)) {
		goto unlock;
	}
	set_pte_at(vma->vm_mm, addr, ptep, entry);
unlock:
	pte_unmap_unlock(ptep, ptl);
}
`;

test('an entry of the zero pfn is never dirty: replacing it with a new page loses no dirt', async () => {
  for (const profile of ['x86_64@6.19', 'arm64@6.19', 'x86_64@5.10']) {
    assert.deepEqual(await findings(replaceOld('!is_zero_pfn(pfn)'), 'dirty-lost', profile), [], profile);
  }
});

test('an entry of any other frame may be dirty: replacing it without folio_mark_dirty() loses the dirt', async () => {
  const source = replaceOld('is_zero_pfn(pfn)');
  assert.deepEqual(await findings(source, 'dirty-lost'), [['map_new_page', lineOf(source, 'set_pte_at')]]);
});

test('the frame is the zero page\'s only for the entry it was read from: another entry\'s frame says nothing of this one', async () => {
  const source = replaceOld('!is_zero_pfn(pte_pfn(*pmdp_entry))').replace('pte_t old, entry', 'pte_t *pmdp_entry = ptep + 1;\n\tpte_t old, entry');
  assert.deepEqual(await findings(source, 'dirty-lost'), [['map_new_page', lineOf(source, 'set_pte_at')]]);
});
