// TLB protocols the kernel relies on, each paired with the same code without the protocol,
// where the stale entry is still reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lastLineOf = (text: string, needle: string) => text.split('\n').reduce((found, line, i) => (line.includes(needle) ? i : found), -1);

async function staleTlb(source: string) {
  const analysis = await analyzeDocument(await testParser(), source, { path: 'x.c', profile: 'x86_64@6.19' });
  return analysis.findings.filter((f) => f.rule === 'stale-tlb').map((f) => [f.function, f.range.start.line]);
}

test('a VMA asserted write-locked is under the mmap write lock: fork write-protecting a COW mapping flushes after the walk', async () => {
  const copy = (assertion: string) => `static int copy_one_huge(struct mm_struct *dst_mm, struct mm_struct *src_mm,
			 pmd_t *dst_pmd, pmd_t *src_pmd, unsigned long addr,
			 struct vm_area_struct *vma)
{
	spinlock_t *src_ptl = pmd_lock(src_mm, src_pmd);
	pmd_t pmd = *src_pmd;

	if (!pmd_trans_huge(pmd)) {
		spin_unlock(src_ptl);
		return -EAGAIN;
	}
	if (is_cow_mapping(vma->vm_flags) && pmd_write(pmd)) {
		pmdp_set_wrprotect(src_mm, addr, src_pmd);
		pmd = pmd_wrprotect(pmd);
	}
	set_pmd_at(dst_mm, addr, dst_pmd, pmd_mkold(pmd));
	spin_unlock(src_ptl);
	return 0;
}

int copy_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma,
	       pmd_t *dst_pmd, pmd_t *src_pmd)
{
	if (is_cow_mapping(src_vma->vm_flags))
		${assertion}(src_vma);
	return copy_one_huge(dst_vma->vm_mm, src_vma->vm_mm, dst_pmd, src_pmd,
			     src_vma->vm_start, src_vma);
}
`;
  assert.deepEqual(await staleTlb(copy('vma_assert_write_locked')), []);
  const readLocked = copy('vma_assert_locked');
  assert.deepEqual(await staleTlb(readLocked), [['copy_one_huge', lastLineOf(readLocked, 'spin_unlock(src_ptl)')]]);
});

test('a PTE batch has at least one entry: entries cleared in batches are counted, and the abort path that flushes when the count is non-zero covers them', async () => {
  const clearBatches = (batch: string) => `int clear_batches(struct mm_struct *mm, unsigned long haddr, pmd_t *pmd, struct folio *folio)
{
	spinlock_t *ptl;
	pte_t *start_pte, *pte;
	unsigned int nr_batch;
	int nr_cleared = 0;
	int i;

	start_pte = pte_offset_map_lock(mm, pmd, haddr, &ptl);
	if (!start_pte)
		return -EAGAIN;
	for (i = 0, pte = start_pte; i < HPAGE_PMD_NR; i += nr_batch, pte += nr_batch) {
		pte_t ptent = ptep_get(pte);

		nr_batch = 1;
		if (pte_none(ptent))
			continue;
		if (!pte_present(ptent))
			goto abort;
		nr_batch = ${batch}(folio, pte, ptent, HPAGE_PMD_NR - i);
		ptep_get_and_clear(mm, haddr + i * PAGE_SIZE, pte);
		nr_cleared += nr_batch;
	}
	flush_tlb_mm(mm);
	pte_unmap_unlock(start_pte, ptl);
	return 0;
abort:
	if (nr_cleared)
		flush_tlb_mm(mm);
	pte_unmap_unlock(start_pte, ptl);
	return -EAGAIN;
}
`;
  assert.deepEqual(await staleTlb(clearBatches('folio_pte_batch')), []);
  // a count the engine knows nothing of may be zero after a clear: the abort path may skip the flush
  const unknownCount = clearBatches('count_same_ptes');
  assert.deepEqual(await staleTlb(unknownCount), [['clear_batches', lastLineOf(unknownCount, 'pte_unmap_unlock')]]);
});
