// A TLB protocol: an entry cleared under the page-table lock and put back exactly as it was,
// before anything else is changed, leaves nothing stale (a CPU still holding it holds what the
// slot holds again), so no flush is owed for the clear. Anything else put back still owes one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

async function staleTlb(source: string) {
  const analysis = await analyzeDocument(await testParser(), source, { path: 'x.c', profile: 'x86_64@6.19' });
  return analysis.findings.filter((f) => f.rule === 'stale-tlb').map((f) => [f.function, f.range.start.line]);
}

const move = (restored: string) => `static int move_one(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd, struct folio *folio)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t orig;
	int err = 0;

	if (!ptep)
		return -EAGAIN;
	orig = ptep_get_and_clear(vma->vm_mm, addr, ptep);
	if (folio_maybe_dma_pinned(folio)) {
		set_pte_at(vma->vm_mm, addr, ptep, ${restored});
		err = -EBUSY;
	} else {
		flush_tlb_range(vma, addr, addr + PAGE_SIZE);
	}
	pte_unmap_unlock(ptep, ptl);
	return err;
}
`;

test('an entry cleared and put back exactly as it was (a move that backs off) owes no flush', async () => {
  assert.deepEqual(await staleTlb(move('orig')), []);
});

test('an entry cleared and put back changed (write-protected) still owes the flush', async () => {
  const changed = move('pte_wrprotect(orig)');
  assert.deepEqual(await staleTlb(changed), [['move_one', lineOf(changed, 'pte_unmap_unlock')]]);
});

test('a clear of another entry between the clear and the restore keeps its own flush owed', async () => {
  const two = `static int move_two(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t orig;

	if (!ptep)
		return -EAGAIN;
	orig = ptep_get_and_clear(vma->vm_mm, addr, ptep);
	ptep_get_and_clear(vma->vm_mm, addr + PAGE_SIZE, ptep + 1);
	set_pte_at(vma->vm_mm, addr, ptep, orig);
	pte_unmap_unlock(ptep, ptl);
	return 0;
}
`;
  assert.deepEqual(await staleTlb(two), [['move_two', lineOf(two, 'pte_unmap_unlock')]]);
});
