// Integers known relative to another: an address stepped on by a page (`addr += PAGE_SIZE`) is
// above where the loop started, so a flush guarded by `addr > start` happens on every path that
// moved an entry. UFFDIO_MOVE's batched move of present PTEs flushes that way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

async function staleTlb(source: string) {
  const analysis = await analyzeDocument(await testParser(), source, { path: 'x.c', profile: 'x86_64@6.19' });
  return analysis.findings.filter((f) => f.rule === 'stale-tlb').map((f) => [f.function, f.range.start.line]);
}

// Moves entries one page at a time and flushes what it moved; `backOff` is what it does when
// the page got pinned after its entry was cleared.
const moveBatch = (backOff: string) => `static long move_batch(struct mm_struct *mm, struct vm_area_struct *dst_vma,
			struct vm_area_struct *src_vma, unsigned long dst_addr,
			unsigned long src_addr, pte_t *dst_pte, pte_t *src_pte,
			spinlock_t *src_ptl, struct folio *folio, unsigned long len)
{
	unsigned long src_start = src_addr;
	unsigned long src_end = src_addr + len;
	pte_t old, moved;
	int err = 0;

	spin_lock(src_ptl);
	while (true) {
		old = ptep_get_and_clear(mm, src_addr, src_pte);
		if (folio_maybe_dma_pinned(folio)) {
			${backOff}
			err = -EBUSY;
			break;
		}
		moved = folio_mk_pte(folio, dst_vma->vm_page_prot);
		set_pte_at(mm, dst_addr, dst_pte, moved);

		src_addr += PAGE_SIZE;
		if (src_addr == src_end)
			break;
		dst_addr += PAGE_SIZE;
		dst_pte++;
		src_pte++;
		if (!next_folio_movable(src_vma, src_addr))
			break;
	}
	if (src_addr > src_start)
		flush_tlb_range(src_vma, src_start, src_addr);
	spin_unlock(src_ptl);
	return src_addr > src_start ? src_addr - src_start : err;
}
`;

test('an address stepped on by a page is above its start: every path that moved an entry flushes it', async () => {
  assert.deepEqual(await staleTlb(moveBatch('set_pte_at(mm, src_addr, src_pte, old);')), []);
});

test('an entry cleared before the address moved on is not covered by the guarded flush, and it is reported', async () => {
  const source = moveBatch('/* keeps the entry cleared */');
  assert.deepEqual(await staleTlb(source), [['move_batch', lineOf(source, 'spin_unlock(src_ptl)')]]);
});
