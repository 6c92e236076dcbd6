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
