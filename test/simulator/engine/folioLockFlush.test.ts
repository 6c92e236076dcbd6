// A TLB protocol: PTEs of a page-cache folio cleared under the PTE lock may be flushed after that
// lock is dropped while the path still holds the folio lock (khugepaged retracting a page table
// leaves the flush to the PMD collapse): nothing can truncate, reclaim or migrate the folio
// meanwhile. The flush is still owed where the folio is unlocked; an anonymous folio has no such
// protection; a trylock that failed protects nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

async function staleTlb(source: string) {
  const analysis = await analyzeDocument(await testParser(), source, { path: 'x.c', profile: 'x86_64@6.19' });
  return analysis.findings.filter((f) => f.rule === 'stale-tlb').map((f) => [f.function, f.range.start.line]);
}

const retract = (lock: string, flush: string) => `static int retract_one(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd)
{
	struct folio *folio;
	spinlock_t *ptl, *pml;
	pte_t *ptep;
	pte_t ptent;

	folio = ${lock};
	if (IS_ERR(folio))
		return -ENOENT;
	ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (!ptep)
		goto out;
	ptent = ptep_get(ptep);
	if (pte_present(ptent) && vm_normal_folio(vma, addr, ptent) == folio)
		pte_clear(vma->vm_mm, addr, ptep);
	pte_unmap_unlock(ptep, ptl);

	pml = pmd_lock(vma->vm_mm, pmd);
	${flush}
	spin_unlock(pml);
out:
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}
`;

const pageCache = 'filemap_lock_folio(vma->vm_file->f_mapping, linear_page_index(vma, addr))';
const collapse = 'pmd_clear(pmd); flush_tlb_range(vma, addr, addr + PMD_SIZE);';

test('a page-cache folio kept locked until a later flush covers the PTEs cleared before the PTE lock is dropped', async () => {
  assert.deepEqual(await staleTlb(retract(pageCache, collapse)), []);
});

test('with the folio locked, a flush never made is reported where the folio is unlocked', async () => {
  const unflushed = retract(pageCache, 'pmd_clear(pmd);');
  assert.deepEqual(await staleTlb(unflushed), [['retract_one', lineOf(unflushed, 'folio_unlock')]]);
});

test('a folio locked that may be anonymous is no protection: reported where the PTE lock is dropped', async () => {
  const anon = retract('lookup_folio(vma, addr)', collapse).replace('	if (IS_ERR(folio))', '	folio_lock(folio);\n	if (IS_ERR(folio))');
  assert.deepEqual(await staleTlb(anon), [['retract_one', lineOf(anon, 'pte_unmap_unlock')]]);
});

test('a folio_trylock protects only where it succeeded', async () => {
  const tried = (trylock: string) =>
    retract(pageCache, collapse)
      .replace(
        `	if (IS_ERR(folio))
		return -ENOENT;`,
        `	if (IS_ERR(folio) || folio_test_anon(folio))
		return -ENOENT;
	${trylock}`,
      )
      .replace(pageCache, 'filemap_get_folio(vma->vm_file->f_mapping, linear_page_index(vma, addr))');
  const unchecked = tried('folio_trylock(folio);');
  assert.deepEqual(await staleTlb(unchecked), [['retract_one', lineOf(unchecked, 'pte_unmap_unlock')]]);
  assert.deepEqual(await staleTlb(tried('if (!folio_trylock(folio)) return -EAGAIN;')), []);
});
